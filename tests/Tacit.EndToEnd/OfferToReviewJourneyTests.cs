using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Domain.Skills;
using Tacit.Testing;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Xapi;
using Tacit.Web.Tenancy;

namespace Tacit.EndToEnd;

/// <summary>
/// Three people in the browser, from a published group proposal to the review: the teacher offers a time, one learner
/// accepts it on a phone and writes questions, the other joins, both sides give feedback after the session, and the
/// facilitator holds the review and starts the next cycle. Every page is checked for accessibility.
/// </summary>
public sealed class OfferToReviewJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = CycleScenario.Password;
    private const string Slug = "trio";
    private const string Skill = "Negotiation";

    [Fact]
    public async Task A_teacher_and_two_learners_go_from_a_published_proposal_to_the_review()
    {
        var (orgId, cycleId) = await PublishedGroupCycleAsync();

        var tara = await server.NewPageAsync();
        await TacitServer.SignInAsync(tara, $"tara@{Slug}.example", Password);
        await tara.GotoAsync("/offers");
        await Assertions.Expect(tara.GetByText(new Regex("Lee Learner.*Lou Learner|Lou Learner.*Lee Learner")).First).ToBeVisibleAsync();
        await Checked(tara, "60-teacher-group-proposal");
        var when = TimeProvider.System.GetUtcNow().AddDays(3);
        await tara.GetByLabel("Time 1").First.FillAsync($"{when:yyyy-MM-dd}T10:00");
        await tara.GetByRole(AriaRole.Button, new() { Name = "Send the offer" }).First.ClickAsync();
        await Assertions.Expect(tara.GetByText("Your offer is sent.")).ToBeVisibleAsync();

        var lee = await server.NewPageAsync(390, 844);
        await TacitServer.SignInAsync(lee, $"lee@{Slug}.example", Password);
        await lee.GotoAsync("/offers");
        await lee.GetByRole(AriaRole.Radio).First.CheckAsync();
        await Checked(lee, "61-learner-offer-phone");
        await lee.GetByRole(AriaRole.Button, new() { Name = "Accept this time" }).ClickAsync();
        await Assertions.Expect(lee.GetByText("Accepted: the session is in your calendar invitation.")).ToBeVisibleAsync();
        await Assertions.Expect(lee.GetByText("waiting for a second learner")).ToBeVisibleAsync();
        await lee.GetByLabel("My questions for Tara Teacher (they will see them)").FillAsync("How do you structure a forecast?");
        await lee.GetByRole(AriaRole.Button, new() { Name = "Save my questions" }).ClickAsync();
        await Assertions.Expect(lee.GetByText("Your questions are saved; the teacher can read them.")).ToBeVisibleAsync();

        var lou = await server.NewPageAsync();
        await TacitServer.SignInAsync(lou, $"lou@{Slug}.example", Password);
        await lou.GotoAsync("/offers");
        await lou.GetByRole(AriaRole.Button, new() { Name = "Join the group session" }).ClickAsync();
        await Assertions.Expect(lou.GetByText("You joined the group session; the invitation is in your email.")).ToBeVisibleAsync();
        await Assertions.Expect(lou.GetByText("waiting for a second learner")).ToHaveCountAsync(0);
        await Checked(lou, "62-learner-joined");

        await tara.GotoAsync("/offers");
        await Assertions.Expect(tara.GetByText("Lee Learner wants to ask: How do you structure a forecast?")).ToBeVisibleAsync();
        // The updated invitation reaches the second learner through the mail outbox, in the background.
        await server.Mail.WaitForAsync(m => m.Contains($"lou@{Slug}.example", StringComparison.Ordinal) && m.Contains("filename=tacit-", StringComparison.Ordinal), "inviting Lou");

        // Time passes: the session was held two hours ago.
        var sessionId = await InOrganisationAsync(orgId, async db =>
        {
            var session = await db.Sessions.SingleAsync(s => s.CycleId == cycleId);
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, TimeProvider.System.GetUtcNow().AddHours(-2)));
            return session.Id;
        });

        await lee.GotoAsync("/offers");
        await lee.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Feedback") }).ClickAsync();
        await lee.GetByLabel("5 – very useful").CheckAsync();
        await lee.GetByLabel("What you learned (optional)").FillAsync("How to build a rolling forecast");
        await lee.GetByLabel("A thank-you note (optional)").FillAsync("Thank you, Tara!");
        await lee.GetByLabel("Show my thank-you note on their profile").CheckAsync();
        await Checked(lee, "63-learner-feedback-phone");
        await lee.GetByRole(AriaRole.Button, new() { Name = "Save my feedback" }).ClickAsync();
        await Assertions.Expect(lee.GetByText("Thank you: your feedback is saved.")).ToBeVisibleAsync();

        await tara.GotoAsync($"/sessions/{sessionId}/feedback");
        await tara.GetByLabel("What went well (optional)").FillAsync("Good questions about the rolling forecast");
        await tara.GetByRole(AriaRole.Button, new() { Name = "Save my feedback" }).ClickAsync();
        await Assertions.Expect(tara.GetByText("Thank you: your feedback is saved.")).ToBeVisibleAsync();

        // Lou rates it 4: two learners' good ratings validate Tara's skill, which she takes with her as a credential.
        await lou.GotoAsync($"/sessions/{sessionId}/feedback");
        await lou.GetByLabel("4", new() { Exact = true }).CheckAsync();
        await lou.GetByRole(AriaRole.Button, new() { Name = "Save my feedback" }).ClickAsync();
        await Assertions.Expect(lou.GetByText("Thank you: your feedback is saved.")).ToBeVisibleAsync();
        await CredentialAsync();

        // The evidence is xAPI in the organisation's store (attended twice, taught, three feedbacks, Tara's skill validated), and Lee's own record.
        Assert.Equal(7, await InOrganisationAsync(orgId, db => db.Set<XapiStatement>().CountAsync()));
        await LearningRecordAsync();

        // The review date comes; the facilitator holds the review and starts the next cycle.
        await InOrganisationAsync(orgId, db => db.Cycles.Where(c => c.Id == cycleId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ReviewDate, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime))));
        var fay = await server.NewPageAsync();
        await TacitServer.SignInAsync(fay, $"fay@{Slug}.example", Password);
        await fay.GotoAsync($"/cycles/{cycleId}");
        await fay.GetByRole(AriaRole.Button, new() { Name = "Start the review" }).ClickAsync();
        await Assertions.Expect(fay.GetByText("The review has started.")).ToBeVisibleAsync();
        await fay.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
        var thanks = fay.GetByRole(AriaRole.Table, new() { Name = "Learners and teachers of Trio cycle" });
        await Assertions.Expect(thanks).ToContainTextAsync("Lee Learner");
        await Assertions.Expect(thanks).ToContainTextAsync("Lou Learner");
        await Assertions.Expect(thanks).ToContainTextAsync("Tara Teacher");
        await Assertions.Expect(fay.GetByRole(AriaRole.Row, new() { Name = "Sessions held" })).ToContainTextAsync("1");
        await Assertions.Expect(fay.GetByText("average 4.5 of 5 from 2 ratings")).ToBeVisibleAsync();
        await Assertions.Expect(fay.GetByText("forecast").First).ToBeVisibleAsync(); // a theme both sides wrote
        await Checked(fay, "64-cycle-review");
        // Fay records who came to the review meeting: each one's attendance becomes evidence.
        await fay.GetByLabel("Lee Learner").CheckAsync();
        await fay.GetByLabel("Tara Teacher").CheckAsync();
        await fay.GetByRole(AriaRole.Button, new() { Name = "Save who attended" }).ClickAsync();
        await Assertions.Expect(fay.GetByText("Saved: 2 people attended the review.")).ToBeVisibleAsync();
        await Assertions.Expect(fay.GetByLabel("Lou Learner")).Not.ToBeCheckedAsync();
        await Assertions.Expect(fay.GetByLabel("Tara Teacher")).ToBeCheckedAsync();
        await Checked(fay, "64b-review-attendance");
        await fay.SetViewportSizeAsync(390, 844);
        await Checked(fay, "64c-phone-review-attendance");
        await fay.SetViewportSizeAsync(1366, 900);
        await fay.GetByRole(AriaRole.Link, new() { Name = "Printable agenda for the review meeting" }).ClickAsync();
        await Assertions.Expect(fay.GetByRole(AriaRole.Heading, new() { Name = "Review meeting: Trio cycle" })).ToBeVisibleAsync();
        await fay.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(fay.Locator(".site-header")).ToBeHiddenAsync();
        await Checked(fay, "65-review-agenda-print");
        await fay.EmulateMediaAsync(new() { Media = Media.Screen });
        await fay.GotoAsync($"/cycles/{cycleId}/review");
        await fay.GetByLabel("Name").FillAsync("Trio cycle 2");
        await fay.GetByRole(AriaRole.Button, new() { Name = "Start the next cycle" }).ClickAsync();
        await Assertions.Expect(fay.GetByRole(AriaRole.Heading, new() { Name = "Trio cycle 2" })).ToBeVisibleAsync();
        await Checked(fay, "66-next-cycle");
    }

    /// <summary>An organisation where Tara shares one skill, in one group session, with Lee and Lou, and a published cycle that matched them.</summary>
    /// <summary>Tara claims her skill validated by Lee and Lou as an Open Badges credential, on a phone and a desktop (docs/credentials.md).</summary>
    private async Task CredentialAsync()
    {
        foreach (var (width, height, device) in new[] { (390, 844, "phone"), (1366, 900, "desktop") })
        {
            var tara = await server.NewPageAsync(width, height);
            await TacitServer.SignInAsync(tara, $"tara@{Slug}.example", Password);
            await tara.GotoAsync("/me/learning-record");
            await Assertions.Expect(tara.GetByText(new Regex($"{Skill}, validated by Lee Learner, Lou Learner"))).ToBeVisibleAsync();
            await tara.GetByRole(AriaRole.Button, new() { Name = "Get a credential" }).ClickAsync();
            await Assertions.Expect(tara.GetByRole(AriaRole.Heading, new() { Name = $"Your credential: {Skill}" })).ToBeVisibleAsync();
            await tara.GetByText("What it says (JSON)").ClickAsync();
            await Assertions.Expect(tara.Locator(".credential-json")).ToContainTextAsync("Validated by Lou Learner");
            await Checked(tara, $"67-{device}-credential");
            if (device == "desktop")
            {
                var download = await tara.RunAndWaitForDownloadAsync(() => tara.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download the credential") }).ClickAsync());
                Assert.EndsWith(".jwt", download.SuggestedFilename, StringComparison.Ordinal);
                var parts = (await File.ReadAllTextAsync(await download.PathAsync())).Split('.');
                Assert.Equal(3, parts.Length);
                Assert.Contains("OpenBadgeCredential", System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])), StringComparison.Ordinal);
            }
            await tara.Context.CloseAsync();
        }
    }

    /// <summary>Lee's learning record on a desktop and a phone, its print view, a period with nothing in it, a CSV; and Fay's, empty.</summary>
    private async Task LearningRecordAsync()
    {
        foreach (var (width, height, device) in new[] { (1366, 900, "desktop"), (390, 844, "phone") })
        {
            var lee = await server.NewPageAsync(width, height);
            await TacitServer.SignInAsync(lee, $"lee@{Slug}.example", Password);
            await lee.GotoAsync("/me/learning-record");
            await Assertions.Expect(lee.GetByRole(AriaRole.Heading, new() { Name = "My learning record", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(lee.GetByRole(AriaRole.Row).Filter(new() { HasText = Skill })).ToContainTextAsync("Learned");
            await Assertions.Expect(lee.GetByRole(AriaRole.Row).Filter(new() { HasText = Skill })).ToContainTextAsync("Tara Teacher");
            await Checked(lee, $"68-{device}-learning-record");

            // The evidence pack: printed without the site's chrome or the controls, named and dated on top.
            await lee.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(lee.Locator(".site-header")).ToBeHiddenAsync();
            await Assertions.Expect(lee.GetByRole(AriaRole.Button, new() { Name = "Print evidence pack" })).ToBeHiddenAsync();
            await Assertions.Expect(lee.GetByText(new Regex(@"Lee Learner · \(all time\) · printed from Tacit"))).ToBeVisibleAsync();
            await TacitServer.ScreenshotAsync(lee, $"68-{device}-learning-record-print");
            await lee.EmulateMediaAsync(new() { Media = Media.Screen });

            if (device == "desktop")
            {
                var download = await lee.RunAndWaitForDownloadAsync(() => lee.GetByRole(AriaRole.Link, new() { Name = "CSV" }).ClickAsync());
                var csv = await File.ReadAllTextAsync(await download.PathAsync());
                Assert.StartsWith("kind,date,skill,role,hours,with,cycle,detail", csv, StringComparison.Ordinal);
                Assert.Contains($",{Skill},learned,1,Tara Teacher,Trio cycle,", csv, StringComparison.Ordinal);
                await lee.GetByLabel("From").FillAsync("2001-01-01");
                await lee.GetByLabel("To").FillAsync("2001-12-31");
                await lee.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
                await Assertions.Expect(lee.GetByText("Nothing here for this period.", new() { Exact = false })).ToBeVisibleAsync();
                await Checked(lee, "68-desktop-learning-record-empty-period");
            }
            await lee.Context.CloseAsync();
        }
        var fay = await server.NewPageAsync(390, 844);
        await TacitServer.SignInAsync(fay, $"fay@{Slug}.example", Password);
        await fay.GotoAsync("/me/learning-record");
        await Assertions.Expect(fay.GetByText("Nothing here yet.", new() { Exact = false })).ToBeVisibleAsync();
        await Checked(fay, "68-phone-learning-record-empty");
        await fay.Context.CloseAsync();
    }

    private async Task<(Guid Organisation, Guid Cycle)> PublishedGroupCycleAsync()
    {
        Guid orgId;
        await using (var scope = server.Services.CreateAsyncScope())
            orgId = (await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Trio", Slug, "Fay Facilitator", $"fay@{Slug}.example", Password))).Organisation.Id;
        var cycle = await new CycleScenario(server.Services, orgId)
            .Person("tara", "Sales", "Tara Teacher").Shares("tara", Skill, sessions: 1, maxGroupSize: 3)
            .Person("lee", "Finance", "Lee Learner").Wants("lee", Skill, Priority.High, "For the forecast")
            .Person("lou", "Finance", "Lou Learner").Wants("lou", Skill, Priority.High, "For the forecast")
            .PublishedCycleAsync("Trio cycle");
        return (orgId, cycle.Id);
    }

    private async Task<T> InOrganisationAsync<T>(Guid organisationId, Func<TacitDbContext, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        return await action(scope.ServiceProvider.GetRequiredService<TacitDbContext>());
    }

    private async Task Checked(IPage page, string screenshot)
    {
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, screenshot);
    }
}
