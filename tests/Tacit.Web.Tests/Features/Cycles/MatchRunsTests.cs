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
}

public sealed class MatchRunsSqliteTests(SqliteApp app) : MatchRunsTests(app), IClassFixture<SqliteApp>;

public sealed class MatchRunsPostgresTests(PostgresApp app) : MatchRunsTests(app), IClassFixture<PostgresApp>;
