using Quartz;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Reminders;

/// <summary>
/// The one Quartz job behind every reminder: each trigger carries what to remind about, and the job hands it to
/// <see cref="DueReminders"/> in that organisation's scope. A reminder that fired too early for its record (a session
/// moved while the trigger was being replaced) is put back at the right time, and one that failed (the database was
/// unreachable) is tried again a few minutes later instead of being dropped.
/// </summary>
public sealed class ReminderJob(IServiceScopeFactory scopes, ReminderScheduler reminders, TimeProvider clock, ILogger<ReminderJob> logger) : IJob
{
    public const string KindKey = "kind";
    public const string OrganisationKey = "organisation";
    public const string SubjectKey = "subject";
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        if (!Enum.TryParse<ReminderKind>(data.GetString(KindKey), out var kind)
            || !Guid.TryParse(data.GetString(OrganisationKey), out var organisation)
            || !Guid.TryParse(data.GetString(SubjectKey), out var subject))
        {
            logger.LogWarning("Reminder trigger {Trigger} carries no valid reminder; skipped.", context.Trigger.Key);
            return;
        }
        DateTimeOffset? later;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
            later = await scope.ServiceProvider.GetRequiredService<DueReminders>().SendAsync(kind, subject, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The {Kind} reminder for {Subject} failed; trying again in {Delay}.", kind, subject, RetryAfter);
            later = clock.GetUtcNow() + RetryAfter;
        }
        if (later is { } at) await reminders.ScheduleAsync(kind, organisation, subject, at, retry: true, cancellationToken);
    }
}
