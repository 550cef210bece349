using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Settings;
using Tacit.Web.Tenancy;

namespace Tacit.EndToEnd;

/// <summary>
/// Three people in the browser, from a published group proposal to the review: the teacher offers a time, one learner
/// accepts it on a phone and writes questions, the other joins, both sides give feedback after the session, and the
/// facilitator holds the review and starts the next cycle. Every page is checked for accessibility.
/// </summary>
public sealed class OfferToReviewJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = "correct-horse-battery";
    private const string Slug = "trio";

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
        for (var tries = 0; !Directory.Exists(server.MailFolder) || !Directory.EnumerateFiles(server.MailFolder, "*.eml")
                 .Select(ReadFinished).Any(m => m.Contains("lou@trio.example", StringComparison.Ordinal) && m.Contains("session.ics", StringComparison.Ordinal)); tries++)
        {
            Assert.True(tries < 100, "The invitation email did not arrive within 10 seconds.");
            await Task.Delay(100);
        }

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
        await Assertions.Expect(fay.GetByText("average 5.0 of 5 from 1 rating")).ToBeVisibleAsync();
        await Assertions.Expect(fay.GetByText("forecast").First).ToBeVisibleAsync(); // a theme both sides wrote
        await Checked(fay, "64-cycle-review");
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
    private async Task<(Guid Organisation, Guid Cycle)> PublishedGroupCycleAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
            .HandleAsync(new CreateOrganisation("Trio", Slug, "Fay Facilitator", $"fay@{Slug}.example", Password));
        var orgId = created.Organisation.Id;
        await InOrganisationAsync(orgId, async (db, services) =>
        {
            var users = services.GetRequiredService<UserManager<TacitUser>>();
            var now = TimeProvider.System.GetUtcNow();
            var skill = await db.Skills.OrderBy(s => s.Name).FirstAsync();
            async Task<Person> AddAsync(string first, string last, string department)
            {
                var person = new Person(orgId, $"{first.ToLowerInvariant()}@{Slug}.example", $"{first} {last}", now);
                person.UpdateProfile($"{first} {last}", "Analyst", department, 4, null, "UTC", null);
                db.People.Add(person);
                await db.SaveChangesAsync();
                var result = await users.CreateAsync(new TacitUser { UserName = person.Email, Email = person.Email, OrganisationId = orgId, PersonId = person.Id, EmailConfirmed = true }, Password);
                Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
                return person;
            }
            var tara = await AddAsync("Tara", "Teacher", "Sales");
            db.Shares.Add(new Share(orgId, tara.Id, skill.Id, 4, 1, true, 3, now));
            foreach (var learner in new[] { await AddAsync("Lee", "Learner", "Finance"), await AddAsync("Lou", "Learner", "Finance") })
                db.Wants.Add(new Want(orgId, learner.Id, skill.Id, Priority.High, "For the forecast", null, now));
            return await db.SaveChangesAsync();
        });

        var (_, token) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(orgId, "journey", Roles.Facilitator);
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var cycle = await JsonAsync(await api.PostAsJsonAsync("/api/cycles", new
        {
            name = "Trio cycle", intakeOpens = today.AddDays(-1), intakeCloses = today.AddDays(10), matchingDate = today.AddDays(11),
        }));
        var cycleId = cycle.GetProperty("id").GetGuid();
        foreach (var step in new[] { "start-enrolment", "open-intake", "publish-map" })
            await JsonAsync(await api.PostAsync($"/api/cycles/{cycleId}/{step}", null));
        var runId = (await JsonAsync(await api.PostAsJsonAsync($"/api/cycles/{cycleId}/runs", new { }))).GetProperty("id").GetGuid();
        for (var tries = 0; (await JsonAsync(await api.GetAsync($"/api/cycles/{cycleId}/runs/{runId}"))).GetProperty("status").GetString() != "succeeded"; tries++)
        {
            Assert.True(tries < 300, "The match run did not succeed within 30 seconds.");
            await Task.Delay(100);
        }
        await JsonAsync(await api.PostAsJsonAsync($"/api/cycles/{cycleId}/publish", new { runId }));
        return (orgId, cycleId);
    }

    private Task<T> InOrganisationAsync<T>(Guid organisationId, Func<TacitDbContext, Task<T>> action) =>
        InOrganisationAsync(organisationId, (db, _) => action(db));

    private async Task<T> InOrganisationAsync<T>(Guid organisationId, Func<TacitDbContext, IServiceProvider, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        return await action(scope.ServiceProvider.GetRequiredService<TacitDbContext>(), scope.ServiceProvider);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A mail file's text, or "" while the mailer is still writing it.</summary>
    private static string ReadFinished(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }


    private async Task Checked(IPage page, string screenshot)
    {
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, screenshot);
    }
}
