using Quartz;
using Tacit.Domain.Offers;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Reminders;

public enum ReminderKind
{
    /// <summary>A day before a session: everyone in it is reminded of the time.</summary>
    SessionComingUp,
    /// <summary>When a session is over: whoever has not said how it went is asked.</summary>
    FeedbackDue,
    /// <summary>About a day before open offers of a cycle expire: whoever has to answer is reminded.</summary>
    OffersExpiring,
    /// <summary>At 09:00 (the partner's time) on a commitment's due date: the accountability partner is asked to check in.</summary>
    CheckInDue,
}

/// <summary>
/// Puts reminders into Quartz's persistent store (in Tacit's own database), one trigger per thing to remind about,
/// keyed by what it is about so that scheduling again (a rescheduled session) replaces the earlier time. The trigger
/// only says when to look; <see cref="DueReminders"/> decides at that moment whether anyone still needs reminding, so a
/// reminder about something cancelled in the meantime simply does nothing. Inside a request that runs in one
/// transaction (<see cref="RequestTransaction"/>) a reminder is stored once that transaction has committed.
/// </summary>
public sealed class ReminderScheduler(ISchedulerFactory schedulers, RequestTransaction request, TimeProvider clock, ILogger<ReminderScheduler> logger)
{
    public static readonly JobKey Job = new("reminder", "tacit");
    public static readonly TimeSpan SessionNotice = TimeSpan.FromDays(1);
    public static readonly TimeSpan OfferNotice = TimeSpan.FromDays(1);
    public static readonly TimeOnly CheckInTime = new(9, 0);

    /// <summary>The coming-up reminder and the feedback request of a session that was booked, joined or moved.</summary>
    public async Task SessionAsync(Session session, CancellationToken ct = default)
    {
        if (session.Status == SessionStatus.Cancelled) return;
        await ScheduleAsync(ReminderKind.SessionComingUp, session.OrganisationId, session.Id, session.StartsAt - SessionNotice, ct: ct);
        await ScheduleAsync(ReminderKind.FeedbackDue, session.OrganisationId, session.Id, session.EndsAt, ct: ct);
    }

    /// <summary>
    /// The expiring-offers reminder for offers of one cycle that expire at about the same time. Offers published
    /// together share one trigger; an offer answered in the meantime is skipped when it fires.
    /// </summary>
    public Task OffersExpiringAsync(Guid organisationId, Guid cycleId, DateTimeOffset expiresAt, CancellationToken ct = default) =>
        ScheduleAsync(ReminderKind.OffersExpiring, organisationId, cycleId, OfferReminderTime(expiresAt, clock.GetUtcNow()), ct: ct);

    /// <summary>A day before expiry, or halfway when less than a day is left; in ten-minute steps so offers made together share a trigger.</summary>
    public static DateTimeOffset OfferReminderTime(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var at = expiresAt - OfferNotice;
        if (at < now) at = now + (expiresAt - now) / 2;
        var step = TimeSpan.FromMinutes(10).Ticks;
        return new DateTimeOffset(at.UtcTicks / step * step, TimeSpan.Zero);
    }

    public Task CheckInAsync(Commitment commitment, string partnerTimeZone, CancellationToken ct = default) =>
        commitment.PartnerId is null ? Task.CompletedTask
            : ScheduleAsync(ReminderKind.CheckInDue, commitment.OrganisationId, commitment.Id, CheckInMoment(commitment.DueOn, partnerTimeZone), ct: ct);

    /// <summary>09:00 on the due date in the partner's time zone (UTC when theirs is unknown).</summary>
    public static DateTimeOffset CheckInMoment(DateOnly dueOn, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = dueOn.ToDateTime(CheckInTime, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// Stores (or moves) one reminder. Called after the action that causes it was saved: a scheduler that cannot be
    /// reached must not undo the action, so failure is logged, not thrown. A <paramref name="retry"/> gets a trigger of
    /// its own, because the trigger that is firing is removed by Quartz once its job returns.
    /// </summary>
    public async Task ScheduleAsync(ReminderKind kind, Guid organisationId, Guid subjectId, DateTimeOffset at, bool retry = false, CancellationToken ct = default)
    {
        var name = kind == ReminderKind.OffersExpiring ? $"{kind}:{subjectId:N}:{at.UtcTicks}" : $"{kind}:{subjectId:N}";
        if (retry) name += $":retry:{at.UtcTicks}";
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, "reminders")
            .ForJob(Job)
            .UsingJobData(ReminderJob.KindKey, kind.ToString())
            .UsingJobData(ReminderJob.OrganisationKey, organisationId.ToString())
            .UsingJobData(ReminderJob.SubjectKey, subjectId.ToString())
            .StartAt(at)
            // Past its time (the app was down, or the time is already gone): fire as soon as the scheduler runs.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await request.AfterCommitAsync(async cancellation =>
        {
            try
            {
                var scheduler = await schedulers.GetScheduler(cancellation);
                await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, cancellation);
            }
            catch (Exception e) when (e is SchedulerException or System.Data.Common.DbException)
            {
                logger.LogWarning(e, "Could not schedule the {Kind} reminder for {Subject} at {At}.", kind, subjectId, at);
            }
        }, ct);
    }
}
