using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Domain.Cycles;
using Tacit.Domain.Skills;
using Tacit.Testing;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Tenancy;

namespace Tacit.EndToEnd;

/// <summary>
/// A learner in Tokyo and a teacher in Kolkata say in the intake when they are free; after matching and publishing,
/// the teacher's offer form proposes times from the hours they share, in the teacher's zone, and the learner reads the
/// same hours in theirs. The changed pages are checked for accessibility on a phone and a desktop.
/// </summary>
public sealed class MeetableMatchJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = CycleScenario.Password;
    private const string Slug = "meet";

    [Fact]
    public async Task Free_hours_given_in_the_intake_become_proposed_times_on_the_offer_form()
    {
        Guid orgId;
        await using (var scope = server.Services.CreateAsyncScope())
            orgId = (await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Meet", Slug, "Fay Facilitator", $"fay@{Slug}.example", Password))).Organisation.Id;
        var scenario = new CycleScenario(server.Services, orgId)
            .Person("tara", "Sales", "Tara Teacher", timeZone: "Asia/Kolkata").Shares("tara", "Negotiation", sessions: 1)
            .Person("lee", "Finance", "Lee Learner", timeZone: "Asia/Tokyo").Wants("lee", "Negotiation", Priority.High);
        var cycleId = await scenario.CycleAsync(CycleState.Intake, "Meet cycle");

        // Tuesday 12:00–15:00 in Kolkata (06:30–09:30 UTC) and Tuesday 16:00–18:00 in Tokyo (07:00–09:00 UTC) share two hours.
        await AnswerIntakeAsync("tara", cycleId, ["Tuesday 12:00", "Tuesday 13:00", "Tuesday 14:00"], maxTeaching: "1", width: 1366);
        await AnswerIntakeAsync("lee", cycleId, ["Tuesday 16:00", "Tuesday 17:00"], maxTeaching: null, width: 390);

        var fay = await server.NewPageAsync(390, 844);
        await TacitServer.SignInAsync(fay, $"fay@{Slug}.example", Password);
        await fay.GotoAsync("/settings");
        await fay.GetByLabel("Sessions a teacher gives per cycle at most").FillAsync("4");
        await fay.GetByLabel("Sessions a teacher gives per cycle at most").Locator("xpath=ancestor::form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(fay.GetByText("Saved.")).ToBeVisibleAsync();
        await Checked(fay, "90-phone-settings-teacher-cap");

        // The intake closes with the map; the matching form offers the new settings, on a phone and a desktop.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(orgId);
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            (await db.Cycles.SingleAsync(c => c.Id == cycleId)).PublishMap(TimeProvider.System.GetUtcNow());
            await db.SaveChangesAsync();
        }
        foreach (var (width, height) in new[] { (390, 844), (1366, 900) })
        {
            await fay.SetViewportSizeAsync(width, height);
            await fay.GotoAsync($"/cycles/{cycleId}/matching");
            await Assertions.Expect(fay.GetByLabel("Common free hour", new() { Exact = true })).ToHaveValueAsync("Required");
            await Assertions.Expect(fay.GetByLabel("Largest authority gap between teacher and learner")).ToHaveValueAsync("");
            await Checked(fay, $"91-{width}-matching-settings");
        }
        await scenario.PublishAsync(cycleId);

        foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
        {
            var tara = await server.NewPageAsync(width, height);
            await TacitServer.SignInAsync(tara, $"tara@{Slug}.example", Password);
            await tara.GotoAsync("/offers");
            // The coming Tuesday's 07:00–09:00 UTC, read in Kolkata.
            await Assertions.Expect(tara.GetByText("You are both free on Tuesdays 12:30–14:30 (your time, Asia/Kolkata).")).ToBeVisibleAsync();
            // The state in the teacher's words: the times are hers to send.
            await Assertions.Expect(tara.GetByText(new Regex(@"^30 minutes · waiting for your times \(send them by "))).ToBeVisibleAsync();
            var first = await tara.GetByLabel(new Regex("^Time 1")).InputValueAsync();
            Assert.Matches(new Regex(@"T(12|13):30$"), first);
            await Checked(tara, $"92-{width}-teacher-offer-proposed");
            if (width == 390)
            {
                await tara.GetByRole(AriaRole.Button, new() { Name = "Send the offer" }).ClickAsync();
                await Assertions.Expect(tara.GetByText("Your offer is sent.")).ToBeVisibleAsync();
            }
            await tara.Context.CloseAsync();
        }

        var lee = await server.NewPageAsync(390, 844);
        await TacitServer.SignInAsync(lee, $"lee@{Slug}.example", Password);
        await lee.GotoAsync("/offers");
        // The proposed times, in Tokyo: Tuesday 16:00 or 17:00.
        await Assertions.Expect(lee.GetByRole(AriaRole.Radio).First).ToBeVisibleAsync();
        var choices = await lee.Locator("fieldset label").AllInnerTextsAsync();
        Assert.NotEmpty(choices);
        Assert.All(choices, c => Assert.Matches(new Regex(@"^Tuesday .*, (16|17):00$"), c));
        await Checked(lee, "93-phone-learner-times-in-tokyo");
    }

    private async Task AnswerIntakeAsync(string name, Guid cycleId, string[] slots, string? maxTeaching, int width)
    {
        var page = await server.NewPageAsync(width, 900);
        await TacitServer.SignInAsync(page, $"{name}@{Slug}.example", Password);
        await page.GotoAsync($"/cycles/{cycleId}/intake");
        foreach (var slot in slots) await page.GetByLabel(slot, new() { Exact = true }).CheckAsync();
        if (maxTeaching is not null) await page.GetByLabel(new Regex("^The most sessions I will give as a teacher")).FillAsync(maxTeaching);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Thank you: your answers are saved.", new() { Exact = false })).ToBeVisibleAsync();
        await Checked(page, $"89-{width}-intake-{name}");
        await page.Context.CloseAsync();
    }

    private async Task Checked(IPage page, string screenshot)
    {
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, screenshot);
    }
}
