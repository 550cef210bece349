using Quartz;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Reminders;

/// <summary>
/// The one Quartz job behind every reminder: each trigger carries what to remind about, and the job hands it to
/// <see cref="DueReminders"/> in that organisation's scope. A reminder that fired too early for its record (a session
/// moved while the trigger was being replaced) is put back at the right time.
/// </summary>
public sealed class ReminderJob(IServiceScopeFactory scopes, ReminderScheduler reminders, ILogger<ReminderJob> logger) : IJob
{
    public const string KindKey = "kind";
    public const string OrganisationKey = "organisation";
    public const string SubjectKey = "subject";

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
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
        var later = await scope.ServiceProvider.GetRequiredService<DueReminders>().SendAsync(kind, subject, cancellationToken);
        if (later is { } at) await reminders.ScheduleAsync(kind, organisation, subject, at, retry: true, cancellationToken);
    }
}
