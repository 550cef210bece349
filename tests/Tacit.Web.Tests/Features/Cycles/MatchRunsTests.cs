using Microsoft.AspNetCore.Mvc;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

public abstract class MatchRunsTests(TacitApp app)
{
    [Fact]
    public async Task A_second_run_while_one_is_running_is_refused_even_when_two_arrive_at_once()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        // A run stuck as running, as if another instance were doing it.
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var cycle = await db.Cycles.SingleAsync(c => c.Id == id);
            db.MatchRuns.Add(new MatchRun(cycle, 1, new MatchWeights(), org["fiona"], TimeProvider.System.GetUtcNow()));
            await db.SaveChangesAsync();
            await db.MatchRuns.Where(r => r.CycleId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MatchRunStatus.Running));
            // The database refuses a second active run too, not only the use case.
            db.MatchRuns.Add(new MatchRun(cycle, 2, new MatchWeights(), org["fiona"], TimeProvider.System.GetUtcNow()));
            await Assert.ThrowsAsync<ConflictException>(() => db.SaveChangesAsync());
            return 0;
        });
        var refused = await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ReadAsync<ProblemDetails>(HttpStatusCode.Conflict);
        Assert.Contains("still running", refused.Detail, StringComparison.Ordinal);
        Assert.Single(await org.Facilitator.GetJsonAsync<List<RunDto>>($"/api/cycles/{id}/runs"));
    }

    [Fact]
    public async Task A_run_whose_instance_died_is_failed_within_a_minute_and_a_new_run_can_start()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        // Run 1 was claimed by an instance that was killed: it stopped stamping its heartbeat a lease ago.
        var silentSince = TimeProvider.System.GetUtcNow() - MatchRun.Lease - TimeSpan.FromSeconds(5);
        var lost = await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var run = new MatchRun(await db.Cycles.SingleAsync(c => c.Id == id), 1, new MatchWeights(), org["fiona"], silentSince);
            db.MatchRuns.Add(run);
            await db.SaveChangesAsync();
            await db.MatchRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MatchRunStatus.Running)
                .SetProperty(r => r.StartedAt, silentSince).SetProperty(r => r.HeartbeatAt, silentSince));
            return run.Id;
        });

        // Every instance's worker looks for such runs at each poll (and at start-up); this one finds it.
        await Poll.UntilAsync(async () => (await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{lost}")).Status == MatchRunStatus.Failed,
            "the lost run to be failed", TimeSpan.FromSeconds(30));
        var failed = await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{lost}");
        Assert.Equal(MatchRun.LostMessage, failed.Error);
        Assert.NotNull(failed.FinishedAt);

        // A new run starts and, stamped by a live worker, is not taken for lost.
        var next = await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{next.Id}")).Status == MatchRunStatus.Succeeded,
            "the new run to succeed", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Starting_a_run_fails_a_lost_one_at_once_but_never_a_live_one()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        var now = TimeProvider.System.GetUtcNow();
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var run = new MatchRun(await db.Cycles.SingleAsync(c => c.Id == id), 1, new MatchWeights(), org["fiona"], now);
            db.MatchRuns.Add(run);
            await db.SaveChangesAsync();
            // Alive: stamped a moment ago by the instance doing it.
            return await db.MatchRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MatchRunStatus.Running)
                .SetProperty(r => r.StartedAt, now.AddMinutes(-10)).SetProperty(r => r.HeartbeatAt, now));
        });
        await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ExpectAsync(HttpStatusCode.Conflict);

        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().MatchRuns.Where(r => r.CycleId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now - MatchRun.Lease - TimeSpan.FromSeconds(1))));
        await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ExpectAsync(HttpStatusCode.Accepted);
        var runs = await org.Facilitator.GetJsonAsync<List<RunDto>>($"/api/cycles/{id}/runs");
        Assert.Equal(MatchRun.LostMessage, runs.Single(r => r.Number == 1).Error);
    }
}

public sealed class MatchRunsSqliteTests(SqliteApp app) : MatchRunsTests(app), IClassFixture<SqliteApp>;

public sealed class MatchRunsPostgresTests(PostgresApp app) : MatchRunsTests(app), IClassFixture<PostgresApp>;
