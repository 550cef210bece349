using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Features.Offers;

/// <summary>After a session: the people in it log the conversations they had since, or propose another session together.</summary>
public sealed class FollowUps(TacitDbContext db, Notifier notifier, ReminderScheduler reminders, IOptions<OfferOptions> options, TimeProvider clock)
{
    public async Task<FollowUp> LogAsync(Guid sessionId, Guid me, DateOnly heldOn, string? note, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        var followUp = new FollowUp(session, me, heldOn, note, clock.GetUtcNow());
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync(ct);
        return followUp;
    }

    /// <summary>The session's follow-up conversations, for the people in it.</summary>
    public async Task<List<FollowUp>> OfSessionAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        await db.Sessions.AsNoTracking().FindInvolvingAsync(sessionId, me, ct);
        return await db.FollowUps.AsNoTracking().Where(f => f.SessionId == sessionId).OrderBy(f => f.HeldOn).ThenBy(f => f.CreatedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Either side proposes a follow-up session: a new pending offer for the same teacher, skill and learners, with the first
    /// offer's common free hours (the same people's weekly availability) so the offer form proposes times they can meet.
    /// </summary>
    public async Task<Offer> ProposeSessionAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        var original = await db.Offers.AsNoTracking().SingleAsync(o => o.Id == session.OfferId, ct);
        var run = await db.Proposals.AsNoTracking().Where(p => p.Id == original.ProposalId)
            .Join(db.MatchRuns, p => p.RunId, r => r.Id, (p, r) => r).SingleAsync(ct);
        var proposal = new Proposal(run, session.TeacherId, session.SkillId, session.Kind, session.LearnerIds, "a follow-up session", pinned: false,
            commonHours: original.CommonHours);
        var offer = Offer.FollowUpOf(session, proposal, me, clock.GetUtcNow(), options.Value.AnswerWithin);
        db.Proposals.Add(proposal);
        db.Offers.Add(offer);
        var skill = await db.SkillNameAsync(session.SkillId, ct);
        var who = await db.PersonNameAsync(me, ct);
        notifier.Notify(session.LearnerIds.Append(session.TeacherId).Where(id => id != me),
            $"{who} proposes a follow-up session on {skill}.{(me == session.TeacherId ? " They will offer you a time." : " Offer a time that suits you both.")}", OfferNotices.Link);
        await db.SaveChangesAsync(ct);
        await reminders.OffersExpiringAsync(offer.OrganisationId, offer.CycleId, offer.ExpiresAt, ct);
        return offer;
    }
}
