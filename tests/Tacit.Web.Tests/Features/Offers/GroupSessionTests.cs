using Tacit.Domain.Cycles;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Offers;

public abstract class GroupSessionTests(TacitApp app)
{
    [Fact]
    public async Task Group_learners_join_one_by_one_and_simultaneous_joins_end_consistently()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        // sales1 takes one group of up to four; the others one learner each: the engine must group.
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            await db.Shares.Where(x => x.PersonId == org["sales1"]).ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 1)
                .SetProperty(x => x.AcceptsGroups, true).SetProperty(x => x.MaxGroupSize, 4));
            return await db.Shares.Where(x => x.PersonId != org["sales1"]).ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 1));
        });
        await org.Cycles.PublishedCycleAsync();
        var teacher = await org.SignInAsync("sales1");
        var group = (await teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.TeacherId == org["sales1"]);
        Assert.Equal(SessionKind.Group, group.Kind);
        var learners = new List<HttpClient>();
        foreach (var id in group.LearnerIds)
            learners.Add(await org.SignInAsync(org.NameOf(id)));
        Assert.True(learners.Count >= 3, $"expected a group of at least three, got {learners.Count}");
        var time = new DateTimeOffset(TimeProvider.System.GetUtcNow().AddDays(5).UtcDateTime.Date.AddHours(14), TimeSpan.Zero);
        await teacher.PostAsJsonAsync($"/api/offers/{group.Id}/offer", new { times = new[] { time } }).ExpectAsync(HttpStatusCode.OK);
        await learners[1].PostAsync($"/api/offers/{group.Id}/join", null).ExpectAsync(HttpStatusCode.Conflict); // nobody accepted yet
        var session = await learners[0].PostAsJsonAsync($"/api/offers/{group.Id}/accept", new { time }).ReadAsync<SessionDto>(HttpStatusCode.OK);
        Assert.Equal((60, false), (session.DurationMinutes, session.Confirmed));

        var joins = await Task.WhenAll(learners.Skip(1).Select(l => l.PostAsync($"/api/offers/{group.Id}/join", null)));
        Assert.All(joins, j => Assert.Contains(j.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var final = (await learners[0].GetJsonAsync<List<SessionDto>>("/api/sessions")).Single(s => s.OfferId == group.Id);
        Assert.Equal(1 + joins.Count(j => j.StatusCode == HttpStatusCode.OK), final.LearnerIds.Count);
        Assert.Equal(final.LearnerIds.Count - 1, final.Sequence);
        Assert.Contains(joins, j => j.StatusCode == HttpStatusCode.OK);
        Assert.True(final.Confirmed);
    }
}

public sealed class GroupSessionSqliteTests(SqliteApp app) : GroupSessionTests(app), IClassFixture<SqliteApp>;

public sealed class GroupSessionPostgresTests(PostgresApp app) : GroupSessionTests(app), IClassFixture<PostgresApp>;
