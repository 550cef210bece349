using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// What still needs a person: teachers who cannot sign in are named before publishing, and the review lists every offer
/// without times or answer and every silent participant of an ended session, with one reminder for them all.
/// </summary>
public abstract class ReviewActionsTests(TacitApp app)
{
    private async Task<HttpClient> AdminAsync(FinanceAndSales org) => await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");

    private async Task RemoveAccountsAsync(FinanceAndSales org, IEnumerable<Guid> people)
    {
        var ids = people.ToList();
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Users.Where(u => ids.Contains(u.PersonId)).ExecuteDeleteAsync());
    }

    [Fact]
    public async Task Teachers_who_cannot_sign_in_are_named_before_publishing_and_counted_after()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        var run = await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (run = await f.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{run.Id}")).Status == MatchRunStatus.Succeeded, "the run");
        var teachers = (await f.GetJsonAsync<Page<ProposalDto>>($"/api/cycles/{id}/runs/{run.Id}/proposals?pageSize=100")).Items.Select(p => p.TeacherId).Distinct().ToList();
        var admin = await AdminAsync(org);
        Assert.DoesNotContain("cannot sign in yet", (await Pages.GetAsync(admin, $"/cycles/{id}/runs/{run.Id}")).Html, StringComparison.Ordinal);

        await RemoveAccountsAsync(org, teachers);
        var names = string.Join(", ", teachers.Select(org.NameOf).Order(StringComparer.Ordinal));
        var html = WebUtility.HtmlDecode((await Pages.GetAsync(admin, $"/cycles/{id}/runs/{run.Id}")).Html);
        Assert.Contains($"{teachers.Count} proposed teacher{(teachers.Count == 1 ? " cannot" : "s cannot")} sign in yet: {names}.", html, StringComparison.Ordinal);

        await f.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = run.Id }).ExpectAsync(HttpStatusCode.OK);
        var pending = await f.GetJsonAsync<PendingActionsDto>($"/api/cycles/{id}/review/actions");
        var offers = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.CountAsync(o => o.CycleId == id));
        Assert.Equal((offers, 0, 0, teachers.Count), (pending.Times, pending.Answers, pending.Feedback, pending.PeopleWhoCannotSignIn));
        Assert.All(pending.Actions, a => Assert.Equal((WaitingFor.Times, false, "/offers"), (a.WaitingFor, a.CanSignIn, a.Link)));

        // Another organisation's facilitator finds none of it, and reminds nobody.
        var other = await FinanceAndSales.SeedAsync(app);
        await other.Facilitator.GetAsync($"/api/cycles/{id}/review/actions").ExpectAsync(HttpStatusCode.NotFound);
        await other.Facilitator.PostAsync($"/api/cycles/{id}/review/remind", null).ExpectAsync(HttpStatusCode.NotFound);
        await other.Facilitator.GetAsync($"/api/cycles/{id}/runs/{run.Id}/changes?since={run.Id}").ExpectAsync(HttpStatusCode.NotFound);
        Assert.False(await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Notifications.AnyAsync(n => n.Text.StartsWith("A reminder:"))));
    }

    [Fact]
    public async Task The_review_lists_who_is_waited_for_and_reminds_each_once_per_thing()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = (await org.Cycles.PublishedCycleAsync()).Id;
        var f = org.Facilitator;
        var before = await f.GetJsonAsync<PendingActionsDto>($"/api/cycles/{id}/review/actions");
        Assert.Equal((0, 0), (before.Answers, before.Feedback));

        // sales2 offers times (now their learners are waited for); sales3's session is booked and has ended.
        var offered = await org.OfferOfAsync("sales2");
        var now = TimeProvider.System.GetUtcNow();
        var soon = new DateTimeOffset(now.Year, now.Month, now.Day, 10, 0, 0, TimeSpan.Zero).AddDays(3);
        await offered.Teacher.PostAsJsonAsync($"/api/offers/{offered.Offer.Id}/offer", new { times = new[] { soon } }).ExpectAsync(HttpStatusCode.OK);
        var booked = await org.OfferOfAsync("sales3");
        var session = await booked.BookAsync(soon.AddDays(1));
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == session.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, TimeProvider.System.GetUtcNow().AddDays(-2))));
        // The learner has said how it went; only the teacher is still waited for.
        await booked.Learner.PutAsJsonAsync($"/api/sessions/{session.Id}/feedback/me", new FeedbackInput(true, 4, "Anchoring", null, null, false)).ExpectAsync(HttpStatusCode.OK);

        var pending = await f.GetJsonAsync<PendingActionsDto>($"/api/cycles/{id}/review/actions");
        Assert.Equal((before.Times - 2, offered.Offer.LearnerIds.Count, 1), (pending.Times, pending.Answers, pending.Feedback));
        var feedback = Assert.Single(pending.Actions, a => a.WaitingFor == WaitingFor.Feedback);
        Assert.Equal((org["sales3"], $"/sessions/{session.Id}/feedback"), (feedback.PersonId, feedback.Link));

        var admin = await AdminAsync(org);
        var html = WebUtility.HtmlDecode((await Pages.GetAsync(admin, $"/cycles/{id}/review")).Html);
        Assert.Contains("Waiting for someone", html, StringComparison.Ordinal);
        Assert.Contains($"Say how {FinanceAndSales.WantedSkill} on", html, StringComparison.Ordinal);
        var people = pending.Actions.Select(a => a.PersonId).Distinct().Count();
        var reminded = WebUtility.HtmlDecode(await (await Pages.PostFormAsync(admin, $"/cycles/{id}/review", "remind", new Dictionary<string, string>())).Content.ReadAsStringAsync());
        Assert.Contains($"{people} {(people == 1 ? "person" : "people")} reminded.", reminded, StringComparison.Ordinal);
        var sales3 = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Notifications
            .Where(n => n.PersonId == org["sales3"] && n.Text.StartsWith("A reminder:")).Select(n => n.Text).ToListAsync());
        // One reminder per thing waiting: sales3 may also owe times for a second offer.
        Assert.Equal(pending.Actions.Count(a => a.PersonId == org["sales3"]), sales3.Count);
        Assert.Single(sales3, $"A reminder: how did your session on {FinanceAndSales.WantedSkill} go? Say whether it happened and what you took from it.");
    }
}

public sealed class ReviewActionsSqliteTests(SqliteApp app) : ReviewActionsTests(app), IClassFixture<SqliteApp>;

public sealed class ReviewActionsPostgresTests(PostgresApp app) : ReviewActionsTests(app), IClassFixture<PostgresApp>;
