using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Tacit.Domain.People;
using Tacit.Web.Features.Account;
using Tacit.Web.Features.CompanySignIn;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.CompanySignIn;

/// <summary>A real OpenID Connect provider (npm oidc-provider) on loopback, shared by one test class.</summary>
public sealed class OidcProviderFixture : IAsyncLifetime
{
    public OidcTestProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync() => Provider = await OidcTestProvider.StartAsync();

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}

/// <summary>
/// Company sign-in against a real provider (docs/security.md, "Company sign-in"): who gets in, who does not, and that a
/// provider's answer never signs anyone into another organisation.
/// </summary>
public abstract class CompanySignInTests(TacitApp app, OidcProviderFixture fixture)
{
    private static readonly WebApplicationFactoryClientOptions Browser = new() { AllowAutoRedirect = false, HandleCookies = true };
    private OidcTestProvider Provider => fixture.Provider;

    [Fact]
    public async Task A_person_in_the_directory_signs_in_through_their_company_is_linked_and_stays_themselves_after_an_email_change()
    {
        var org = await OrganisationWithProviderAsync();
        var person = await AddPersonAsync(org, "ana");
        var subject = "ana-" + Suffix();
        // The provider spells the address differently: the directory matches it case aside.
        await Provider.AddAccountAsync(subject, person.Email.ToUpperInvariant());

        var tacit = app.CreateClient(Browser);
        var landed = await SignInThroughProviderAsync(tacit, org.Slug, person.Email);
        Assert.Equal("/", Pages.PathOf(landed.Headers.Location));
        Assert.Contains($"href=\"/people/{person.Id}\"", (await Pages.GetAsync(tacit, "/")).Html, StringComparison.Ordinal);
        var linked = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<UserManager<TacitUser>>()
            .FindByLoginAsync(JustInTimeSignIn.LoginProvider(org.Id), subject));
        Assert.Equal(person.Id, linked!.PersonId);

        // The provider changes the person's email: the subject still finds them.
        var changed = $"ana.new-{Suffix()}@{org.Slug}.example";
        await Provider.AddAccountAsync(subject, changed);
        var again = app.CreateClient(Browser);
        Assert.Equal("/", Pages.PathOf((await SignInThroughProviderAsync(again, org.Slug, changed)).Headers.Location));
        Assert.Contains($"href=\"/people/{person.Id}\"", (await Pages.GetAsync(again, "/")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_email_is_refused_unless_the_admin_lets_such_people_join_as_members()
    {
        var org = await OrganisationWithProviderAsync();
        var email = $"newcomer-{Suffix()}@{org.Slug}.example";
        await Provider.AddAccountAsync("newcomer-" + Suffix(), email, name: "New Comer");

        var refused = await SignInThroughProviderAsync(app.CreateClient(Browser), org.Slug, email);
        await AssertProblemAsync(refused, CompanySignInOutcome.Unknown);
        Assert.Null(await PersonAsync(org.Id, email));

        await ConfigureAsync(org, c => c with { UnknownPeople = UnknownPeople.AddAsMembers, AllowedDomains = $"{org.Slug}.example" });
        var tacit = app.CreateClient(Browser);
        Assert.Equal("/", Pages.PathOf((await SignInThroughProviderAsync(tacit, org.Slug, email)).Headers.Location));
        var added = await PersonAsync(org.Id, email);
        Assert.NotNull(added);
        Assert.Equal("New Comer", added.DisplayName);
        Assert.Equal(Roles.Member, added.Roles);
        Assert.Contains($"href=\"/people/{added.Id}\"", (await Pages.GetAsync(tacit, "/")).Html, StringComparison.Ordinal);
        var entry = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().AuditEntries.SingleAsync(e => e.Action == "person.added" && e.Subject == "New Comer"));
        Assert.Equal("company sign-in", entry.Actor);
    }

    [Fact]
    public async Task An_email_of_another_organisation_signs_nobody_in_anywhere()
    {
        var ours = await OrganisationWithProviderAsync();
        var theirs = await app.CreateOrganisationAsync("theirs-" + Suffix());
        var theirAdmin = theirs.AdminUser.Email!;
        var subject = "intruder-" + Suffix();
        await Provider.AddAccountAsync(subject, theirAdmin);

        // Their domain is not ours.
        await AssertProblemAsync(await SignInThroughProviderAsync(app.CreateClient(Browser), ours.Slug, theirAdmin), CompanySignInOutcome.OtherDomain);
        // Any domain, but not in our directory.
        await ConfigureAsync(ours, c => c with { AllowedDomains = "" });
        await AssertProblemAsync(await SignInThroughProviderAsync(app.CreateClient(Browser), ours.Slug, theirAdmin), CompanySignInOutcome.Unknown);
        // Even an admin who lets their domain's unknown people join cannot take the address over: it signs in elsewhere.
        await ConfigureAsync(ours, c => c with { AllowedDomains = $"{theirs.Organisation.Slug}.example", UnknownPeople = UnknownPeople.AddAsMembers });
        var tacit = app.CreateClient(Browser);
        await AssertProblemAsync(await SignInThroughProviderAsync(tacit, ours.Slug, theirAdmin), CompanySignInOutcome.Elsewhere);
        Assert.Null(await PersonAsync(ours.Id, theirAdmin));
        Assert.Equal(HttpStatusCode.Redirect, (await tacit.GetAsync("/settings")).StatusCode);
        Assert.Null(await app.InScopeAsync(theirs.Organisation.Id, sp => sp.GetRequiredService<UserManager<TacitUser>>()
            .FindByLoginAsync(JustInTimeSignIn.LoginProvider(ours.Id), subject)));
    }

    [Theory]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("expired")]
    [InlineData("tampered")]
    public async Task An_id_token_for_another_client_from_another_issuer_expired_or_tampered_with_is_refused(string fault)
    {
        var org = await OrganisationWithProviderAsync();
        var person = await AddPersonAsync(org, "bo");
        await Provider.AddAccountAsync("bo-" + Suffix(), person.Email);
        var tacit = app.CreateClient(Browser);
        var start = await StartAsync(tacit, org.Slug, person.Email);
        var back = await Provider.AuthorizeAsync(start, person.Email, new CookieContainer());

        await Provider.SpoilNextIdTokenAsync(fault);
        await AssertProblemAsync(await tacit.GetAsync(back.PathAndQuery), CompanySignInOutcome.Refused);
        Assert.DoesNotContain($"/people/{person.Id}", (await Pages.GetAsync(tacit, "/")).Html, StringComparison.Ordinal);
        Assert.Empty(await LoginsAsync(org.Id));
    }

