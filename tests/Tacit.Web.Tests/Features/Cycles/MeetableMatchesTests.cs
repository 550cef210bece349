using System.Globalization;
using System.Text.RegularExpressions;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Settings;
using MatchingRule = Tacit.Matching.AvailabilityRule;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// The intake's weekly availability and teaching cap reach the engine's instance, and the offer form proposes times
/// from the hours teacher and learner are both free, each shown in the person's own zone.
/// </summary>
public abstract class MeetableMatchesTests(TacitApp app)
{
    // Zones without daylight saving, so the UTC cells are the same whenever the test runs.
    private const string Kolkata = "Asia/Kolkata", Tokyo = "Asia/Tokyo";
    // Tuesday 10:00–12:00 UTC.
    private static readonly int[] Overlap = [24 + 10, 24 + 11];

    [Fact]
    public async Task Availability_and_caps_reach_the_instance_and_the_offer_form_proposes_times_from_the_overlap()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await SetDefaultCapAsync(org, 3);
        Assert.Equal(3, (await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<OrganisationSettings>().DetailsAsync())).DefaultMaxTeacherSessions);
        var id = await org.Cycles.CycleAsync(CycleState.Intake);

        // The teacher in +05:30 is free 15:00–18:00 (09:30–12:30 UTC: the whole hours 10 and 11); the learners in +09:00 19:00–21:00.
        var sales1 = await org.SignInAsync("sales1");
        var mine = await sales1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", new { maxLearnerSessions = 0, availability = new[] { "tue-15", "tue-16", "tue-17" }, timeZone = Kolkata, maxTeacherSessions = 1 })
            .ReadAsync<IntakeDto>(HttpStatusCode.OK);
        Assert.Equal(1, mine.MaxTeacherSessions);
        await sales1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", new { maxTeacherSessions = IntakeResponse.MaxTeacherSessionsLimit + 1 }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var sales2 = await org.SignInAsync("sales2");
        await sales2.PutAsJsonAsync($"/api/cycles/{id}/intake/me", new { maxLearnerSessions = 0 }).ExpectAsync(HttpStatusCode.OK);
        for (var i = 1; i <= 6; i++)
        {
            var learner = await org.SignInAsync($"finance{i}");
            await learner.PutAsJsonAsync($"/api/cycles/{id}/intake/me", new { maxLearnerSessions = 2, availability = new[] { "tue-19", "tue-20" }, timeZone = Tokyo })
                .ExpectAsync(HttpStatusCode.OK);
        }

        var weights = new MatchWeights { Availability = AvailabilityRule.Preferred, NoCommonHourPenalty = 40, MaxAuthorityGap = 2 };
        var input = await ReadAsync(org, id, weights);
        var people = input.Instance.People.ToDictionary(p => p.Id);
        PersonRecordOf(people, org["sales1"], out var teacher);
        Assert.Equal(Overlap, teacher.Availability);
        Assert.Equal(1, teacher.MaxTeacherSessions);
        PersonRecordOf(people, org["finance3"], out var learnerRecord);
        Assert.Equal(Overlap, learnerRecord.Availability);
        // An answer without a cap, and no answer at all, take the organisation's default; nobody's answer = free any time.
        PersonRecordOf(people, org["sales2"], out var answeredWithoutCap);
        PersonRecordOf(people, org["sales3"], out var noAnswer);
        Assert.Equal((null, 3, null, 3), (answeredWithoutCap.Availability, answeredWithoutCap.MaxTeacherSessions, noAnswer.Availability, noAnswer.MaxTeacherSessions));
        Assert.Equal((MatchingRule.Soft, 40, 2), (input.Instance.Settings.Availability, input.Instance.Settings.Weights.NoCommonHourPenalty, input.Instance.Settings.MaxAuthorityGap));
        await SetDefaultCapAsync(org, null);
        PersonRecordOf((await ReadAsync(org, id, new MatchWeights())).Instance.People.ToDictionary(p => p.Id), org["sales3"], out noAnswer);
        Assert.Null(noAnswer.MaxTeacherSessions);

        // Matched and published with the run's settings kept; the learner reads times in Tokyo, the teacher in London.
        await org.Facilitator.PostAsync($"/api/cycles/{id}/publish-map", null).ExpectAsync(HttpStatusCode.OK);
        var run = await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { availability = "preferred", maxAuthorityGap = 5, noCommonHourPenalty = 40 })
            .ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{run.Id}")).Status == MatchRunStatus.Succeeded, "The match run");
        var stored = await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{run.Id}");
        Assert.Equal((AvailabilityRule.Preferred, 5, 40), (stored.Weights.Availability, stored.Weights.MaxAuthorityGap, stored.Weights.NoCommonHourPenalty));
        await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = run.Id }).ExpectAsync(HttpStatusCode.OK);

        var (teacherClient, offer, learnerClient, learnerName) = await org.OfferOfAsync("sales1");
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().People.Where(p => p.Id == org[learnerName])
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.TimeZone, Tokyo)));
        var stored2 = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.AsNoTracking().SingleAsync(o => o.Id == offer.Id));
        Assert.Equal(Overlap, stored2.CommonHours);
        // The API gives the same hours on the proposal and the offer.
        var proposals = (await org.Facilitator.GetJsonAsync<Page<ProposalDto>>($"/api/cycles/{id}/runs/{run.Id}/proposals?pageSize=100")).Items;
        Assert.Equal(Overlap, Assert.Single(proposals, p => p.TeacherId == org["sales1"]).CommonHours);
        Assert.Equal(Overlap, offer.CommonHours);

        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var page = System.Net.WebUtility.HtmlDecode((await Pages.GetAsync(teacherClient, "/offers")).Html);
        var now = TimeProvider.System.GetUtcNow();
        var tuesday = NextTuesdayAt10Utc(now);
        var window = $"Tuesdays {TimeZoneInfo.ConvertTime(tuesday, london):HH:mm}–{TimeZoneInfo.ConvertTime(tuesday.AddHours(2), london):HH:mm}";
        Assert.Contains($"You are both free on {window} (your time, Europe/London).", page, StringComparison.Ordinal);
        var proposed = ProposedTimes(page, offer.Id).Select(local => new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, london), TimeSpan.Zero)).ToList();
        Assert.NotEmpty(proposed);
        Assert.All(proposed, t => Assert.True(Overlap.Contains(WeeklyAvailability.CellOf(t)) && t > now && t < now.AddDays(14), $"{t:O} is outside the overlap"));
        // The learner, in Tokyo, reads the same hours in their own time.
        var learnerPage = System.Net.WebUtility.HtmlDecode((await Pages.GetAsync(learnerClient, "/offers")).Html);
        Assert.Contains("You are both free on Tuesdays 19:00–21:00 (your time, Asia/Tokyo).", learnerPage, StringComparison.Ordinal);

        // The teacher sends the proposed times as the form holds them; the learner sees them at 19:00 or 20:00 Tokyo time.
        var fields = new Dictionary<string, string> { ["Input.Times[0]"] = "", ["Input.Times[1]"] = "", ["Input.Times[2]"] = "" };
        for (var i = 0; i < proposed.Count; i++) fields[$"Input.Times[{i}]"] = TimeZoneInfo.ConvertTime(proposed[i], london).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var sent = await Pages.PostFormAsync(teacherClient, "/offers", $"offer-{offer.Id}", fields);
        Assert.Contains("Your offer is sent.", System.Net.WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        learnerPage = System.Net.WebUtility.HtmlDecode((await Pages.GetAsync(learnerClient, "/offers")).Html);
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById(Tokyo);
        foreach (var time in proposed)
            Assert.Contains(TimeZoneInfo.ConvertTime(time, tokyo).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.CurrentCulture), learnerPage, StringComparison.Ordinal);

        // Once held, a follow-up session between the same people keeps their common hours for its offer form.
        var session = await learnerClient.PostAsJsonAsync($"/api/offers/{offer.Id}/accept", new { time = proposed[0] }).ReadAsync<SessionDto>(HttpStatusCode.OK);
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == session.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, now.AddDays(-1))));
        var followUp = await learnerClient.PostAsync($"/api/sessions/{session.Id}/follow-up-session", null).ReadAsync<OfferDto>(HttpStatusCode.Created);
        Assert.Equal(Overlap, followUp.CommonHours);
    }

    private Task<bool> SetDefaultCapAsync(FinanceAndSales org, int? sessions) =>
        app.InScopeAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<OrganisationSettings>().SetDefaultMaxTeacherSessionsAsync(sessions);
            return true;
        });

    private Task<MatchInput> ReadAsync(FinanceAndSales org, Guid cycleId, MatchWeights weights) =>
        app.InScopeAsync(org.Id, async sp =>
        {
            var cycle = await sp.GetRequiredService<TacitDbContext>().Cycles.AsNoTracking().SingleAsync(c => c.Id == cycleId);
            return await sp.GetRequiredService<MatchInputReader>().ReadAsync(cycle, weights, CancellationToken.None);
        });

    private static void PersonRecordOf(Dictionary<string, Matching.PersonRecord> people, Guid id, out Matching.PersonRecord record) =>
        record = people[MatchInputReader.Key(id)];

    private static DateTimeOffset NextTuesdayAt10Utc(DateTimeOffset now)
    {
        var day = now.UtcDateTime.Date;
        while (day.DayOfWeek != DayOfWeek.Tuesday) day = day.AddDays(1);
        return new DateTimeOffset(day.AddHours(10), TimeSpan.Zero);
    }

    private static List<DateTime> ProposedTimes(string page, Guid offerId) =>
        [.. Regex.Matches(page, $"id=\"time-{offerId}-\\d\" name=\"[^\"]+\" type=\"datetime-local\" value=\"([^\"]+)\"")
            .Select(m => DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture))];
}

public sealed class MeetableMatchesSqliteTests(SqliteApp app) : MeetableMatchesTests(app), IClassFixture<SqliteApp>;

public sealed class MeetableMatchesPostgresTests(PostgresApp app) : MeetableMatchesTests(app), IClassFixture<PostgresApp>;
