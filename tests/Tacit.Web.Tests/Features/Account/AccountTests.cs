using System.Text.RegularExpressions;
using Tacit.Web.Features.Demo;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.Account;

public abstract partial class AccountTests(TacitApp app)
{
    private HttpClient NewClient() => app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Sign_up_through_the_page_creates_the_organisation_and_signs_the_admin_in()
    {
        var slug = "signup-" + Guid.NewGuid().ToString("N")[..6];
        var client = NewClient();
        var response = await Pages.PostFormAsync(client, "/signup", "signup", new Dictionary<string, string>
        {
            ["Input.Name"] = "Acme", ["Input.Slug"] = slug, ["Input.AdminName"] = "Ada", ["Input.AdminEmail"] = $"ada@{slug}.example", ["Input.AdminPassword"] = "long-enough-pass",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/people/import?welcome=1", Pages.PathOf(response.Headers.Location));
        var (status, html) = await Pages.GetAsync(client, "/people/import?welcome=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your organisation is ready", html, StringComparison.Ordinal);

        var again = await Pages.PostFormAsync(NewClient(), "/signup", "signup", new Dictionary<string, string>
        {
            ["Input.Name"] = "Acme 2", ["Input.Slug"] = slug, ["Input.AdminName"] = "Bo", ["Input.AdminEmail"] = $"bo@{slug}.example", ["Input.AdminPassword"] = "long-enough-pass",
        });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("is taken", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var organisations = await app.InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<TacitDbContext>().Organisations.CountAsync(o => o.Slug == slug));
        Assert.Equal(1, organisations);
    }

    [Fact]
    public async Task A_signed_in_person_is_told_to_sign_out_before_creating_another_organisation()
    {
        var org = await app.CreateOrganisationAsync("signed-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");
        var (status, html) = await Pages.GetAsync(client, "/signup");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Sign out</a> to create another one", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var org = await app.CreateOrganisationAsync("lock-" + Guid.NewGuid().ToString("N")[..6]);
        var client = NewClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await Pages.PostFormAsync(client, "/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = org.AdminUser.Email!, ["Input.Password"] = "wrong-password" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var right = await Pages.PostFormAsync(client, "/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = org.AdminUser.Email!, ["Input.Password"] = "correct-horse-battery" });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_reset_link_from_the_mail_sets_a_new_password()
    {
        var org = await app.CreateOrganisationAsync("reset-" + Guid.NewGuid().ToString("N")[..6]);
        var email = org.AdminUser.Email!;
        async Task<string> AskForLinkAsync()
        {
            await Pages.PostFormAsync(NewClient(), "/forgot-password", "forgot", new Dictionary<string, string> { ["Input.Email"] = email });
            var mail = app.Mail.Latest(email);
            var link = ResetLink().Match(mail);
            Assert.True(link.Success, mail);
            return new Uri(link.Value).PathAndQuery;
        }
        var older = await AskForLinkAsync();
        await Task.Delay(1100); // mail files are named by time: the newer one sorts last
        var path = await AskForLinkAsync();
        Assert.NotEqual(older, path);

        // Asking again voids the older link.
        var stale = NewClient();
        var (_, staleForm) = await Pages.GetAsync(stale, older);
        var staleCode = WebUtility.HtmlDecode(HiddenCode().Match(staleForm).Groups[1].Value);
        var refused = await Pages.PostFormAsync(stale, older, "reset", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Code"] = staleCode, ["Input.Password"] = "an-older-new-password" });
        Assert.Contains("This link is not valid any more", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var client = NewClient();
        var (_, form) = await Pages.GetAsync(client, path);
        var code = WebUtility.HtmlDecode(HiddenCode().Match(form).Groups[1].Value);
        var reset = await Pages.PostFormAsync(client, path, "reset", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Code"] = code, ["Input.Password"] = "a-brand-new-password" });
        Assert.Contains("Your password is changed", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Pages.SignedInClientAsync(app, email, "a-brand-new-password");
    }

    [Fact]
    public async Task An_invited_person_sets_a_password_once_and_signs_in()
    {
        var org = await app.CreateOrganisationAsync("invite-" + Guid.NewGuid().ToString("N")[..6]);
        var person = await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<PeopleAdministration>()
            .CreateAsync("newbie@example.com", new ProfileInput("New Bie", null, null, 3, null, null, null), null, Tacit.Domain.People.Roles.Member));
        var (link, mailed) = await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<InvitePersonHandler>().InviteAsync(person.Id, "Org"));
        Assert.True(mailed);
        Assert.Contains(new Uri(link).AbsolutePath, app.Mail.Latest("newbie@example.com"), StringComparison.Ordinal);

        var client = NewClient();
        var path = new Uri(link).AbsolutePath;
        var accepted = await Pages.PostFormAsync(client, path, "accept", new Dictionary<string, string> { ["Input.Password"] = "my-own-password" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var (_, home) = await Pages.GetAsync(client, "/");
        Assert.Contains("Welcome, New Bie", home, StringComparison.Ordinal);

        var (_, reused) = await Pages.GetAsync(NewClient(), path);
        Assert.Contains("You have set your password already.", reused, StringComparison.Ordinal);
        await Pages.SignedInClientAsync(app, "newbie@example.com", "my-own-password");
    }

    [Fact]
    public async Task Pages_carry_security_headers_and_forms_refuse_posts_without_antiforgery()
    {
        var response = await NewClient().GetAsync("/");
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        var forged = await NewClient().PostAsync("/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signup", ["Input.Name"] = "Forged", ["Input.Slug"] = "forged", ["Input.AdminName"] = "F", ["Input.AdminEmail"] = "f@forged.example", ["Input.AdminPassword"] = "long-enough-pass",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await app.InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<TacitDbContext>().Organisations.CountAsync(o => o.Slug == "forged")));
    }

    [Fact]
    public async Task Pages_are_authorised_by_role()
    {
        var anonymous = NewClient();
        var redirected = await anonymous.GetAsync("/people");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/signin", Pages.PathOf(redirected.Headers.Location), StringComparison.Ordinal);

        var org = await app.CreateOrganisationAsync("roles-" + Guid.NewGuid().ToString("N")[..6]);
        var member = await app.InScopeAsync(org.Organisation.Id, async sp =>
        {
            var person = await sp.GetRequiredService<PeopleAdministration>().CreateAsync("member@example.com", new ProfileInput("Mem Ber", null, null, 3, null, null, null), null, Tacit.Domain.People.Roles.Member);
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<TacitUser>>();
            await users.CreateAsync(new TacitUser { UserName = "member@example.com", Email = "member@example.com", OrganisationId = org.Organisation.Id, PersonId = person.Id }, "member-password");
            return person;
        });
        var client = await Pages.SignedInClientAsync(app, "member@example.com", "member-password");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/people")).StatusCode);
        foreach (var adminPage in new[] { "/people/import", "/settings", "/skills/new", "/skills/merge", $"/people/{org.Admin.Id}/edit" })
        {
            var response = await client.GetAsync(adminPage);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.NotFound or HttpStatusCode.Forbidden,
                $"{adminPage} answered {(int)response.StatusCode} to a member");
            if (response.StatusCode == HttpStatusCode.Redirect) Assert.StartsWith("/forbidden", Pages.PathOf(response.Headers.Location), StringComparison.Ordinal);
        }
        var own = await client.GetAsync($"/people/{member.Id}/edit");
        Assert.True(own.StatusCode == HttpStatusCode.OK, $"{own.StatusCode}: {app.ServerErrors}");
    }

    [Fact]
    public async Task The_demo_organisation_is_realistic_and_loads_once()
    {
        var loaded = await app.InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<DemoOrganisationLoader>().LoadAsync());
        var org = loaded.Organisation.Id;
        var figures = await app.InScopeAsync(org, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            return new
            {
                People = await db.People.CountAsync(),
                Departments = await db.People.Select(p => p.Department).Distinct().CountAsync(),
                WithManager = await db.People.CountAsync(p => p.ManagerId != null),
                SkillsInUse = await db.Shares.Select(s => s.SkillId).Union(db.Wants.Select(w => w.SkillId)).Distinct().CountAsync(),
                WantsPerSkill = await db.Wants.GroupBy(w => w.SkillId).Select(g => g.Count()).ToListAsync(),
            };
        });
        Assert.True(figures.People >= 150, $"{figures.People} people");
        Assert.True(figures.Departments >= 8);
        Assert.Equal(figures.People - 1, figures.WithManager);
        Assert.True(figures.SkillsInUse >= 60, $"{figures.SkillsInUse} skills in use");
        var sorted = figures.WantsPerSkill.OrderDescending().ToList();
        Assert.True(sorted[0] >= 5 * sorted[sorted.Count / 2], "popularity should be skewed: the top skill is wanted far more than the median one");

        await Pages.SignedInClientAsync(app, DemoOrganisationLoader.AdminEmail, DemoOrganisationLoader.AdminPassword);
        await Assert.ThrowsAsync<Tacit.Domain.ConflictException>(() => app.InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<DemoOrganisationLoader>().LoadAsync()));
        var (_, signIn) = await Pages.GetAsync(NewClient(), "/signin");
        Assert.Contains(DemoOrganisationLoader.AdminPassword, signIn, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1/reset-password\?\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex("name=\"Input.Code\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenCode();
}

public sealed class AccountSqliteTests(SqliteApp app) : AccountTests(app), IClassFixture<SqliteApp>;

public sealed class AccountPostgresTests(PostgresApp app) : AccountTests(app), IClassFixture<PostgresApp>;