    [Fact]
    public async Task A_replayed_callback_and_a_sign_in_started_too_long_ago_are_refused()
    {
        var org = await OrganisationWithProviderAsync();
        var person = await AddPersonAsync(org, "cy");
        await Provider.AddAccountAsync("cy-" + Suffix(), person.Email);

        var tacit = app.CreateClient(Browser);
        var back = await Provider.AuthorizeAsync(await StartAsync(tacit, org.Slug, person.Email), person.Email, new CookieContainer());
        Assert.Equal("/", Pages.PathOf((await tacit.GetAsync(back.PathAndQuery)).Headers.Location));
        // The same answer again, from the same browser and from another one.
        await AssertProblemAsync(await tacit.GetAsync(back.PathAndQuery), CompanySignInOutcome.Stale);
        await AssertProblemAsync(await app.CreateClient(Browser).GetAsync(back.PathAndQuery), CompanySignInOutcome.Stale);

        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var slow = host.CreateClient(Browser);
        var late = await Provider.AuthorizeAsync(await StartAsync(slow, org.Slug, person.Email), person.Email, new CookieContainer());
        clock.Advance(CompanySignInOptions.StartedSignInLifetime + TimeSpan.FromMinutes(1));
        await AssertProblemAsync(await slow.GetAsync(late.PathAndQuery), CompanySignInOutcome.Stale);
    }

