using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// A learner accepts one offered time and the session exists; in a group, the other learners join that session.
/// The teacher is told in the app, and everyone in the session gets the (updated) invitation by email.
/// </summary>
public sealed class AcceptOffer(TacitDbContext db, Notifier notifier, SessionInvitations invitations, ReminderScheduler reminders, TimeProvider clock)
{
    public async Task<Session> AcceptAsync(Guid offerId, Guid me, DateTimeOffset time, CancellationToken ct = default)
    {
        var offer = await db.Offers.FindInvolvingAsync(offerId, me, ct);
        var session = offer.Accept(me, time, clock.GetUtcNow());
        db.Sessions.Add(session);
        notifier.Notify(offer.TeacherId, $"{await db.PersonNameAsync(me, ct)} accepted your offer for {await db.SkillNameAsync(offer.SkillId, ct)}.", OfferNotices.Link, email: false);
        await invitations.QueueAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }

    /// <summary>Another learner of a group offer joins the session the first one accepted.</summary>
    public async Task<Session> JoinAsync(Guid offerId, Guid me, CancellationToken ct = default)
    {
        var offer = await db.Offers.FindInvolvingAsync(offerId, me, ct);
        var session = offer.SessionId is { } id ? await db.Sessions.SingleAsync(s => s.Id == id, ct)
            : throw new ConflictException("Nobody has accepted a time yet: accept one of the offered times instead.");
        session.Join(offer, me, clock.GetUtcNow());
        notifier.Notify(offer.TeacherId, $"{await db.PersonNameAsync(me, ct)} joined your group session on {await db.SkillNameAsync(offer.SkillId, ct)}.", OfferNotices.Link, email: false);
        await invitations.QueueAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }
}
