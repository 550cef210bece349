using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// Runs queued match runs one at a time, in the background, so a large organisation's match never blocks a page or
/// times out. A run is claimed by an atomic update, so with several app instances exactly one of them does it.
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
                while (await RunNextAsync(stoppingToken)) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
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
                .SetProperty(r => r.ProgressPercent, 1).SetProperty(r => r.Stage, "Starting"), ct);
        if (claimed == 0) return true;

        using var work = scopes.CreateScope();
        work.ServiceProvider.GetRequiredService<TenantContext>().Use(next.OrganisationId);
        await work.ServiceProvider.GetRequiredService<MatchJob>().ExecuteAsync(next.Id, ct);
        return true;
    }
}
