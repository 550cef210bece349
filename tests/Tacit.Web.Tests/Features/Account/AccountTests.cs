using System.Text.RegularExpressions;
using Tacit.Web.Features.Demo;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.Account;

public abstract partial class AccountTests(TacitApp app)
{
    private HttpClient NewClient() => app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Sign_up_mails_a_link_with_which_the_admin_chooses_a_password_and_the_organisation_is_created()
    {
        var slug = "signup-" + Guid.NewGuid().ToString("N")[..6];
        var email = $"ada@{slug}.example";
        var response = await SignUpAsync(NewClient(), "Acme", slug, email);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Check your email: a message to <strong>{email}</strong> says how to go on.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await OrganisationsAsync(slug));

        var link = new Uri(SignUpLink().Match(await app.Mail.WaitForMailToAsync(email, "/signup/confirm")).Value).PathAndQuery;
        var client = NewClient();
        var (_, form) = await Pages.GetAsync(client, link);
        Assert.Contains("Choose a password to create <strong>Acme</strong>", form, StringComparison.Ordinal);
        var created = await Pages.PostFormAsync(client, link, "confirm", new Dictionary<string, string>
        {
            ["Input.Code"] = WebUtility.HtmlDecode(HiddenCode().Match(form).Groups[1].Value), ["Input.Password"] = "long-enough-pass",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/people/import?welcome=1", Pages.PathOf(created.Headers.Location));
        var (status, html) = await Pages.GetAsync(client, "/people/import?welcome=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your organisation is ready", html, StringComparison.Ordinal);
        Assert.Equal(1, await OrganisationsAsync(slug));

        // The link made one organisation; used again, it says so to the address's owner, who alone has it.
        var again = await Pages.PostFormAsync(NewClient(), link, "confirm", new Dictionary<string, string>
        {
            ["Input.Code"] = WebUtility.HtmlDecode(HiddenCode().Match(form).Groups[1].Value), ["Input.Password"] = "long-enough-pass",
        });
        Assert.Contains("This address signs in to Tacit already.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var taken = await SignUpAsync(NewClient(), "Acme 2", slug, $"bo@{slug}.example");
        Assert.Contains("is taken", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await OrganisationsAsync(slug));
    }

    [Fact]
    public async Task Sign_up_with_an_address_that_has_an_account_says_check_your_email_and_mails_its_owner_instead()
    {
        var org = await app.CreateOrganisationAsync("taken-" + Guid.NewGuid().ToString("N")[..6]);
        var used = org.AdminUser.Email!;
        var fresh = $"new-{used}";
        var slug = "again-" + Guid.NewGuid().ToString("N")[..6];

        var forUsed = await (await SignUpAsync(NewClient(), "Another", slug, used)).Content.ReadAsStringAsync();
        var forFresh = await (await SignUpAsync(NewClient(), "Another", slug, fresh)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("already", forUsed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Answer(forFresh).Replace(fresh, used, StringComparison.Ordinal), Answer(forUsed));
        var notice = await app.Mail.WaitForMailToAsync(used, "Someone tried to create a Tacit organisation");
        Assert.Contains("/forgot-password", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("/signup/confirm", notice, StringComparison.Ordinal);
        await app.Mail.WaitForMailToAsync(fresh, "/signup/confirm");
        Assert.Equal(0, await OrganisationsAsync(slug));

        static string Answer(string html) => html[html.IndexOf("<h1>", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string name, string slug, string email) =>
        Pages.PostFormAsync(client, "/signup", "signup", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Slug"] = slug, ["Input.AdminName"] = "Ada", ["Input.AdminEmail"] = email,
        });

    private Task<int> OrganisationsAsync(string slug) =>
        app.InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<TacitDbContext>().Organisations.CountAsync(o => o.Slug == slug));

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
    public async Task Password_reset_link_from_the_mail_sets_a_new_password()
    {
        var org = await app.CreateOrganisationAsync("reset-" + Guid.NewGuid().ToString("N")[..6]);
        var email = org.AdminUser.Email!;
        async Task<string> AskForLinkAsync(string? older = null)
        {
            await Pages.PostFormAsync(NewClient(), "/forgot-password", "forgot", new Dictionary<string, string> { ["Input.Email"] = email });
            // Written after the page answered, in the background.
            var mail = await app.Mail.WaitForAsync(m => MailFolder.IsTo(m, email) && ResetLink().Match(m) is { Success: true } link && link.Value != older, "with a new reset link");
            return ResetLink().Match(mail).Value;
        }
        var older = await AskForLinkAsync();
        var path = new Uri(await AskForLinkAsync(older)).PathAndQuery;
        older = new Uri(older).PathAndQuery;
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
        var link = await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<InvitePersonHandler>().InviteAsync(person.Id));
        await app.Mail.WaitForMailToAsync("newbie@example.com", new Uri(link).AbsolutePath);

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
        foreach (var adminPage in new[] { "/people/import", "/settings", "/settings/lrs", "/skills/new", "/skills/merge", $"/people/{org.Admin.Id}/edit" })
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
                Visibility = await db.People.GroupBy(p => p.RecognitionVisibility).Select(g => g.Key).ToListAsync(),
            };
        });
        Assert.True(figures.People >= 150, $"{figures.People} people");
        Assert.True(figures.Departments >= 8);
        Assert.Equal(figures.People - 1, figures.WithManager);
        // Some show their recognition to the organisation, some to their manager, the rest keep it private (the default).
        Assert.Equal(Enum.GetValues<Tacit.Domain.People.RecognitionVisibility>().Order(), figures.Visibility.Order());
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

    [GeneratedRegex(@"http://127\.0\.0\.1/signup/confirm\?code=\S+")]
    private static partial Regex SignUpLink();
}

public sealed class AccountSqliteTests(SqliteApp app) : AccountTests(app), IClassFixture<SqliteApp>;

public sealed class AccountPostgresTests(PostgresApp app) : AccountTests(app), IClassFixture<PostgresApp>;
