using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Knowledge;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// A learning cycle from creation to published offers through the API, on the <see cref="FinanceAndSales"/>
/// organisation. The match runs in the app's real background worker.
/// </summary>
public abstract class CycleWorkflowApiTests(TacitApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    private sealed record RemindedDto(int Reminded);

    private static CycleWrite NewCycle() => new("Spring", Today.AddDays(-1), Today.AddDays(10), Today.AddDays(11), null, null);

    private static IntakeWrite Intake(string[] barriers, string[] slots, Dictionary<Guid, IReadOnlyList<string>>? answers = null) =>
        new(2, barriers, "Month end", slots, "Europe/London", answers);

    [Fact]
    public async Task A_cycle_goes_from_creation_to_published_offers_with_managers_intake_map_and_a_background_match()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = (await f.PostAsJsonAsync("/api/cycles", NewCycle()).ReadAsync<CycleDto>(HttpStatusCode.Created)).Id;

        // Enrolment: both managers are invited and answer for themselves; the facilitator sees it attributed.
        await f.PostAsync($"/api/cycles/{id}/start-enrolment", null).ExpectAsync(HttpStatusCode.OK);
        var managers = await f.GetJsonAsync<List<EnrolmentRow>>($"/api/cycles/{id}/enrolments");
        Assert.Equal(["fiona", "sam"], managers.Select(m => m.Name).Order());
        var fiona = await org.SignInAsync("fiona");
        // Her home page says her answer is awaited, until she gives it.
        Assert.Contains("Your answer is awaited", (await Pages.GetAsync(fiona, "/")).Html, StringComparison.Ordinal);
        await fiona.PutAsJsonAsync($"/api/cycles/{id}/enrolments/me", new { supports = true, expectedBarriers = "Quarter end is busy" }).ExpectAsync(HttpStatusCode.NoContent);
        Assert.DoesNotContain("Your answer is awaited", (await Pages.GetAsync(fiona, "/")).Html, StringComparison.Ordinal);
        var finance1 = await org.SignInAsync("finance1");
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/enrolments/me", new { supports = true }).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("Your answer is awaited", (await Pages.GetAsync(finance1, "/")).Html, StringComparison.Ordinal);
        managers = await f.GetJsonAsync<List<EnrolmentRow>>($"/api/cycles/{id}/enrolments");
        var fionaRow = managers.Single(m => m.Name == "fiona");
        Assert.Equal("Quarter end is busy", fionaRow.ExpectedBarriers);
        Assert.True(fionaRow.Supports);

        // The facilitator's own question, fixed once the intake opens.
        var question = await f.PostAsJsonAsync($"/api/cycles/{id}/questions", new { text = "Have you taught before?", kind = "singleChoice", options = new[] { "Yes", "No" } })
            .ReadAsync<QuestionDto>(HttpStatusCode.Created);
        await f.PostAsync($"/api/cycles/{id}/open-intake", null).ExpectAsync(HttpStatusCode.OK);
        await f.PostAsJsonAsync($"/api/cycles/{id}/questions", new { text = "Late?", kind = "freeText" }).ExpectAsync(HttpStatusCode.Conflict);

        // Intake: a person's answers are theirs alone; bad answers are refused whole.
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09"], new() { [question.Id] = ["Maybe"] })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await finance1.GetAsync($"/api/cycles/{id}/intake/me").ExpectAsync(HttpStatusCode.NotFound);
        var mine = await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09", "tue-14"], new() { [question.Id] = ["Yes"] }))
            .ReadAsync<IntakeDto>(HttpStatusCode.OK);
        Assert.Equal(["noTime"], mine.Barriers);
        Assert.Equal(["mon-09", "tue-14"], (await finance1.GetJsonAsync<IntakeDto>($"/api/cycles/{id}/intake/me")).Availability);
        await fiona.GetAsync($"/api/cycles/{id}/intake/me").ExpectAsync(HttpStatusCode.NotFound);
        await f.GetAsync($"/api/cycles/{id}/intake/me").ExpectAsync(HttpStatusCode.Forbidden);
        await fiona.GetAsync($"/api/cycles/{id}/intake/aggregate").ExpectAsync(HttpStatusCode.Forbidden);

        // While the intake is open nothing of the answers shows, so no two readings can be told apart; progress by
        // department comes in fives.
        foreach (var name in new[] { "finance2", "finance3", "finance4", "finance5", "sales1" })
        {
            var client = await org.SignInAsync(name);
            await client.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(name == "finance2" ? ["noTime", "dontKnowWhoCouldTeach"] : ["noTime"], ["wed-10"], new() { [question.Id] = ["No"] }))
                .ExpectAsync(HttpStatusCode.OK);
        }
        var aggregate = await f.GetJsonAsync<IntakeAggregateDto>($"/api/cycles/{id}/intake/aggregate");
        Assert.False(aggregate.Released);
        Assert.Empty(aggregate.Groups);
        Assert.False(aggregate.Questions[0].Shown);
        var progress = await f.GetJsonAsync<IntakeProgress>($"/api/cycles/{id}/intake/progress");
        Assert.Equal((6, 12), (progress.Answered, progress.Participants));
        Assert.Equal([("Finance", 7, "5–9"), ("No department", 1, "0"), ("Sales", 4, "1–4")], progress.ByDepartment.Select(d => (d.Department, d.Participants, d.Answered)));
        Assert.Equal(6, (await f.PostAsync($"/api/cycles/{id}/intake/reminders", null).ReadAsync<RemindedDto>(HttpStatusCode.OK)).Reminded);

        // The map, and its CSV.
        var map = await f.GetJsonAsync<MapFigures>($"/api/cycles/{id}/map");
        var top = map.Skills[0];
        Assert.Equal((6, 3, 6), (top.Wanted, top.Sharers, top.SessionsOffered));
        Assert.Equal(org.Unshared, map.OutsideLearning[0].SkillId);
        Assert.Equal(6, map.Coverage.WithWant);
        var csv = await f.GetAsync($"/api/cycles/{id}/map?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("section,skill,category", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Closing the intake freezes the answers and releases the figures: five Finance answers make a group; Sales's
        // one stays hidden.
        await f.PostAsync($"/api/cycles/{id}/publish-map", null).ExpectAsync(HttpStatusCode.OK);
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], [])).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(["noTime"], (await finance1.GetJsonAsync<IntakeDto>($"/api/cycles/{id}/intake/me")).Barriers);
        aggregate = await f.GetJsonAsync<IntakeAggregateDto>($"/api/cycles/{id}/intake/aggregate");
        var finance = Assert.Single(aggregate.Groups);
        Assert.Equal((true, "Finance", 5, 5, 1), (aggregate.Released, finance.Name, finance.Respondents, finance.Counts["noTime"], finance.Counts["dontKnowWhoCouldTeach"]));
        Assert.Equal(1, aggregate.HiddenRespondents);
        Assert.Equal((5, 1), (aggregate.Questions[0].Counts["No"], aggregate.Questions[0].Counts["Yes"]));

        // Weights out of range are refused before any job exists.
        await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { highPriority = 0 }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty(await f.GetJsonAsync<List<RunDto>>($"/api/cycles/{id}/runs"));

        // A pin is honoured by the next run.
        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", new { learnerEmail = org.Email("finance6"), teacherEmail = org.Email("sales3"), skill = FinanceAndSales.WantedSkill, kind = "pin" })
            .ExpectAsync(HttpStatusCode.Created);
        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", new { learnerEmail = org.Email("finance1"), teacherEmail = org.Email("fiona"), skill = FinanceAndSales.WantedSkill, kind = "pin" })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var run = await RunToTheEndAsync(f, id);
        Assert.Equal((6, 6), (run.Figures.LearnersServed, run.Figures.Learners));
        Assert.Equal(7, run.Figures.WantsTotal);
        var proposals = (await f.GetJsonAsync<Page<ProposalDto>>($"/api/cycles/{id}/runs/{run.Id}/proposals?pageSize=100")).Items;
        Assert.Contains(proposals, p => p.Pinned && p.TeacherId == org["sales3"] && p.LearnerIds[0] == org["finance6"]);
        var reasons = proposals.Where(p => !p.Pinned).SelectMany(p => p.Reasons).ToList();
        Assert.All(reasons, r => Assert.Contains("crosses departments: Finance → Sales", r, StringComparison.Ordinal));
        var unmetWant = Assert.Single((await f.GetJsonAsync<Page<UnmetWantDto>>($"/api/cycles/{id}/runs/{run.Id}/unmet")).Items);
        Assert.Equal(("noSharers", org["finance1"]), (unmetWant.ReasonCode, unmetWant.LearnerId));

        // Publishing makes offers and tells everyone; publishing twice is refused and changes nothing.
        var published = await f.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = run.Id }).ReadAsync<CycleDto>(HttpStatusCode.OK);
        Assert.Equal(CycleState.Published, published.State);
        await f.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = run.Id }).ExpectAsync(HttpStatusCode.Conflict);
        await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ExpectAsync(HttpStatusCode.Conflict);
        var (offers, teacherNews, learnerNews) = await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            return (await db.Offers.CountAsync(), await db.Notifications.Where(n => n.PersonId == org["sales3"]).Select(n => n.Text).ToListAsync(),
                await db.Notifications.Where(n => n.PersonId == org["finance1"]).Select(n => n.Text).ToListAsync());
        });
        Assert.Equal(proposals.Count, offers);
        Assert.Contains(teacherNews, t => t.StartsWith("You have been asked to share", StringComparison.Ordinal));
        Assert.Contains(learnerNews, t => t.Contains("nobody taking part offers sessions of it this cycle", StringComparison.Ordinal));
        Assert.Contains(await finance1.NotificationTextsAsync(), t => t.Contains("matched to learn", StringComparison.Ordinal));
        var (_, page) = await Pages.GetAsync(finance1, $"/cycles/{id}/me");
        Assert.Contains("We could not match you", page, StringComparison.Ordinal);

        // Notifications are also emailed, by the background sender, to the pickup folder in tests.
        await app.Mail.WaitForAsync(m => m.Contains("Quarter end", StringComparison.Ordinal) || m.Contains(org.Email("fiona"), StringComparison.Ordinal),
            "about the enrolment");
    }

    [Fact]
    public async Task Progress_shows_an_answer_at_once_on_the_instance_that_stored_it_while_another_keeps_its_count_a_few_seconds()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = await org.Cycles.CycleAsync(CycleState.Intake);
        await using var other = app.AnotherInstance(runsReminders: false);
        var there = await other.ClientWithTokenAsync(org.Id, Roles.Facilitator);
        // Signed in first, so that far less than Intake.ProgressFor passes between the other instance's two readings below.
        var finance1 = await org.SignInAsync("finance1");
        var finance2 = await Pages.SignedInClientAsync(other, org.Email("finance2"), CycleScenario.Password);
        async Task<int> AnsweredAsync(HttpClient facilitator) =>
            (await facilitator.GetJsonAsync<IntakeProgress>($"/api/cycles/{id}/intake/progress")).Answered;
        Assert.Equal((0, 0), (await AnsweredAsync(org.Facilitator), await AnsweredAsync(there)));

        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09"])).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, await AnsweredAsync(org.Facilitator));
        // The other instance counted a moment ago and keeps its figure for Intake.ProgressFor...
        Assert.Equal(0, await AnsweredAsync(there));
        // ...unless the answer is given through it.
        await finance2.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], ["tue-10"])).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, await AnsweredAsync(there));
        Assert.Equal(1, await AnsweredAsync(org.Facilitator));
    }

    [Fact]
    public async Task Nothing_of_a_cycle_crosses_organisations()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = await org.Cycles.CycleAsync(CycleState.Intake);
        var finance1 = await org.SignInAsync("finance1");
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09"])).ExpectAsync(HttpStatusCode.OK);

        var other = await FinanceAndSales.SeedAsync(app);
        var stranger = await other.SignInAsync("finance1");
        foreach (var path in new[] { "enrolments", "questions", "intake/progress", "intake/aggregate", "map", "runs", "pair-rules" })
            Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.GetAsync($"/api/cycles/{id}/{path}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/cycles/{id}/intake/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], []))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.PostAsync($"/api/cycles/{id}/intake/reminders", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = Guid.NewGuid() })).StatusCode);
        foreach (var page in new[] { "", "/managers", "/questions", "/responses", "/map", "/matching", "/intake", "/me" })
        {
            var (_, html) = await Pages.GetAsync(stranger, $"/cycles/{id}{page}");
            Assert.DoesNotContain("Spring", html, StringComparison.Ordinal);
        }
        Assert.Equal(["mon-09"], (await finance1.GetJsonAsync<IntakeDto>($"/api/cycles/{id}/intake/me")).Availability);
    }

    [Fact]
    public async Task Null_answers_NUL_characters_and_far_dates_are_refused_naming_the_field_and_change_nothing()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Enrolment);
        var question = await f.PostAsJsonAsync($"/api/cycles/{id}/questions", new { text = "Taught before?", kind = "singleChoice", options = new[] { "Yes", "No" } })
            .ReadAsync<QuestionDto>(HttpStatusCode.Created);
        await f.PostAsync($"/api/cycles/{id}/open-intake", null).ExpectAsync(HttpStatusCode.OK);
        var finance1 = await org.SignInAsync("finance1");
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09"], new() { [question.Id] = ["Yes"] })).ExpectAsync(HttpStatusCode.OK);

        // The intake: a null slot or answer (once a 500).
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], [null!])).ExpectRefusedAsync("Availability");
        await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], [], new() { [question.Id] = [null!] })).ExpectRefusedAsync($"Answer:{question.Id}");
        var kept = await finance1.GetJsonAsync<IntakeDto>($"/api/cycles/{id}/intake/me");
        Assert.Equal(["noTime"], kept.Barriers);
        Assert.Equal(["mon-09"], kept.Availability);
        Assert.Equal(["Yes"], kept.Answers[question.Id]);

        // A cycle's dates: within two years of today. (Compared with the date it had, not with today's: a run that
        // crosses midnight once failed here.)
        var matchingDate = (await f.GetJsonAsync<CycleDto>($"/api/cycles/{id}")).MatchingDate;
        await f.PutAsJsonAsync($"/api/cycles/{id}", NewCycle() with { MatchingDate = DateOnly.MaxValue }).ExpectRefusedAsync("MatchingDate");
        await f.PostAsJsonAsync("/api/cycles", NewCycle() with { IntakeOpens = DateOnly.MinValue }).ExpectRefusedAsync("IntakeOpens");
        Assert.Equal(matchingDate, (await f.GetJsonAsync<CycleDto>($"/api/cycles/{id}")).MatchingDate);

        // Pair rules name people and skills by what is typed: NUL in it never reaches PostgreSQL (once a 500 there).
        var mapped = await org.Cycles.CycleAsync(CycleState.Mapped, "Mapped");
        var rule = new { learnerEmail = org.Email("finance1"), teacherEmail = org.Email("sales1"), skill = FinanceAndSales.WantedSkill, kind = "pin" };
        await f.PostAsJsonAsync($"/api/cycles/{mapped}/pair-rules", rule with { learnerEmail = "finance1\0@x.example" }).ExpectRefusedAsync("LearnerId");
        await f.PostAsJsonAsync($"/api/cycles/{mapped}/pair-rules", rule with { teacherEmail = "a\0b" }).ExpectRefusedAsync("TeacherId");
        await f.PostAsJsonAsync($"/api/cycles/{mapped}/pair-rules", rule with { skill = "Nego\0tiation" }).ExpectRefusedAsync("SkillId");
        Assert.Equal("[]", await f.GetStringAsync($"/api/cycles/{mapped}/pair-rules"));
    }

    private static async Task<RunDto> RunToTheEndAsync(HttpClient facilitator, Guid cycleId)
    {
        var run = await facilitator.PostAsJsonAsync($"/api/cycles/{cycleId}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (run = await facilitator.GetJsonAsync<RunDto>($"/api/cycles/{cycleId}/runs/{run.Id}")).Status
            is MatchRunStatus.Succeeded or MatchRunStatus.Failed, "The match run");
        Assert.Equal(MatchRunStatus.Succeeded, run.Status);
        return run;
    }
}

public sealed class CycleWorkflowApiSqliteTests(SqliteApp app) : CycleWorkflowApiTests(app), IClassFixture<SqliteApp>;

public sealed class CycleWorkflowApiPostgresTests(PostgresApp app) : CycleWorkflowApiTests(app), IClassFixture<PostgresApp>;
