using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>
/// A new organisation's first hour, in Chromium: sign up, import colleagues, edit a profile, add skills
/// with the picker, invite a colleague, find them in the directory by a skill, and erase a colleague who asks to be
/// forgotten. Every page visited is
/// checked for accessibility.
/// </summary>
public sealed partial class FirstOrganisationJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private async Task VisitedAsync(IPage page, string screenshot)
    {
        await TacitServer.ScreenshotAsync(page, screenshot);
        await server.AssertPageAsync(page);
    }

    [Fact]
    public async Task Sign_up_import_profile_skills_invite_and_find_a_colleague_by_skill()
    {
        var admin = await server.NewPageAsync();
        await admin.GotoAsync("/");
        await VisitedAsync(admin, "01-home");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Create your organisation" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create organisation" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Organisation name is required.").First).ToBeVisibleAsync();
        await VisitedAsync(admin, "02-signup-errors");
        await admin.GetByLabel("Organisation name").FillAsync("Fabrikam");
        await admin.GetByLabel("URL name").FillAsync("fabrikam");
        await admin.GetByLabel("Your name").FillAsync("Ada Admin");
        await admin.GetByLabel("Your work email").FillAsync("ada@fabrikam.example");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create organisation" }).ClickAsync();
        // Whether or not the address has an account, the page says the same; the mail says how to go on.
        await Assertions.Expect(admin.GetByText("Check your email:")).ToBeVisibleAsync();
        await VisitedAsync(admin, "02b-signup-check-email");
        var confirm = SignUpLink().Match(await server.Mail.WaitForMailToAsync("ada@fabrikam.example", "/signup/confirm")).Value;
        await admin.GotoAsync(new Uri(confirm).PathAndQuery);
        await VisitedAsync(admin, "02c-signup-password");
        await admin.GetByLabel("Password").FillAsync("fabrikam-secret");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create organisation" }).ClickAsync();

        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/people/import"));
        await VisitedAsync(admin, "03-import");
        var csv = Path.Combine(Path.GetTempPath(), $"people-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "name,email,department,title,level,manager_email\n" +
            "Grace Hopper,grace@fabrikam.example,Engineering,Engineer,5,ada@fabrikam.example\n" +
            "Lin Chen,lin@fabrikam.example,Sales,Account Manager,4,grace@fabrikam.example\n" +
            "Bad Row,not-an-email,Sales,,12,\n");
        await admin.GetByLabel(new Regex("^CSV file")).SetInputFilesAsync(csv);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("'not-an-email' is not a valid email address.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Import 2 people") })).ToBeVisibleAsync();
        await VisitedAsync(admin, "04-import-preview-errors");
        await admin.SetViewportSizeAsync(390, 844);
        await VisitedAsync(admin, "04b-phone-import-preview-errors");
        await admin.SetViewportSizeAsync(1280, 900);
        // The rejected rows come back as a spreadsheet with the reason beside each.
        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download the rejected rows") }).ClickAsync());
        var rejected = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("Bad Row,not-an-email", rejected, StringComparison.Ordinal);
        Assert.Contains("is not a valid email address", rejected, StringComparison.Ordinal);

        await File.WriteAllTextAsync(csv, "name,email,department,title,level,manager_email\n" +
            "Grace Hopper,grace@fabrikam.example,Engineering,Engineer,5,ada@fabrikam.example\n" +
            "Lin Chen,lin@fabrikam.example,Sales,Account Manager,4,grace@fabrikam.example\n");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await admin.GetByLabel(new Regex("^CSV file")).SetInputFilesAsync(csv);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Import 2") }).ClickAsync();
        await Assertions.Expect(admin.GetByText(new Regex("Import done: 2 people added"))).ToBeVisibleAsync();
        await admin.GotoAsync("/people");
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Lin Chen" })).ToBeVisibleAsync();
        await VisitedAsync(admin, "05-directory");

        // The import is in the audit log, reached from Settings, at both widths.
        await admin.GotoAsync("/settings");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "people.imported" })).ToBeVisibleAsync();
        await VisitedAsync(admin, "05b-audit-log");
        await admin.SetViewportSizeAsync(390, 844);
        await VisitedAsync(admin, "05c-phone-audit-log");
        await admin.SetViewportSizeAsync(1280, 900);

        // Ada edits her own profile.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ada Admin" }).First.ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit profile" }).ClickAsync();
        await admin.GetByLabel("Job title").FillAsync("Head of People");
        await admin.GetByLabel("Department").FillAsync("People");
        await admin.GetByLabel("Level of authority (1–10)").FillAsync("7");
        await admin.GetByLabel("About you").FillAsync("<script>alert('x')</script> I like coaching.");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Profile saved.")).ToBeVisibleAsync();
        await VisitedAsync(admin, "06-edit-profile");

        // Skills with the picker: an alias finds the catalogue's name.
        await admin.GotoAsync("/me/skills");
        await admin.Locator("#share-skill").FillAsync("Excel");
        await admin.Locator("#share-level").FillAsync("4");
        await admin.Locator("form").Filter(new() { Has = admin.Locator("#share-skill") }).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Added Spreadsheets to what you can share.")).ToBeVisibleAsync();
        await admin.Locator("#want-skill").FillAsync("Negotiation");
        await admin.Locator("#want-priority").SelectOptionAsync("High");
        await admin.Locator("#want-why").FillAsync("Supplier contracts are coming up.");
        await admin.Locator("#want-teacher").FillAsync("lin@fabrikam.example");
        await admin.Locator("form").Filter(new() { Has = admin.Locator("#want-skill") }).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Added Negotiation to what you want to learn.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByText("high priority · from Lin Chen")).ToBeVisibleAsync();
        await admin.Locator("#want-skill").FillAsync("Underwater basket weaving");
        await admin.Locator("form").Filter(new() { Has = admin.Locator("#want-skill") }).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("There is no skill called 'Underwater basket weaving'").First).ToBeVisibleAsync();
        await VisitedAsync(admin, "07-my-skills");

        await admin.GotoAsync("/people");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ada Admin" }).First.ClickAsync();
        await Assertions.Expect(admin.GetByText("<script>alert('x')</script> I like coaching.")).ToBeVisibleAsync();
        await VisitedAsync(admin, "08-profile");

        // Ada invites Lin, who joins from the emailed link and says what she can share.
        await admin.GotoAsync("/people?q=Lin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Lin Chen" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send an invitation" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Invitation written to")).ToBeVisibleAsync();
        var link = InvitationLink().Match(await server.Mail.WaitForMailToAsync("lin@fabrikam.example", "/invitation/")).Value;
        var lin = await server.NewPageAsync(390, 844);
        await lin.GotoAsync(new Uri(link).AbsolutePath);
        await VisitedAsync(lin, "09-invitation-phone");
        await lin.GetByLabel("Password").FillAsync("lin-secret-pass");
        await lin.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(lin).ToHaveURLAsync(new Regex("/me/skills"));
        await lin.Locator("#share-skill").FillAsync("Negotiation");
        await lin.Locator("#share-groups").CheckAsync();
        await lin.Locator("form").Filter(new() { Has = lin.Locator("#share-skill") }).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(lin.GetByText("Added Negotiation to what you can share.")).ToBeVisibleAsync();
        await VisitedAsync(lin, "10-my-skills-phone");

        // Ada finds Lin by the skill, using one of its other names.
        await admin.GotoAsync("/people");
        await admin.GetByLabel("Can share").FillAsync("negotiating");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("1 person found who can share Negotiation.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Lin Chen" })).ToBeVisibleAsync();
        await VisitedAsync(admin, "11-directory-by-skill");

        // Grace asks to be forgotten: Ada erases her, after typing her name, and the directory keeps only a count.
        await admin.GotoAsync("/people?q=Grace");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit profile" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Erase Grace Hopper for good…" }).ClickAsync();
        await admin.SetViewportSizeAsync(390, 844);
        await VisitedAsync(admin, "12-erase-phone");
        await admin.SetViewportSizeAsync(1280, 900);
        await admin.GetByLabel("To confirm, type their name: Grace Hopper").FillAsync("Grace");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("Type the name exactly as shown");
        await admin.GetByLabel("To confirm, type their name: Grace Hopper").FillAsync("Grace Hopper");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("The person was erased on");
        await Assertions.Expect(admin.GetByText("People who reported to them (now without a manager): 1")).ToBeVisibleAsync();
        await VisitedAsync(admin, "13-erased");
        await admin.GotoAsync("/people?q=Grace");
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" })).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"http://\S+/signup/confirm\?code=\S+")]
    private static partial Regex SignUpLink();

    [GeneratedRegex(@"http://\S+/invitation/[0-9a-f]+")]
    private static partial Regex InvitationLink();
}
