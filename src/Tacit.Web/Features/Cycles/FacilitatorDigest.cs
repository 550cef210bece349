using Microsoft.EntityFrameworkCore;
using Quartz;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// The facilitators' digest: once a day, each facilitator and admin is told, per running cycle, what still needs
/// someone — intake answers still to come, offers without times or answer, sessions without feedback. It is an
/// ordinary notification, so it arrives in the app and by email or in their own Slack or Teams, as each person chose.
/// A cycle with nothing waiting says nothing; a day with nothing waiting sends nothing.
/// </summary>
public sealed class FacilitatorDigest(TacitDbContext db, CycleOverview overview, ReviewActions actions, Notifier notifier)
{
    /// <summary>Tells the current organisation's facilitators and admins; returns how many lines (cycles) each got.</summary>
    public async Task<int> SendAsync(CancellationToken ct = default)
    {
        var running = await db.Cycles.AsNoTracking()
            .Where(c => c.State == CycleState.Intake || c.State == CycleState.Published || c.State == CycleState.Review)
            .OrderBy(c => c.IntakeOpens).ToListAsync(ct);
        var lines = new List<(string Text, string Link)>();
        foreach (var cycle in running)
        {
            if (cycle.State == CycleState.Intake)
            {
                if (await overview.ReadAsync(cycle.Id, ct) is { } read && read.Answered < read.Participants)
                    lines.Add(($"Digest for \"{cycle.Name}\": {read.Answered:N0} of {read.Participants:N0} have answered the intake, open until {cycle.IntakeCloses:d MMMM}.", $"/cycles/{cycle.Id}"));
                continue;
            }
            var pending = await actions.ListAsync(cycle.Id, ct);
            if (pending.Times + pending.Answers + pending.Feedback == 0) continue;
            lines.Add(($"Digest for \"{cycle.Name}\": {pending.Times:N0} offers without times, {pending.Answers:N0} answers awaited, " +
                $"{pending.Feedback:N0} people yet to say how a session went.", $"/cycles/{cycle.Id}/review"));
        }
        if (lines.Count == 0) return 0;
        const int facilitating = (int)(Roles.Facilitator | Roles.Admin);
        var facilitators = await db.People.Where(p => p.IsActive && ((int)p.Roles & facilitating) != 0).Select(p => p.Id).ToListAsync(ct);
        // Already a digest, sent at its own hour: it does not wait for anyone's personal digest.
        foreach (var (text, link) in lines) notifier.Notify(facilitators, text, link, urgent: true);
        await db.SaveChangesAsync(ct);
        return lines.Count;
    }
}

/// <summary>
/// Runs the digest for every organisation on Quartz's schedule (<c>Digest:Cron</c>, default 07:00 UTC on weekdays). On
/// PostgreSQL the instances' schedulers form a cluster, so the trigger fires on one of them: one digest a day.
/// </summary>
[DisallowConcurrentExecution]
public sealed class FacilitatorDigestJob(IServiceScopeFactory scopes, ILogger<FacilitatorDigestJob> logger) : IJob
{
    public static readonly JobKey Job = new("facilitator-digest", "digests");
    public const string DefaultCron = "0 0 7 ? * MON-FRI";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        List<Guid> organisations;
        await using (var scope = scopes.CreateAsyncScope())
            // Across organisations on purpose: only their ids, each then handled in its own tenant scope.
            organisations = await scope.ServiceProvider.GetRequiredService<TacitDbContext>().Organisations.IgnoreQueryFilters().Select(o => o.Id).ToListAsync(cancellationToken);
        foreach (var organisation in organisations)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
                await scope.ServiceProvider.GetRequiredService<FacilitatorDigest>().SendAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One organisation's failure does not keep the others' digests back.
                logger.LogWarning(e, "The facilitators' digest of organisation {Organisation} failed.", organisation);
            }
        }
    }
}