    [Fact]
    public async Task A_provider_that_is_down_gives_a_clear_page_before_and_after_the_person_went_there()
    {
        var org = await OrganisationWithProviderAsync();
        var person = await AddPersonAsync(org, "di");

        // Down from the start: its discovery document cannot be fetched.
        var nowhere = $"http://127.0.0.1:{ClosedPort()}";
        await ConfigureAsync(org, c => c with { Issuer = nowhere });
        var tacit = app.CreateClient(Browser);
        await AssertProblemAsync(await tacit.GetAsync($"/signin/company/{org.Slug}"), CompanySignInOutcome.Unreachable);

        // Down after the person signed in there: the code cannot be redeemed.
        var going = await OidcTestProvider.StartAsync();
        Uri back;
        try
        {
            await RegisterClientAsync(going, org);
            await going.AddAccountAsync("di-" + Suffix(), person.Email);
            await ConfigureAsync(org, c => c with { Issuer = going.Issuer });
            back = await going.AuthorizeAsync(await StartAsync(tacit, org.Slug, person.Email), person.Email, new CookieContainer());
        }
        finally { await going.DisposeAsync(); }
        await AssertProblemAsync(await tacit.GetAsync(back.PathAndQuery), CompanySignInOutcome.Unreachable);
        var page = await Pages.GetAsync(tacit, CompanySignInPaths.Problem(CompanySignInOutcome.Unreachable));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("could not reach your company", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_sends_people_to_their_provider_by_email_domain_or_URL_name_and_otherwise_asks_for_the_password()
    {
        var org = await OrganisationWithProviderAsync();
        var tacit = app.CreateClient(Browser);

        // The page moves on by itself (a refresh, not a redirect of the form's post, which form-action 'self' would stop).
        var byEmail = await PostSignInAsync(tacit, $"someone@{org.Slug.ToUpperInvariant()}.example", "");
        Assert.Contains($"<meta http-equiv=\"refresh\" content=\"0;url=/signin/company/{org.Slug}?returnUrl=%2F&amp;email=someone%40", await byEmail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var byName = await PostSignInAsync(tacit, org.Slug, "");
        Assert.Contains($"<meta http-equiv=\"refresh\" content=\"0;url=/signin/company/{org.Slug}?returnUrl=%2F&amp;email=\"", await byName.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var elsewhere = await PostSignInAsync(tacit, "someone@example.org", "");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Contains("Password is required", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var noSuchName = await PostSignInAsync(tacit, "no-such-organisation-" + Suffix(), "");
        Assert.Contains("No organisation with company sign-in has that URL name", await noSuchName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_company_sign_in_turns_passwords_off_except_for_the_break_glass_admin()
    {
        var org = await OrganisationWithProviderAsync();
        var member = await AddPersonAsync(org, "ed");
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<UserManager<TacitUser>>().CreateAsync(
            new TacitUser { UserName = member.Email, Email = member.Email, OrganisationId = org.Id, PersonId = member.Id }, Password));

        await ConfigureAsync(org, c => c with { Required = true, BreakGlassPersonId = org.AdminPersonId });

        var refused = await PostSignInAsync(app.CreateClient(Browser), member.Email, Password);
        Assert.Contains("Your organisation signs in with its company account", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostSignInAsync(app.CreateClient(Browser), org.AdminEmail, Password)).StatusCode);
    }

    [Fact]
    public async Task The_settings_page_stores_the_secret_encrypted_never_shows_it_and_sign_out_offers_the_provider_sign_out()
    {
        var created = await app.CreateOrganisationAsync("page-" + Suffix(), Password);
        var org = new Org(created.Organisation.Id, created.Organisation.Slug, created.AdminUser.Email!, created.AdminUser.PersonId);
        var secret = "page-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        await Provider.AddClientAsync("tacit-" + org.Slug, secret, $"http://127.0.0.1/signin/company/{org.Slug}/callback",
            $"http://127.0.0.1/signout/company/{org.Slug}/callback");
        var admin = await Pages.SignedInClientAsync(app, org.AdminEmail, Password);

        var saved = await Pages.PostFormAsync(admin, "/settings/company-sign-in", "company-sign-in", new Dictionary<string, string>
        {
            ["Form.Enabled"] = "true", ["Form.Issuer"] = Provider.Issuer + "/", ["Form.ClientId"] = "tacit-" + org.Slug, ["Form.ClientSecret"] = secret,
            ["Form.Scopes"] = "openid email", ["Form.EmailClaim"] = "email", ["Form.AllowedDomains"] = $"{org.Slug}.example",
            ["Form.UnknownPeople"] = "Refuse", ["Form.BreakGlassPersonId"] = "",
        });
        var html = await saved.Content.ReadAsStringAsync();
        Assert.Contains("Saved.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await Pages.GetAsync(admin, "/settings/company-sign-in")).Html, StringComparison.Ordinal);
        var stored = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Set<CompanySignInProvider>().SingleAsync());
        Assert.DoesNotContain(secret, stored.ProtectedClientSecret, StringComparison.Ordinal);
        Assert.Equal(secret, app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Tacit.CompanySignIn.ClientSecret.v1").Unprotect(stored.ProtectedClientSecret));
        Assert.Equal(Provider.Issuer, stored.Issuer);
        var audit = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().AuditEntries.Where(e => e.Action == "company-sign-in.changed").ToListAsync());
        Assert.DoesNotContain(audit, e => e.Details.Contains(secret, StringComparison.Ordinal) || e.Subject.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(app.ServerErrors.All, line => line.Contains(secret, StringComparison.Ordinal));

        // The admin signs in through the provider now, and signs out of both.
        await Provider.AddAccountAsync("admin-" + Suffix(), org.AdminEmail);
        var tacit = app.CreateClient(Browser);
        await SignInThroughProviderAsync(tacit, org.Slug, org.AdminEmail);
        var signedOut = await Pages.PostFormAsync(tacit, "/signout", "signout", new Dictionary<string, string>());
        Assert.Equal($"/signout?provider={org.Slug}", Pages.PathOf(signedOut.Headers.Location));
        var offered = await Pages.GetAsync(tacit, Pages.PathOf(signedOut.Headers.Location));
        Assert.Contains($"href=\"/signout/company/{org.Slug}\"", offered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/people/{org.AdminPersonId}", offered.Html, StringComparison.Ordinal);
        var endSession = await tacit.GetAsync($"/signout/company/{org.Slug}");
        Assert.Equal(HttpStatusCode.Redirect, endSession.StatusCode);
        Assert.StartsWith($"{Provider.Issuer}/session/end?", endSession.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("client_id=tacit-" + org.Slug, endSession.Headers.Location.Query, StringComparison.Ordinal);
    }

    private const string Password = "correct-horse-battery";

    private sealed record Org(Guid Id, string Slug, string AdminEmail, Guid AdminPersonId);

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    private async Task<Org> OrganisationWithProviderAsync()
    {
        var created = await app.CreateOrganisationAsync("co-" + Suffix(), Password);
        var org = new Org(created.Organisation.Id, created.Organisation.Slug, created.AdminUser.Email!, created.AdminUser.PersonId);
        await RegisterClientAsync(Provider, org);
        await ConfigureAsync(org, c => c);
        return org;
    }

    private static Task RegisterClientAsync(OidcTestProvider provider, Org org) =>
        provider.AddClientAsync("tacit-" + org.Slug, "secret-" + org.Slug, $"http://127.0.0.1/signin/company/{org.Slug}/callback");

    private async Task ConfigureAsync(Org org, Func<CompanySignInChange, CompanySignInChange> change)
    {
        var current = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<CompanySignInSettings>().ReadAsync());
        var given = current.Configured
            ? new CompanySignInChange(current.Issuer, current.ClientId, current.Scopes, current.EmailClaim, current.AllowedDomains, current.UnknownPeople,
                current.Required, current.BreakGlassPersonId, current.Enabled)
            : new CompanySignInChange(Provider.Issuer, "tacit-" + org.Slug, null, null, $"{org.Slug}.example", UnknownPeople.Refuse, false, null, true);
        await app.InScopeAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<CompanySignInSettings>().SaveAsync(change(given), current.HasClientSecret ? null : "secret-" + org.Slug);
            return true;
        });
    }

    private Task<Person> AddPersonAsync(Org org, string name) =>
        app.InScopeAsync(org.Id, sp => sp.GetRequiredService<PeopleAdministration>().CreateAsync($"{name}-{Suffix()}@{org.Slug}.example",
            new ProfileInput($"Person {name}", null, null, 3, null, null, null), null, Roles.Member));

    private Task<Person?> PersonAsync(Guid organisationId, string email) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().People.AsNoTracking().SingleOrDefaultAsync(p => p.Email == email));

    private Task<List<IdentityUserLogin<Guid>>> LoginsAsync(Guid organisationId) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().UserLogins.AsNoTracking()
            .Where(l => l.LoginProvider == JustInTimeSignIn.LoginProvider(organisationId)).ToListAsync());

    private async Task<Uri> StartAsync(HttpClient tacit, string slug, string email)
    {
        var start = await tacit.GetAsync($"/signin/company/{slug}?email={Uri.EscapeDataString(email)}");
        Assert.True(start.StatusCode == HttpStatusCode.Redirect, $"{start.StatusCode}: {app.ServerErrors}");
        return start.Headers.Location!;
    }

    /// <summary>The whole round trip as a browser makes it: Tacit, the provider's login form, and back to Tacit's callback.</summary>
    private async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient tacit, string slug, string email)
    {
        var back = await Provider.AuthorizeAsync(await StartAsync(tacit, slug, email), email, new CookieContainer());
        Assert.Equal("127.0.0.1", back.Host);
        return await tacit.GetAsync(back.PathAndQuery);
    }

    private static Task AssertProblemAsync(HttpResponseMessage response, string why)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(CompanySignInPaths.Problem(why), Pages.PathOf(response.Headers.Location));
        return Task.CompletedTask;
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password) =>
        await Pages.PostFormAsync(client, "/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class CompanySignInSqliteTests(SqliteApp app, OidcProviderFixture provider)
    : CompanySignInTests(app, provider), IClassFixture<SqliteApp>, IClassFixture<OidcProviderFixture>;

public sealed class CompanySignInPostgresTests(PostgresApp app, OidcProviderFixture provider)
    : CompanySignInTests(app, provider), IClassFixture<PostgresApp>, IClassFixture<OidcProviderFixture>;
