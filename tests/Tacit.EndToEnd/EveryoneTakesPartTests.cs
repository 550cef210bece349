using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Domain.Cycles;
using Tacit.Testing;
using Tacit.Web.Features.Organisations;

namespace Tacit.EndToEnd;

/// <summary>
/// An admin gets 200 imported people signed in without 200 clicks: one action invites everyone just imported, a cycle's
/// email to someone without an account carries their own invitation that lands them on the intake, and those who have
/// not joined are sent a new link in one more action.
/// </summary>
public sealed partial class EveryoneTakesPartTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task Two_hundred_imported_people_are_invited_at_once_and_a_cycle_email_lands_one_on_their_intake()
    {
        var organisationId = await CreateOrganisationAsync();
        var admin = await server.NewPageAsync(1366, 900);
        await TacitServer.SignInAsync(admin, "ada@acme.example", Password);

        // 200 people from a spreadsheet.
        var csv = new StringBuilder("name,email,department,title,level,manager_email\n");
        for (var i = 1; i <= 200; i++)
            csv.Append(CultureInfo.InvariantCulture, $"Person {i:000},p{i:000}@acme.example,{(i % 2 == 0 ? "Sales" : "Engineering")},Analyst,4,\n");
        var file = Path.Combine(Path.GetTempPath(), $"acme-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv.ToString());
        await admin.GotoAsync("/people/import");
        await admin.GetByLabel(new Regex("^CSV file")).SetInputFilesAsync(file);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Import 200") }).ClickAsync();
        await Assertions.Expect(admin.GetByText(new Regex("Import done: 200 people added"))).ToBeVisibleAsync();

        // One action invites them all, after one confirmation that says how many will be emailed.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Invite the people just imported" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Never invited").First).ToBeVisibleAsync();
        await Checked(admin, "40-desktop-invitations");
        await admin.GetByLabel(new Regex("^The people just imported")).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite…" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Send 200 invitations?" })).ToBeVisibleAsync();
        await Checked(admin, "41-desktop-invitations-confirm");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send 200 invitations" }).ClickAsync();
        await Assertions.Expect(admin.GetByText(new Regex("^Sent 200 invitations\\."))).ToBeVisibleAsync();
        await Checked(admin, "42-desktop-invitations-sent");
        var invitation = InvitationLink().Match(await server.Mail.WaitForMailToAsync("p001@acme.example", "You are invited to Acme")).Value;
        // App__BaseUrl is not set: links follow the port the app listens on.
        Assert.StartsWith(server.BaseUrl + "/invitation/", invitation, StringComparison.Ordinal);

        // The cycle's intake opens; its email to someone who cannot sign in yet is their own invitation to the intake.
        var cycleId = await new CycleScenario(server.Services, organisationId).CycleAsync(CycleState.Intake);
        var cycleMail = await server.Mail.WaitForMailToAsync("p002@acme.example", "then=");
        var toIntake = InvitationLink().Match(cycleMail).Value;
        Assert.Contains("then=%2Fcycles%2F", toIntake, StringComparison.Ordinal);
        var pat = await server.NewPageAsync(390, 844);
        await pat.GotoAsync(toIntake);
        await Assertions.Expect(pat.GetByText("Welcome, Person 002.")).ToBeVisibleAsync();
        await Checked(pat, "43-phone-join-from-cycle-email");
        await pat.GetByLabel("Password").FillAsync(Password);
        await pat.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(pat).ToHaveURLAsync(new Regex($"/cycles/{cycleId}/intake$"));
        await Checked(pat, "44-phone-intake-after-joining");

        // The admin's invitation works too; a second link of the same person then leads to signing in.
        var pam = await server.NewPageAsync(390, 844);
        await pam.GotoAsync(invitation);
        await pam.GetByLabel("Password").FillAsync(Password);
        await pam.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(pam).ToHaveURLAsync(new Regex("/me/skills"));
        await pat.Context.ClearCookiesAsync();
        await pat.GotoAsync(toIntake);
        await Assertions.Expect(pat.GetByText("You have set your password already.")).ToBeVisibleAsync();

        // Who has joined, and a new link for everyone who has not, in one more action.
        foreach (var (width, device) in new[] { (1366, "desktop"), (390, "phone") })
        {
            await admin.SetViewportSizeAsync(width, 900);
            await admin.GotoAsync("/people/invitations");
            await Assertions.Expect(admin.Locator("dl.figures div").Filter(new() { HasText = "Can sign in" }).GetByText("3")).ToBeVisibleAsync();
            await Assertions.Expect(admin.Locator("dl.figures div").Filter(new() { HasText = "Invited, not yet joined" }).GetByText("198")).ToBeVisibleAsync();
            await Checked(admin, $"45-{device}-invitations-progress");
        }
        await admin.GetByLabel(new Regex("^Resend to everyone invited who has not joined \\(198\\)")).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite…" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send 198 invitations" }).ClickAsync();
        await Assertions.Expect(admin.GetByText(new Regex("^Sent 198 invitations\\."))).ToBeVisibleAsync();

        // Nothing chosen is an error next to the choice, not an email to nobody.
        await admin.GetByLabel("The people ticked below").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite…" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Tick at least one person in the list.")).ToBeVisibleAsync();
        await Checked(admin, "46-phone-invitations-error");
    }

    private async Task<Guid> CreateOrganisationAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
            .HandleAsync(new CreateOrganisation("Acme", "acme", "Ada Admin", "ada@acme.example", Password));
        return created.Organisation.Id;
    }


    private async Task Checked(IPage page, string screenshot)
    {
        await TacitServer.ScreenshotAsync(page, screenshot);
        await server.AssertPageAsync(page);
    }

    [GeneratedRegex(@"http://[^\s""<>]+/invitation/[0-9a-f]+(\?then=[^\s""<>]+)?")]
    private static partial Regex InvitationLink();
}
