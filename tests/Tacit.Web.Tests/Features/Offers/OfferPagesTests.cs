using System.Globalization;
using Tacit.Domain.Offers;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Offers;

/// <summary>The offers and feedback pages' own forms, posted as a browser posts them, on a published cycle.</summary>
public abstract class OfferPagesTests(TacitApp app)
{
    [Fact]
    public async Task The_offers_and_feedback_pages_act_through_their_forms()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var (teacher, offer, learner, learnerName) = await org.OfferOfAsync("sales1");
        async Task<string> PostAsync(HttpClient client, string path, string form, Dictionary<string, string> fields, HttpStatusCode expected = HttpStatusCode.OK)
        {
            var response = await Pages.PostFormAsync(client, path, form, fields);
            Assert.Equal(expected, response.StatusCode);
            return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }

        // The teacher's picker has no zone: it is read in the teacher's own (Europe/London).
        var local = DateTime.SpecifyKind(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(3).AddHours(10), DateTimeKind.Unspecified);
        var expected = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")), TimeSpan.Zero);
        var unread = await PostAsync(teacher, "/offers", $"offer-{offer.Id}", new() { ["Input.Times[0]"] = "tomorrow", ["Input.Times[1]"] = "", ["Input.Times[2]"] = "" });
        Assert.Contains("A time could not be read; use the date and time pickers.", unread, StringComparison.Ordinal);
        var sent = await PostAsync(teacher, "/offers", $"offer-{offer.Id}", new()
        {
            ["Input.Times[0]"] = local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), ["Input.Times[1]"] = "", ["Input.Times[2]"] = "", ["Input.Message"] = "Coffee corner?",
        });
        Assert.Contains("Your offer is sent.", sent, StringComparison.Ordinal);
        var offered = (await teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == offer.Id);
        Assert.Equal((expected, "Coffee corner?"), (offered.Times[0], offered.Message));

        var accepted = await PostAsync(learner, "/offers", $"accept-{offer.Id}", new() { ["Input.Time"] = expected.ToString("O", CultureInfo.InvariantCulture) });
        Assert.Contains("Accepted: the session is in your calendar invitation.", accepted, StringComparison.Ordinal);
        var sessionId = Assert.Single(await learner.GetJsonAsync<List<SessionDto>>("/api/sessions")).Id;

        // Either side moves the session from the page, in their own time zone; the picker starts at the current time.
        Assert.Contains($"value=\"{local:yyyy-MM-dd'T'HH:mm}\"", (await Pages.GetAsync(learner, "/offers")).Html, StringComparison.Ordinal);
        Assert.Contains("Choose the new date and time with the picker.", await PostAsync(learner, "/offers", $"move-{sessionId}", new() { ["Input.NewTime"] = "soon" }), StringComparison.Ordinal);
        Assert.Contains("The session is moved and everyone has the new invitation.",
            await PostAsync(learner, "/offers", $"move-{sessionId}", new() { ["Input.NewTime"] = local.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) }), StringComparison.Ordinal);
        var moved = Assert.Single(await teacher.GetJsonAsync<List<SessionDto>>("/api/sessions"));
        var movedTo = TimeZoneInfo.ConvertTimeToUtc(local.AddDays(1), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        Assert.Equal((new DateTimeOffset(movedTo, TimeSpan.Zero), 1), (moved.StartsAt, moved.Sequence));

        // A refusal shows inside the form it is about; then the decline goes through.
        var (teacher2, other, _, _) = await org.OfferOfAsync("sales2");
        var refused = await PostAsync(teacher2, "/offers", $"decline-{other.Id}", new() { ["Input.Reason"] = "" });
        var beforeLabel = refused[..refused.IndexOf($"for=\"reason-{other.Id}\"", StringComparison.Ordinal)];
        Assert.Contains("role=\"alert\"", beforeLabel[beforeLabel.LastIndexOf("<form", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("Declined. Thank you for saying so.", await PostAsync(teacher2, "/offers", $"decline-{other.Id}", new() { ["Input.Reason"] = "Away" }), StringComparison.Ordinal);
        Assert.Equal(OfferStatus.Declined, (await teacher2.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == other.Id).Status);

        // After the session: feedback, a follow-up, a commitment, and the commitment marked done on the offers page.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, TimeProvider.System.GetUtcNow().AddDays(-2))));
        var feedbackPage = $"/sessions/{sessionId}/feedback";
        // One form for the page: a part saved keeps what was typed in the others, and says so in its own part.
        var typed = new Dictionary<string, string>
        {
            ["Feedback.Happened"] = "true", ["Feedback.Usefulness"] = "5", ["Feedback.Learned"] = "Anchoring", ["Feedback.ThankYou"] = "Thanks!",
            ["Commit.Text"] = "Rebuild the forecast", ["FollowUp.Note"] = "Lunch",
        };
        var early = await PostAsync(learner, feedbackPage, "session", new(typed) { ["Action"] = "follow-up" }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Choose the date you talked.", early, StringComparison.Ordinal);
        Assert.Contains(">Anchoring</textarea>", early, StringComparison.Ordinal);
        Assert.Contains(">Rebuild the forecast</textarea>", early, StringComparison.Ordinal);
        Assert.Contains("value=\"5\" checked", early, StringComparison.Ordinal);
        Assert.Contains("Thank you: your feedback is saved.", await PostAsync(learner, feedbackPage, "session", new(typed) { ["Action"] = "feedback" }), StringComparison.Ordinal);
        var given = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().SessionFeedback.SingleAsync(x => x.SessionId == sessionId));
        Assert.Equal((true, 5, "Anchoring", false), (given.Happened, given.Usefulness, given.Learned, given.ThankYouIsPublic));
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        Assert.Contains("The follow-up is logged.", await PostAsync(learner, feedbackPage, "session", new()
        {
            ["Action"] = "follow-up", ["FollowUp.HeldOn"] = today.ToString("O", CultureInfo.InvariantCulture), ["FollowUp.Note"] = "Lunch",
        }), StringComparison.Ordinal);
        // Both people see the follow-up on their offers page.
        var logged = $"Follow-up on {today:d MMMM yyyy}, logged by";
        Assert.Contains($"{logged} you: Lunch", System.Net.WebUtility.HtmlDecode((await Pages.GetAsync(learner, "/offers")).Html), StringComparison.Ordinal);
        Assert.Contains($"{logged} {learnerName}: Lunch", System.Net.WebUtility.HtmlDecode((await Pages.GetAsync(teacher, "/offers")).Html), StringComparison.Ordinal);
        Assert.Contains("Your commitment is saved", await PostAsync(learner, feedbackPage, "session", new()
        {
            ["Action"] = "commit",
            ["Commit.Text"] = "Rebuild the forecast", ["Commit.DueOn"] = today.AddDays(7).ToString("O", CultureInfo.InvariantCulture), ["Commit.PartnerEmail"] = "",
        }), StringComparison.Ordinal);
        var commitmentId = Assert.Single(await learner.GetJsonAsync<List<CommitmentDto>>("/api/commitments")).Id;
        Assert.Contains("Commitment updated.", await PostAsync(learner, "/offers", $"commitment-{commitmentId}", new() { ["Input.Status"] = "Done" }), StringComparison.Ordinal);
        Assert.Equal(CommitmentStatus.Done, Assert.Single(await learner.GetJsonAsync<List<CommitmentDto>>("/api/commitments")).Status);
    }
}

public sealed class OfferPagesSqliteTests(SqliteApp app) : OfferPagesTests(app), IClassFixture<SqliteApp>;

public sealed class OfferPagesPostgresTests(PostgresApp app) : OfferPagesTests(app), IClassFixture<PostgresApp>;
