using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>
/// A facilitator of the demo organisation runs a whole cycle through the pages — managers, a question of their own,
/// the intake, the map, a match run in the background, publishing — while a member answers the intake and then sees
/// their published match. Every page on the way is checked with axe.
/// </summary>
public sealed class LearningCycleJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = "tacit-demo-2026";

    [Fact]
    public async Task A_facilitator_runs_a_cycle_and_a_member_answers_the_intake_and_sees_the_published_match()
    {
        var alex = await server.NewPageAsync();
        await alex.GotoAsync("/");
        await alex.GetByRole(AriaRole.Button, new() { Name = "Load the demo organisation" }).ClickAsync();
        await TacitServer.SignInAsync(alex, "alex.morgan@northwind.example", Password);

        await alex.GotoAsync("/cycles");
        await alex.GetByLabel("Name").FillAsync("Spring cycle");
        await alex.GetByRole(AriaRole.Button, new() { Name = "Create cycle" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Spring cycle" })).ToBeVisibleAsync();
        var cycle = new Uri(alex.Url).AbsolutePath;

        // Steps that email many people say how many and ask once.
        await alex.GetByRole(AriaRole.Button, new() { Name = "Start enrolment" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex(@"^Email \d+ managers?\?$") })).ToBeVisibleAsync();
        await Checked(alex, "39-cycle-confirm-enrolment");
        await alex.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Start enrolment and email") }).ClickAsync();
        await Assertions.Expect(alex.GetByText(new Regex(@"Enrolment started: \d+ manager"))).ToBeVisibleAsync();
        await alex.GetByRole(AriaRole.Link, new() { Name = "Managers" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Table)).ToContainTextAsync("Not answered yet");
        await Checked(alex, "40-cycle-managers");

        await alex.GotoAsync(cycle + "/questions");
        await alex.GetByLabel("Question").FillAsync("Have you taught a colleague before?");
        await alex.GetByLabel("Choices, one per line").FillAsync("Yes\nNo\nNot sure");
        await alex.GetByRole(AriaRole.Button, new() { Name = "Add question" }).ClickAsync();
        await Assertions.Expect(alex.GetByText("Question added.")).ToBeVisibleAsync();
        await Checked(alex, "41-cycle-questions");

        await alex.GotoAsync(cycle);
        await alex.GetByRole(AriaRole.Button, new() { Name = "Open the intake" }).ClickAsync();
        await alex.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Open the intake and email") }).ClickAsync();
        await Assertions.Expect(alex.GetByText(new Regex(@"The intake is open: \d+ participant"))).ToBeVisibleAsync();
        await Checked(alex, "42-cycle-overview-intake");

        // A member answers the intake from their start page.
        var sam = await server.NewPageAsync(390, 844);
        await TacitServer.SignInAsync(sam, "sam.patel@northwind.example", Password);
        await sam.GetByRole(AriaRole.Link, new() { Name = "Answer the intake" }).ClickAsync();
        await Assertions.Expect(sam.GetByText("Only you can read these answers")).ToBeVisibleAsync();
        await sam.Locator("#want-skill").FillAsync("Excel");
        await sam.Locator("#want-why").FillAsync("For the quarterly report");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Add" }).First.ClickAsync();
        await Assertions.Expect(sam.GetByText(new Regex("(Added|Updated) Spreadsheets"))).ToBeVisibleAsync();
        await sam.Locator("#share-skill").FillAsync("Nonexistent skill");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Add" }).Nth(1).ClickAsync();
        await Assertions.Expect(sam.GetByText("There is no skill called 'Nonexistent skill'").First).ToBeVisibleAsync();
        await sam.GetByLabel("I don't have time").CheckAsync();
        await sam.GetByLabel("Monday 09:00").CheckAsync();
        await sam.GetByLabel("Thursday 14:00").CheckAsync();
        await sam.GetByLabel("Not sure", new() { Exact = true }).CheckAsync();
        await sam.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Assertions.Expect(sam.GetByText("Thank you: your answers are saved.")).ToBeVisibleAsync();
        await Assertions.Expect(sam.GetByLabel("Thursday 14:00")).ToBeCheckedAsync();
        await Checked(sam, "43-intake-phone");

        await alex.GotoAsync(cycle + "/responses");
        await Assertions.Expect(alex.GetByText(new Regex(@"^1 of \d+$")).First).ToBeVisibleAsync();
        await Assertions.Expect(alex.GetByText("Released when the intake closes.").First).ToBeVisibleAsync();
        await Checked(alex, "44-cycle-responses");

        await alex.GotoAsync(cycle);
        await alex.GetByRole(AriaRole.Button, new() { Name = "Close the intake and publish the map" }).ClickAsync();
        await Assertions.Expect(alex.GetByText("The intake is closed and the map is published.")).ToBeVisibleAsync();
        await alex.GotoAsync(cycle + "/map");
        await Assertions.Expect(alex.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("most wanted skills") })).ToBeVisibleAsync();
        await Checked(alex, "45-cycle-map");

        // The match runs in the background; the page follows it and shows the result.
        await alex.GotoAsync(cycle + "/matching");
        // Weights are named choices; the page follows the run (no reload of its own) and shows its result.
        await alex.GetByLabel("Crossing departments").SelectOptionAsync(new SelectOptionValue { Label = "More (12)" });
        await alex.GetByRole(AriaRole.Button, new() { Name = "Run the matching" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Cell, new() { Name = "Succeeded" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Equal(0, await alex.Locator("meta[http-equiv=refresh]").CountAsync());
        await Checked(alex, "46-cycle-matching");
        // A second run with other weights; the comparison names the pairs that changed.
        await alex.GetByLabel("Crossing departments").SelectOptionAsync(new SelectOptionValue { Label = "Not at all (0)" });
        await alex.GetByRole(AriaRole.Button, new() { Name = "Run the matching" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Cell, new() { Name = "Succeeded" })).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Pairs that changed from run 1 to run 2" })).ToBeVisibleAsync();
        await Checked(alex, "46a-cycle-matching-compared");
        await alex.SetViewportSizeAsync(390, 844);
        await Checked(alex, "46b-phone-cycle-matching");
        await alex.SetViewportSizeAsync(1280, 900);
        await alex.GetByRole(AriaRole.Link, new() { Name = "Run 1" }).ClickAsync();
        await Assertions.Expect(alex.GetByText(new Regex(@"learners get a session"))).ToBeVisibleAsync();
        await Checked(alex, "47-cycle-run");
        await alex.SetViewportSizeAsync(390, 844);
        await Checked(alex, "47c-phone-cycle-run");
        await alex.SetViewportSizeAsync(1280, 900);
        await alex.GetByRole(AriaRole.Button, new() { Name = "Publish these proposals" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex(@"^Email \d+ (person|people)\?$") })).ToBeVisibleAsync();
        await Checked(alex, "47b-cycle-confirm-publish");
        // Publishing a large organisation takes a while: once pressed, the form says it is working and sends itself only
        // once. A listener that runs after busy.js's keeps each press on the page here, so the page can be read while it
        // works, and counts the presses busy.js lets through.
        await alex.EvaluateAsync("""
            () => {
              window.pressesSent = 0;
              window.keepPress = event => { if (!event.defaultPrevented) window.pressesSent++; event.preventDefault(); };
              window.addEventListener('submit', window.keepPress);
            }
            """);
        var publish = alex.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Publish and email") });
        await publish.ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex("^Working on it") })).ToBeVisibleAsync();
        await Assertions.Expect(publish).ToHaveAttributeAsync("aria-disabled", "true");
        await publish.ClickAsync(new() { Force = true });
        Assert.Equal(1, await alex.EvaluateAsync<int>("() => window.pressesSent"));
        await Checked(alex, "47d-cycle-publishing");
        // Now let the press through, as the first one would have gone.
        await alex.EvaluateAsync("() => { window.removeEventListener('submit', window.keepPress); delete document.querySelector('form[data-busy]').dataset.sent; }");
        await publish.ClickAsync(new() { Force = true });
        await Assertions.Expect(alex.GetByText(new Regex(@"Published: \d+ proposal"))).ToBeVisibleAsync();

        // The member sees the outcome, in their words, and a notification about it.
        await sam.GotoAsync("/");
        await sam.GetByRole(AriaRole.Link, new() { Name = "Your part in this cycle" }).ClickAsync();
        await Assertions.Expect(sam.GetByRole(AriaRole.Heading, new() { Name = "You will learn" })).ToBeVisibleAsync();
        await Checked(sam, "48-my-cycle-phone");
        await sam.GotoAsync("/notifications");
        await Assertions.Expect(sam.GetByText(new Regex("matched to learn|could not match you|asked to share")).First).ToBeVisibleAsync();
        await Checked(sam, "49-notifications-phone");
        await sam.GotoAsync("/offers");
        await Assertions.Expect(sam.GetByRole(AriaRole.Heading, new() { Name = "Offers and sessions" })).ToBeVisibleAsync();
        await Checked(sam, "50-offers-phone");
        await alex.GotoAsync("/offers");
        await Checked(alex, "51-offers-desktop");
        var when = TimeProvider.System.GetUtcNow().AddDays(5);
        await alex.GetByLabel("Time 1").First.FillAsync($"{when:yyyy-MM-dd}T10:00");
        await alex.GetByRole(AriaRole.Button, new() { Name = "Send the offer" }).First.ClickAsync();
        await Assertions.Expect(alex.GetByText("Your offer is sent.")).ToBeVisibleAsync();
        await Assertions.Expect(alex.GetByText(new Regex("times sent; the learners? answers? by")).First).ToBeVisibleAsync();
    }


    private async Task Checked(IPage page, string screenshot)
    {
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, screenshot);
    }
}
