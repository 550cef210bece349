using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// When someone leaves (is deactivated), their open offers do not wait for an answer that will never come: offers they
/// were asked to teach end and their learners go back to the engine; offers they were to learn in go on without them.
/// Their upcoming sessions are cancelled, or a group goes on without them, and everyone in them is sent the cancelled
/// or changed invitation (METHOD:CANCEL or REQUEST). The leavers rule of docs/people.md.
/// </summary>
public sealed class LeaverOffers(TacitDbContext db, Notifier notifier, Rematcher rematcher, SessionInvitations invitations,
    Reminders.ReminderScheduler reminders, TimeProvider clock)
{
    public const string CancelReason = "Someone in this session has left Tacit.";

    /// <summary>Takes the leaver out of their upcoming sessions, in the caller's unit of work, with the invitations queued.</summary>
    public async Task<IReadOnlyList<Session>> DropUpcomingSessionsAsync(Guid leaverId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var upcoming = await db.Sessions.Involving(leaverId).Where(s => s.Status == SessionStatus.Scheduled && s.StartsAt > now).ToListAsync(ct);
        var dropped = upcoming.Where(s => s.Drop(leaverId, CancelReason, now)).ToList();
        foreach (var session in dropped) await invitations.QueueAsync(session, ct);
        return dropped;
    }

    /// <summary>After the save: a group that goes on keeps its reminders for those still in it.</summary>
    public async Task RescheduleRemindersAsync(IReadOnlyList<Session> dropped, CancellationToken ct = default)
    {
        foreach (var session in dropped) await reminders.SessionAsync(session, ct);
    }

    /// <summary>Withdraws the leaver from their open offers, in the caller's unit of work (the caller saves).</summary>
    /// <returns>The offers whose learners are to be matched again, once saved.</returns>
    public async Task<IReadOnlyList<Offer>> WithdrawAsync(Guid leaverId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var open = await db.Offers.Involving(leaverId).Where(o => o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered).ToListAsync(ct);
        var toRematch = new List<Offer>();
        foreach (var offer in open.Where(o => o.Withdraw(leaverId, now)))
        {
            if (offer.Status != OfferStatus.Declined) continue;
            toRematch.Add(offer);
            // Learners are told no more than when a teacher declines: only that Tacit looks for someone else.
            notifier.Notify(offer.LearnerIds, OfferNotices.CannotGoAhead(await db.SkillNameAsync(offer.SkillId, ct)), OfferNotices.Link);
        }
        return toRematch;
    }

    /// <summary>After the save: the engine looks for the next best teacher for each withdrawn offer's learners.</summary>
    public async Task RematchAsync(IReadOnlyList<Offer> withdrawn, CancellationToken ct = default)
    {
        foreach (var cycle in withdrawn.GroupBy(o => o.CycleId))
            await rematcher.TryRematchAsync(cycle.Key, [.. cycle.SelectMany(o => o.LearnerIds).Distinct()], ct);
    }
}
