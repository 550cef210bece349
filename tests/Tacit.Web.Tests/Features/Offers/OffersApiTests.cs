using System.Text.Json;
using Tacit.Domain.Offers;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Tests.Features.Offers;

/// <summary>Offers and sessions through the API, from a published cycle of the <see cref="FinanceAndSales"/> organisation.</summary>
public abstract class OffersApiTests(TacitApp app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private sealed record SessionQuestionsRow(Guid LearnerId, string Text);

    private sealed record FollowUpRow(Guid Id, Guid PersonId, DateOnly HeldOn, string Note);

    [Fact]
    public async Task Published_offers_become_sessions_with_calendar_invitations_and_races_end_consistently()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();

        var (teacher, offer, learner, learnerName) = await org.OfferOfAsync("sales1");
        var stranger = await org.SignInAsync("sam");

        var times = new[] { Clock.GetUtcNow().AddDays(3).ToUniversalTime(), Clock.GetUtcNow().AddDays(4).ToUniversalTime() }
            .Select(t => new DateTimeOffset(t.Year, t.Month, t.Day, 10, 0, 0, TimeSpan.Zero)).ToArray();
        await learner.PostAsJsonAsync($"/api/offers/{offer.Id}/offer", new { times, message = "Hi" }).ExpectAsync(HttpStatusCode.Forbidden);
        await stranger.PostAsJsonAsync($"/api/offers/{offer.Id}/offer", new { times }).ExpectAsync(HttpStatusCode.NotFound);
        await teacher.PostAsJsonAsync($"/api/offers/{offer.Id}/offer", new { times = Array.Empty<DateTimeOffset>() }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        // The JSON itself, once for an offer: its status is written as a camelCase name.
        var offered = await teacher.PostAsJsonAsync($"/api/offers/{offer.Id}/offer", new { times, message = "Coffee corner?" }).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.Equal("offered", offered.GetProperty("status").GetString());

        var session = await learner.PostAsJsonAsync($"/api/offers/{offer.Id}/accept", new { time = times[1] }).ReadAsync<SessionDto>(HttpStatusCode.OK);
        Assert.Equal(SessionStatus.Scheduled, session.Status);
        Assert.Equal(OfferStatus.Accepted, (await teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == offer.Id).Status);
        var mine = Assert.Single(await learner.GetJsonAsync<List<SessionDto>>("/api/sessions"));
        Assert.Equal((times[1], 30), (mine.StartsAt, mine.DurationMinutes));
        var ics = await learner.GetStringAsync($"/api/sessions/{session.Id}.ics");
        Assert.Contains("METHOD:REQUEST\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:session-{session.Id:N}@tacit\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:0\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{times[1]:yyyyMMdd}T100000Z", ics, StringComparison.Ordinal);
        Assert.Contains($"ORGANIZER;CN=sales1:mailto:{org.Email("sales1")}", ics, StringComparison.Ordinal);
        Assert.Contains($"ATTENDEE;CN={learnerName};", ics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/sessions/{session.Id}.ics")).StatusCode);
        await learner.PostAsJsonAsync($"/api/offers/{offer.Id}/accept", new { time = times[0] }).ExpectAsync(HttpStatusCode.Conflict);

        // The JSON itself, once for a session: its status is written as a camelCase name.
        var cancelled = await teacher.PostAsJsonAsync($"/api/sessions/{session.Id}/cancel", new { reason = "Ill" }).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(1, cancelled.Deserialize<SessionDto>(ApiJson.Options)!.Sequence);
        var cancellation = await learner.GetStringAsync($"/api/sessions/{session.Id}.ics");
        Assert.Contains("METHOD:CANCEL", cancellation, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:1", cancellation, StringComparison.Ordinal);
        Assert.Contains($"UID:session-{session.Id:N}@tacit", cancellation, StringComparison.Ordinal);
        // Invitations leave through the mail outbox, in the background.
        List<string> mails = [];
        await Poll.UntilAsync(() => (mails = [.. app.Mail.All().Where(m => m.Contains("filename=tacit-negotiation-", StringComparison.Ordinal))])
            .Any(m => m.Contains("method=CANCEL", StringComparison.OrdinalIgnoreCase) && m.Contains(org.Email("sales1"), StringComparison.Ordinal)), "The cancellation mail");
        Assert.Contains(mails, m => m.Contains("method=REQUEST", StringComparison.OrdinalIgnoreCase) && m.Contains(org.Email(learnerName), StringComparison.Ordinal));
        Assert.Contains(mails, m => m.Contains("method=CANCEL", StringComparison.OrdinalIgnoreCase) && m.Contains(org.Email("sales1"), StringComparison.Ordinal));

        // Feedback opens when the session starts; two learners rating sales1 four or more validate the skill.
        var second = await org.OfferOfAsync("sales1", OfferStatus.Pending);
        var secondSession = (await second.BookAsync(times)).Id;
        await second.Learner.PutAsJsonAsync($"/api/sessions/{secondSession}/questions/me", new { reason = "How do I open low?" }).ExpectAsync(HttpStatusCode.OK);
        await teacher.PutAsJsonAsync($"/api/sessions/{secondSession}/questions/me", new { reason = "Not mine" }).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("How do I open low?", Assert.Single(await teacher.GetJsonAsync<List<SessionQuestionsRow>>($"/api/sessions/{secondSession}/questions")).Text);
        await stranger.GetAsync($"/api/sessions/{secondSession}/questions").ExpectAsync(HttpStatusCode.NotFound);
        var feedback = new { happened = true, usefulness = 5, learned = "Anchoring", thankYou = "Brilliant, thank you", thankYouIsPublic = true };
        await second.Learner.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", feedback).ExpectAsync(HttpStatusCode.Conflict);
        // The session moved into the past, as if it had been held.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == secondSession)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, Clock.GetUtcNow().AddDays(-1))));
        await second.Learner.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", new { happened = true }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await second.Learner.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", feedback).ExpectAsync(HttpStatusCode.OK);
        await stranger.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", feedback).ExpectAsync(HttpStatusCode.NotFound);
        await teacher.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", new { happened = true, wentWell = "Good questions", thankYou = "Great questions", thankYouIsPublic = true })
            .ExpectAsync(HttpStatusCode.OK);
        // Recognition is the person's to show (private by default); both let the organisation see theirs.
        Assert.Equal(0, (await stranger.GetJsonAsync<PersonRecognition>($"/api/people/{org["sales1"]}/recognition")).SessionsTaught);
        foreach (var person in new[] { teacher, second.Learner })
            await person.PutAsJsonAsync("/api/me/recognition-visibility", new { visibility = "organisation" }).ExpectAsync(HttpStatusCode.OK);
        var recognition = await stranger.GetJsonAsync<PersonRecognition>($"/api/people/{org["sales1"]}/recognition");
        Assert.Equal((0, 1, 0.5), (recognition.SessionsLearned, recognition.SessionsTaught, recognition.HoursGiven));
        Assert.Empty(recognition.ValidatedSkills); // one learner is not enough
        Assert.Equal("Brilliant, thank you", Assert.Single(recognition.ThankYous).Text);
        var learnerRecognition = await stranger.GetJsonAsync<PersonRecognition>($"/api/people/{org[second.LearnerName]}/recognition");
        Assert.Equal((1, "Great questions"), (learnerRecognition.SessionsLearned, learnerRecognition.ThankYous[0].Text));

        // Follow-ups: a conversation logged, and a follow-up session proposed as a new pending offer to the same teacher.
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        await second.Learner.PostAsJsonAsync($"/api/sessions/{secondSession}/follow-ups", new { heldOn = today, note = "Showed my first model" }).ExpectAsync(HttpStatusCode.Created);
        await stranger.PostAsJsonAsync($"/api/sessions/{secondSession}/follow-ups", new { heldOn = today, note = "Not mine" }).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Showed my first model", Assert.Single(await teacher.GetJsonAsync<List<FollowUpRow>>($"/api/sessions/{secondSession}/follow-ups")).Note);
        var followUpOffer = await second.Learner.PostAsync($"/api/sessions/{secondSession}/follow-up-session", null).ReadAsync<OfferDto>(HttpStatusCode.Created);
        Assert.Equal((OfferStatus.Pending, org["sales1"]), (followUpOffer.Status, followUpOffer.TeacherId));
        Assert.Contains(await teacher.GetJsonAsync<List<OfferDto>>("/api/offers"), o => o.Id == followUpOffer.Id);

        // A commitment with an accountability partner, who is asked once on the due date.
        await second.Learner.PostAsJsonAsync($"/api/sessions/{secondSession}/commitments", new { text = "Model next year's budget", dueOn = today, partnerEmail = "nobody@nowhere.example" })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var commitment = await second.Learner.PostAsJsonAsync($"/api/sessions/{secondSession}/commitments", new { text = "Model next year's budget", dueOn = today, partnerEmail = org.Email("sam") })
            .ReadAsync<CommitmentDto>(HttpStatusCode.Created);
        // The check-in reminder's trigger is in the store (this test app's scheduler does not run); running its work twice asks once.
        Assert.Equal(1, await app.QuartzTriggersAsync(org.Id, $"CheckInDue:{commitment.Id:N}"));
        // The due date moved into the past, as if it had come (the partner is asked at 09:00 their time).
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Commitments.Where(c => c.Id == commitment.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.DueOn, today.AddDays(-1))));
        for (int i = 0; i < 2; i++)
            Assert.Null(await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<DueReminders>().SendAsync(ReminderKind.CheckInDue, commitment.Id)));
        Assert.Single(await stranger.NotificationTextsAsync(), t => t.Contains("check in today", StringComparison.Ordinal));
        // The partner checks in; the learner is told and sees it on their offers page. Only the partner may.
        await second.Learner.PostAsJsonAsync($"/api/commitments/{commitment.Id}/check-in", new { answer = "onTrack" }).ExpectAsync(HttpStatusCode.Forbidden);
        await stranger.PostAsJsonAsync($"/api/commitments/{commitment.Id}/check-in", new { answer = "sideways" }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var checkedIn = await stranger.PostAsJsonAsync($"/api/commitments/{commitment.Id}/check-in", new { answer = "needsHelp", note = "Stuck on the formulas" })
            .ReadAsync<CommitmentDto>(HttpStatusCode.OK);
        Assert.Equal((CheckInAnswer.NeedsHelp, "Stuck on the formulas"), (checkedIn.PartnerCheckIn, checkedIn.PartnerNote));
        Assert.Contains(await second.Learner.NotificationTextsAsync(), t => t.Contains("checked in on \"Model next year's budget\" — needs help: \"Stuck on the formulas\"", StringComparison.Ordinal));
        var learnerPage = WebUtility.HtmlDecode(await second.Learner.GetStringAsync("/offers"));
        Assert.Contains("sam checked in on", learnerPage, StringComparison.Ordinal);
        Assert.Contains("needs help — “Stuck on the formulas”", learnerPage, StringComparison.Ordinal);
        Assert.Contains("How is", WebUtility.HtmlDecode(await stranger.GetStringAsync("/offers")), StringComparison.Ordinal);
        await stranger.PostAsJsonAsync($"/api/commitments/{commitment.Id}/status", new { status = "done" }).ExpectAsync(HttpStatusCode.Forbidden);
        var done = await second.Learner.PostAsJsonAsync($"/api/commitments/{commitment.Id}/status", new { status = "done" }).ReadAsync<CommitmentDto>(HttpStatusCode.OK);
        Assert.Equal(CommitmentStatus.Done, done.Status);

        // Another teacher's offer: the learner accepts while the teacher declines. Exactly one wins, and the offer says which.
        var other = await org.OfferOfAsync("sales2");
        await other.Teacher.PostAsJsonAsync($"/api/offers/{other.Offer.Id}/offer", new { times }).ExpectAsync(HttpStatusCode.OK);
        var results = await Task.WhenAll(
            other.Learner.PostAsJsonAsync($"/api/offers/{other.Offer.Id}/accept", new { time = times[0] }),
            other.Teacher.PostAsJsonAsync($"/api/offers/{other.Offer.Id}/decline", new { reason = "Changed my mind" }));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Conflict);
        var after = (await other.Teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == other.Offer.Id);
        var otherSessions = (await other.Learner.GetJsonAsync<List<SessionDto>>("/api/sessions")).Count(s => s.OfferId == other.Offer.Id);
        Assert.Equal(results[0].StatusCode == HttpStatusCode.OK ? (OfferStatus.Accepted, 1) : (OfferStatus.Declined, 0), (after.Status, otherSessions));

        // An offer nobody answers in time expires in the background, and both sides are told.
        var late = await org.OfferOfAsync("sales3", OfferStatus.Pending);
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.Where(o => o.Id == late.Offer.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ExpiresAt, Clock.GetUtcNow().AddMinutes(-1))));
        Assert.True(await app.Services.GetRequiredService<DueWork>().ExpireDueAsync(CancellationToken.None) >= 1);
        Assert.Equal(OfferStatus.Expired, (await late.Teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == late.Offer.Id).Status);
        await late.Teacher.PostAsJsonAsync($"/api/offers/{late.Offer.Id}/offer", new { times }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains(await late.Teacher.NotificationTextsAsync(), t => t.Contains("expired before it was answered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Times_beyond_two_years_and_NUL_in_an_email_are_refused_and_leave_the_offer_and_session_as_they_were()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var play = await org.OfferOfAsync("sales1");
        var end = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

        // Offered at the calendar's end, a session could never be accepted (500 for ever).
        await play.Teacher.PostAsJsonAsync($"/api/offers/{play.Offer.Id}/offer", new { times = new[] { end } }).ExpectRefusedAsync("Times");
        Assert.Equal(OfferStatus.Pending, (await play.Teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == play.Offer.Id).Status);
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var at = new DateTimeOffset(today.AddDays(3), new TimeOnly(10, 0), TimeSpan.Zero);
        var session = await play.BookAsync(at);

        // Rescheduled there, it answered 500.
        await play.Teacher.PostAsJsonAsync($"/api/sessions/{session.Id}/reschedule", new { startsAt = end }).ExpectRefusedAsync("StartsAt");
        var kept = (await play.Learner.GetJsonAsync<List<SessionDto>>("/api/sessions")).Single(s => s.Id == session.Id);
        Assert.Equal((at, 0), (kept.StartsAt, kept.Sequence));
        Assert.Contains("SEQUENCE:0\r\n", await play.Learner.GetStringAsync($"/api/sessions/{session.Id}.ics"), StringComparison.Ordinal);

        // A partner's email with NUL never reaches PostgreSQL (once a 500 there); a due date is within two years.
        await play.Learner.PostAsJsonAsync($"/api/sessions/{session.Id}/commitments", new { text = "Practise", dueOn = today, partnerEmail = "sam\0@x.example" })
            .ExpectRefusedAsync("PartnerId");
        await play.Learner.PostAsJsonAsync($"/api/sessions/{session.Id}/commitments", new { text = "Practise", dueOn = DateOnly.MaxValue }).ExpectRefusedAsync("DueOn");
        Assert.Empty(await play.Learner.GetJsonAsync<List<CommitmentDto>>("/api/commitments"));
    }
}

public sealed class OffersApiSqliteTests(SqliteApp app) : OffersApiTests(app), IClassFixture<SqliteApp>;

public sealed class OffersApiPostgresTests(PostgresApp app) : OffersApiTests(app), IClassFixture<PostgresApp>;
