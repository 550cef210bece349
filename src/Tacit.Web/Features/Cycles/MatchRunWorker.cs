using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// Runs queued match runs one at a time, in the background, so a large organisation's match never blocks a page or
/// times out. A run is claimed by an atomic update, so with several app instances exactly one of them does it; while
/// doing it, the instance stamps the run's heartbeat, and every instance fails runs whose heartbeat stopped
/// (<see cref="MatchRun.Lease"/>): a killed instance leaves nothing running for ever, and a new run can start.
/// </summary>
public sealed class MatchRunWorker(IServiceScopeFactory scopes, MatchRunSignal signal, TimeProvider clock, ILogger<MatchRunWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FailLostRunsAsync(stoppingToken);
                while (await RunNextAsync(stoppingToken)) { }
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogError(e, "The match worker could not pick up queued runs; retrying.");
            }
            try
            {
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims and does the oldest queued run of any organisation; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
        // Across organisations on purpose, to find work; the run itself is done in its organisation's tenant scope.
        var next = await db.MatchRuns.IgnoreQueryFilters().Where(r => r.Status == MatchRunStatus.Queued)
            .OrderBy(r => r.RequestedAt).Select(r => new { r.Id, r.OrganisationId }).FirstOrDefaultAsync(ct);
        if (next is null) return false;
        var now = clock.GetUtcNow();
        int claimed = await db.MatchRuns.IgnoreQueryFilters().Where(r => r.Id == next.Id && r.Status == MatchRunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MatchRunStatus.Running).SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now).SetProperty(r => r.ProgressPercent, 1).SetProperty(r => r.Stage, "Starting"), ct);
        if (claimed == 0) return true;

        using var alive = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = BeatAsync(next.Id, alive.Token);
        try
        {
            using var work = scopes.CreateScope();
            work.ServiceProvider.GetRequiredService<TenantContext>().Use(next.OrganisationId);
            await work.ServiceProvider.GetRequiredService<MatchJob>().ExecuteAsync(next.Id, ct);
        }
        finally
        {
            await alive.CancelAsync();
            await heartbeat;
        }
        return true;
    }

    /// <summary>Stamps the run's heartbeat until the job ends, on a context of its own (the job's is busy with the run).</summary>
    private async Task BeatAsync(Guid runId, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(MatchRun.HeartbeatEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                using var scope = scopes.CreateScope();
                var now = clock.GetUtcNow();
                await scope.ServiceProvider.GetRequiredService<TacitDbContext>().MatchRuns.IgnoreQueryFilters()
                    .Where(r => r.Id == runId && r.Status == MatchRunStatus.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now), ct);
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            // A missed beat is not fatal while the lease lasts; the run itself goes on.
            logger.LogWarning(e, "Could not stamp the heartbeat of match run {RunId}.", runId);
        }
    }

    /// <summary>Fails the runs, of any organisation, whose instance stopped stamping them; one atomic update, so one instance does it.</summary>
    public async Task<int> FailLostRunsAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var now = clock.GetUtcNow();
        var silentSince = now - MatchRun.Lease;
        var failed = await scope.ServiceProvider.GetRequiredService<TacitDbContext>().MatchRuns.IgnoreQueryFilters()
            .Where(r => r.Status == MatchRunStatus.Running && (r.HeartbeatAt ?? r.StartedAt ?? r.RequestedAt) < silentSince)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MatchRunStatus.Failed).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Stage, "Failed").SetProperty(r => r.Error, MatchRun.LostMessage), ct);
        if (failed > 0) logger.LogWarning("Failed {Count} match run(s) whose instance stopped before finishing.", failed);
        return failed;
    }
}
