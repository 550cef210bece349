using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Tacit.Domain.People;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.People;

/// <summary>
/// One address signs in to one organisation (ADR-007), and nothing an admin does tells whether an address has an
/// account in another: changing a person's email and inviting someone answer alike, and only the address's owner,
/// following the mailed link, learns that it is taken.
/// </summary>
public abstract partial class AccountsElsewhereTests(TacitApp app)
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task Changing_a_persons_email_moves_their_sign_in_once_they_confirm_from_the_new_address()
    {
        var org = await app.CreateOrganisationAsync("mail-" + Suffix());
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var newEmail = $"new-{org.Admin.Email}";

        await client.PutAsJsonAsync($"/api/people/{org.Admin.Id}", new
        {
            email = newEmail, displayName = org.Admin.DisplayName, roles = new[] { "Admin", "Facilitator" },
        }).ExpectAsync(HttpStatusCode.OK);
        // Until its owner confirms, the account keeps its address.
        await Pages.SignedInClientAsync(app, org.Admin.Email, Password);

        Assert.Contains($"you sign in to Tacit with <strong>{newEmail}</strong> from now on", await ConfirmFromMailAsync(newEmail), StringComparison.Ordinal);
        await Pages.SignedInClientAsync(app, newEmail, Password);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Pages.SignedInClientAsync(app, org.Admin.Email, Password));
    }

    [Fact]
    public async Task The_profile_page_says_a_changed_email_waits_for_the_link_sent_to_it_and_the_old_one_signs_in_until_then()
    {
        var org = await app.CreateOrganisationAsync("page-" + Suffix());
        var admin = await Pages.SignedInClientAsync(app, org.Admin.Email, Password);
        var ann = await PersonWithAccountAsync(org.Organisation.Id, $"ann@{org.Organisation.Slug}.example");
        var mine = $"new-{org.Admin.Email}";
        var hers = $"ann.new@{org.Organisation.Slug}.example";

        var own = await SaveEmailAsync(admin, org.Admin.Id, mine, admin: true);
        Assert.Contains($"Saved. We sent a confirmation link to {mine}. You keep signing in with {org.Admin.Email} until you open it", own, StringComparison.Ordinal);
        var other = await SaveEmailAsync(admin, ann.Id, hers, admin: false);
        Assert.Contains($"Saved. We sent a confirmation link to {hers}. ann keeps signing in with {ann.Email} until they open it", other, StringComparison.Ordinal);
        await app.Mail.WaitForMailToAsync(hers, "/confirm-email");
        // A save that changes no sign-in address says only that it saved.
        var again = await SaveEmailAsync(admin, ann.Id, ann.Email, admin: false);
        Assert.Contains("Saved.", again, StringComparison.Ordinal);
        Assert.DoesNotContain("confirmation link", again, StringComparison.Ordinal);
    }

    private static async Task<string> SaveEmailAsync(HttpClient client, Guid personId, string email, bool admin)
    {
        var fields = new Dictionary<string, string> { ["Admin.Email"] = email, ["Admin.ManagerEmail"] = "" };
        if (admin) (fields["Admin.Facilitator"], fields["Admin.IsAdmin"]) = ("true", "true");
        var response = await Pages.PostFormAsync(client, $"/people/{personId}/edit", "admin", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Regex.Replace(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), @"\s+", " ");
    }

    [Fact]
    public async Task An_admin_changing_emails_gets_the_same_answer_whether_or_not_an_address_has_an_account_elsewhere()
    {
        var org = await app.CreateOrganisationAsync("change-" + Suffix());
        var taken = (await app.CreateOrganisationAsync("elsewhere-" + Suffix())).AdminUser.Email!;
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var ann = await PersonWithAccountAsync(org.Organisation.Id, $"ann@{org.Organisation.Slug}.example");
        var bob = await PersonWithAccountAsync(org.Organisation.Id, $"bob@{org.Organisation.Slug}.example");
        var fresh = $"bob-{Suffix()}@example.com";

        var toTaken = await client.PutAsJsonAsync($"/api/people/{ann.Id}", new { email = taken, displayName = "Ann" }).ReadAsync<PersonDto>(HttpStatusCode.OK);
        var toFresh = await client.PutAsJsonAsync($"/api/people/{bob.Id}", new { email = fresh, displayName = "Bob" }).ReadAsync<PersonDto>(HttpStatusCode.OK);
        Assert.Equal((taken, fresh), (toTaken.Email, toFresh.Email));
        // Within the organisation an email is still one person's.
        await client.PutAsJsonAsync($"/api/people/{bob.Id}", new { email = taken, displayName = "Bob" }).ExpectAsync(HttpStatusCode.Conflict);

        // The address's owner learns it at confirmation, privately; Ann keeps signing in with her old address.
        Assert.Contains($"{taken} signs in to another organisation on Tacit already", await ConfirmFromMailAsync(taken), StringComparison.Ordinal);
        await Pages.SignedInClientAsync(app, ann.Email, Password);
        await Pages.SignedInClientAsync(app, taken, Password);
        Assert.Contains("from now on", await ConfirmFromMailAsync(fresh), StringComparison.Ordinal);
        await Pages.SignedInClientAsync(app, fresh, Password);
    }

    [Fact]
    public async Task Inviting_an_address_that_has_an_account_elsewhere_looks_to_the_admin_like_any_invitation()
    {
        var org = await app.CreateOrganisationAsync("invite-" + Suffix());
        var taken = (await app.CreateOrganisationAsync("other-" + Suffix())).AdminUser.Email!;
        var fresh = $"fresh-{Suffix()}@example.com";
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var admin = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, Password);

        var answers = new List<string>();
        foreach (var email in new[] { taken, fresh })
        {
            var person = await client.PostAsJsonAsync("/api/people", new { email, displayName = "Newcomer" }).ReadAsync<PersonDto>(HttpStatusCode.Created);
            var invited = await (await Pages.PostFormAsync(admin, $"/people/{person.Id}", "invite", new Dictionary<string, string>())).Content.ReadAsStringAsync();
            answers.Add(InviteMessage().Match(invited).Value);
        }
        Assert.NotEqual("", answers[0]);
        Assert.Equal(answers[0], answers[1]);
        Assert.DoesNotContain("/invitation/", answers[0], StringComparison.Ordinal);
        var summary = await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<Invitations>().SummaryAsync());
        Assert.Equal(new InvitationSummary(3, 1, 2, 0, 0), summary);

        // Only the owner of the address, following the mailed link, learns that it signs in elsewhere.
        var (_, takenPage) = await Pages.GetAsync(NewClient(), await InvitationPathAsync(taken));
        Assert.Contains("signs in to another organisation on Tacit already", takenPage, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"password\"", takenPage, StringComparison.Ordinal);
        var (_, freshPage) = await Pages.GetAsync(NewClient(), await InvitationPathAsync(fresh));
        Assert.Contains("Choose a password to sign in as", freshPage, StringComparison.Ordinal);
    }

    private HttpClient NewClient() => app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private Task<Person> PersonWithAccountAsync(Guid organisationId, string email) => app.InScopeAsync(organisationId, async sp =>
    {
        var person = await sp.GetRequiredService<PeopleAdministration>().CreateAsync(email, new ProfileInput(email.Split('@')[0], null, null, 3, null, null, null), null, Roles.Member);
        var result = await sp.GetRequiredService<UserManager<TacitUser>>().CreateAsync(
            new TacitUser { UserName = email, Email = email, OrganisationId = organisationId, PersonId = person.Id }, Password);
        Assert.True(result.Succeeded);
        return person;
    });

    /// <summary>Follows the confirmation link mailed to the address and presses Confirm; returns the page that answers.</summary>
    private async Task<string> ConfirmFromMailAsync(string email)
    {
        var link = new Uri(ConfirmLink().Match(await app.Mail.WaitForMailToAsync(email, "/confirm-email")).Value).PathAndQuery;
        var client = NewClient();
        var (_, form) = await Pages.GetAsync(client, link);
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return await (await Pages.PostFormAsync(client, link, "confirm-email", fields)).Content.ReadAsStringAsync();
    }

    private async Task<string> InvitationPathAsync(string email) =>
        new Uri(InvitationLink().Match(await app.Mail.WaitForMailToAsync(email, "/invitation/")).Value).AbsolutePath;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    [GeneratedRegex(@"http://127\.0\.0\.1/confirm-email\?\S+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"http://127\.0\.0\.1/invitation/[0-9a-f]+")]
    private static partial Regex InvitationLink();

    [GeneratedRegex("<input type=\"hidden\" name=\"(Input\\.\\w+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();

    [GeneratedRegex("Invitation (written|sent)[^<]*")]
    private static partial Regex InviteMessage();
}

public sealed class AccountsElsewhereSqliteTests(SqliteApp app) : AccountsElsewhereTests(app), IClassFixture<SqliteApp>;

public sealed class AccountsElsewherePostgresTests(PostgresApp app) : AccountsElsewhereTests(app), IClassFixture<PostgresApp>;
