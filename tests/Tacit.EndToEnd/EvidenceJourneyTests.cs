using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Domain.Skills;
using Tacit.Testing;
using Tacit.Web.Features.Organisations;

namespace Tacit.EndToEnd;

/// <summary>
/// Evidence by consent, in the browser: Pia submits training with a certificate on a phone and asks Cole to confirm it;
/// Cole confirms it on a desktop; it shows on Pia's record; Pia shares a pack with her manager Mo, who opens it on a
/// desktop and a phone; Pia sees that he did. Every page is checked with axe and the HTML checker.
/// </summary>
public sealed class EvidenceJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = CycleScenario.Password;
    private const string Slug = "proof";
    private const string Skill = "Negotiation";
    private const string Course = "Negotiation course, Acme Academy";
    private const string PackTitle = "Appraisal 2026";

    /// <summary>The smallest file that reads as a PDF by its content (what Tacit checks), not by its name.</summary>
    private static readonly byte[] Certificate = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    [Fact]
    public async Task Training_is_confirmed_shows_on_the_record_and_a_shared_pack_is_opened_by_the_manager()
    {
        await OrganisationAsync();

        var pia = await server.NewPageAsync(390, 844);
        await TacitServer.SignInAsync(pia, $"pia@{Slug}.example", Password);
        await pia.GotoAsync("/me/training");
        await Assertions.Expect(pia.GetByRole(AriaRole.Heading, new() { Name = "Training done elsewhere", Level = 1 })).ToBeVisibleAsync();
        await Checked(pia, "100-phone-training-empty");
        await pia.GetByLabel("What you did").FillAsync(Course);
        await pia.GetByLabel("When (the day it ended)").FillAsync(TimeProvider.System.GetUtcNow().AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await pia.GetByLabel("Hours").FillAsync("7.5");
        await pia.GetByLabel("First skill").FillAsync(Skill);
        await pia.GetByLabel("Certificate or other evidence", new() { Exact = false })
            .SetInputFilesAsync(new FilePayload { Name = "certificate.pdf", MimeType = "application/pdf", Buffer = Certificate });
        await pia.GetByLabel("A colleague who can confirm it", new() { Exact = false }).FillAsync($"cole@{Slug}.example");
        await pia.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();
        await Assertions.Expect(pia.GetByText("Added to your record. Cole Colleague is asked to confirm it.")).ToBeVisibleAsync();
        await Assertions.Expect(pia.GetByRole(AriaRole.Link, new() { Name = "certificate.pdf" })).ToBeVisibleAsync();
        await Checked(pia, "101-phone-training-submitted");

        var cole = await server.NewPageAsync(1366, 900);
        await TacitServer.SignInAsync(cole, $"cole@{Slug}.example", Password);
        await cole.GotoAsync("/me/training");
        await cole.GetByRole(AriaRole.Link, new() { Name = $"Pia Person: {Course}" }).ClickAsync();
        await Assertions.Expect(cole.GetByRole(AriaRole.Heading, new() { Name = Course, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(cole.GetByText("waiting for Cole Colleague to confirm")).ToBeVisibleAsync();
        await Checked(cole, "102-desktop-training-to-confirm");
        await cole.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await Assertions.Expect(cole.GetByText("Confirmed. Thank you.")).ToBeVisibleAsync();
        await Assertions.Expect(cole.GetByText("confirmed by Cole Colleague")).ToBeVisibleAsync();
        await Assertions.Expect(cole.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true })).ToHaveCountAsync(0);
        await Checked(cole, "103-desktop-training-confirmed");

        await pia.GotoAsync("/me/learning-record");
        await Assertions.Expect(pia.GetByText(Course, new() { Exact = false }).First).ToBeVisibleAsync();
        await Assertions.Expect(pia.GetByText("confirmed by Cole Colleague", new() { Exact = false }).First).ToBeVisibleAsync();
        await Checked(pia, "104-phone-record-with-training");

        await pia.GotoAsync("/me/packs");
        await pia.GetByLabel("Title").FillAsync(PackTitle);
        await Assertions.Expect(pia.GetByLabel("Share with")).ToContainTextAsync("Mo Manager (your manager)");
        await Checked(pia, "105-phone-new-pack");
        await pia.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        await Assertions.Expect(pia.GetByText("Shared with Mo Manager.")).ToBeVisibleAsync();
        await Assertions.Expect(pia.GetByText("Not opened yet.")).ToBeVisibleAsync();

        // Cole, not the one it is shared with, finds nothing; Mo opens it on a desktop and a phone.
        await cole.GotoAsync("/packs/shared-with-me");
        await Assertions.Expect(cole.GetByText("Nobody has shared a pack with you.")).ToBeVisibleAsync();
        foreach (var (width, height, device) in new[] { (1366, 900, "desktop"), (390, 844, "phone") })
        {
            var mo = await server.NewPageAsync(width, height);
            await TacitServer.SignInAsync(mo, $"mo@{Slug}.example", Password);
            await mo.GotoAsync("/packs/shared-with-me");
            await Checked(mo, $"106-{device}-packs-shared-with-me");
            await mo.GetByRole(AriaRole.Link, new() { Name = $"Pia Person: {PackTitle}" }).ClickAsync();
            await Assertions.Expect(mo.GetByRole(AriaRole.Heading, new() { Name = PackTitle, Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(mo.GetByText(Course, new() { Exact = false }).First).ToBeVisibleAsync();
            await Assertions.Expect(mo.GetByText("confirmed by Cole Colleague", new() { Exact = false }).First).ToBeVisibleAsync();
            await Checked(mo, $"107-{device}-pack-opened-by-manager");
            await mo.Context.CloseAsync();
        }

        await pia.GotoAsync("/me/packs");
        await Assertions.Expect(pia.GetByText("Mo Manager opened your pack on", new() { Exact = false })).ToHaveCountAsync(2);
        await Checked(pia, "108-phone-pack-opened");
        await pia.Context.CloseAsync();
        await cole.Context.CloseAsync();
    }

    /// <summary>Fay (admin) runs it; Pia, in finance, is managed by Mo; Cole is a colleague; the catalogue has the skill.</summary>
    private async Task OrganisationAsync()
    {
        Guid orgId;
        await using (var scope = server.Services.CreateAsyncScope())
            orgId = (await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Proof", Slug, "Fay Facilitator", $"fay@{Slug}.example", Password))).Organisation.Id;
        await new CycleScenario(server.Services, orgId)
            .Person("mo", "Finance", "Mo Manager")
            .Person("pia", "Finance", "Pia Person", manager: "mo").Wants("pia", Skill, Priority.High)
            .Person("cole", "Sales", "Cole Colleague")
            .SeedAsync();
    }

    private async Task Checked(IPage page, string screenshot)
    {
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, screenshot);
    }
}
