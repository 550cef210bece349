using Tacit.Domain;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Reminders;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// The member's side after publishing: teachers offer times or decline, learners accept a time or ask for others, and
/// either side reschedules or cancels a session. Everyone involved is notified; every new, changed or cancelled
/// session is emailed with its iCalendar invitation.
/// </summary>
public sealed class OfferActions(TacitDbContext db, Notifier notifier, Rematcher rematcher, ReminderScheduler reminders,
    Microsoft.Extensions.Options.IOptions<OfferOptions> options, TimeProvider clock)
{
    private TimeSpan AnswerWithin => options.Value.AnswerWithin;

    public const string Link = "/offers";

    public async Task<Offer> MakeOfferAsync(Guid offerId, Guid me, IReadOnlyList<DateTimeOffset> times, string? message, CancellationToken ct = default)
    {
        var offer = await FindOfferAsync(offerId, me, ct);
        offer.MakeOffer(me, times, message, clock.GetUtcNow(), AnswerWithin);
        var (teacher, skill) = (await NameOfAsync(offer.TeacherId, ct), await SkillNameAsync(offer.SkillId, ct));
        notifier.Notify(offer.LearnerIds, $"{teacher} offers you {(offer.Times.Count == 1 ? "a time" : $"{offer.Times.Count} times")} to learn {skill}. Choose one, or ask for others.", Link);
        await db.SaveChangesAsync(ct);
        await reminders.OffersExpiringAsync(offer.OrganisationId, offer.CycleId, offer.ExpiresAt, ct);
        return offer;
    }

    public async Task<Offer> DeclineAsync(Guid offerId, Guid me, string? reason, CancellationToken ct = default)
    {
        var offer = await FindOfferAsync(offerId, me, ct);
        offer.Decline(me, reason, clock.GetUtcNow());
        // Learners are never told who declined them; the engine looks for their next best teacher at once.
        notifier.Notify(offer.LearnerIds, $"Your match for {await SkillNameAsync(offer.SkillId, ct)} cannot go ahead this time. Tacit is looking for another colleague.", Link);
        await db.SaveChangesAsync(ct);
        await rematcher.TryRematchAsync(offer.CycleId, offer.LearnerIds, ct);
        return offer;
    }

    public async Task<Offer> AskForOtherTimesAsync(Guid offerId, Guid me, string? note, CancellationToken ct = default)
    {
        var offer = await FindOfferAsync(offerId, me, ct);
        offer.AskForOtherTimes(me, note, clock.GetUtcNow(), AnswerWithin);
        notifier.Notify(offer.TeacherId, $"{await NameOfAsync(me, ct)} asks for other times to learn {await SkillNameAsync(offer.SkillId, ct)}.", Link);
        await db.SaveChangesAsync(ct);
        await reminders.OffersExpiringAsync(offer.OrganisationId, offer.CycleId, offer.ExpiresAt, ct);
        return offer;
    }

    public async Task<Session> AcceptAsync(Guid offerId, Guid me, DateTimeOffset time, CancellationToken ct = default)
    {
        var offer = await FindOfferAsync(offerId, me, ct);
        var session = offer.Accept(me, time, clock.GetUtcNow());
        db.Sessions.Add(session);
        notifier.Notify(offer.TeacherId, $"{await NameOfAsync(me, ct)} accepted your offer for {await SkillNameAsync(offer.SkillId, ct)}.", Link, email: false);
        await QueueInvitationsAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }

    /// <summary>Another learner of a group offer joins the session the first one accepted; everyone gets the updated invitation.</summary>
    public async Task<Session> JoinAsync(Guid offerId, Guid me, CancellationToken ct = default)
    {
        var offer = await FindOfferAsync(offerId, me, ct);
        var session = offer.SessionId is { } id ? await db.Sessions.SingleAsync(s => s.Id == id, ct)
            : throw new Domain.ConflictException("Nobody has accepted a time yet: accept one of the offered times instead.");
        session.Join(offer, me, clock.GetUtcNow());
        notifier.Notify(offer.TeacherId, $"{await NameOfAsync(me, ct)} joined your group session on {await SkillNameAsync(offer.SkillId, ct)}.", Link, email: false);
        await QueueInvitationsAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }

    public async Task<Session> RescheduleAsync(Guid sessionId, Guid me, DateTimeOffset startsAt, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        session.Reschedule(me, startsAt, clock.GetUtcNow());
        await QueueInvitationsAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }

    public async Task<Session> CancelAsync(Guid sessionId, Guid me, string? reason, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        session.Cancel(me, reason, clock.GetUtcNow());
        await QueueInvitationsAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }

    public sealed record FeedbackInput(bool Happened, int? Usefulness, string? Learned, string? WentWell, string? ThankYou, bool ThankYouIsPublic);

    /// <summary>Gives (or changes) one's feedback on a session that is over.</summary>
    public async Task<SessionFeedback> GiveFeedbackAsync(Guid sessionId, Guid me, FeedbackInput input, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        var feedback = await db.SessionFeedback.SingleOrDefaultAsync(f => f.SessionId == sessionId && f.PersonId == me, ct);
        if (feedback is null)
        {
            feedback = new SessionFeedback(session, me, clock.GetUtcNow());
            db.SessionFeedback.Add(feedback);
        }
        feedback.Give(session, input.Happened, input.Usefulness, input.Learned, input.WentWell, input.ThankYou, input.ThankYouIsPublic, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return feedback;
    }

    /// <summary>A learner writes (or rewrites) the questions they want to ask; the teacher is told.</summary>
    public async Task<SessionQuestions> WriteQuestionsAsync(Guid sessionId, Guid me, string? text, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        var questions = await db.SessionQuestions.SingleOrDefaultAsync(q => q.SessionId == sessionId && q.LearnerId == me, ct);
        if (questions is null)
        {
            questions = new SessionQuestions(session, me, clock.GetUtcNow());
            db.SessionQuestions.Add(questions);
        }
        questions.Write(session, text, clock.GetUtcNow());
        notifier.Notify(session.TeacherId, $"{await NameOfAsync(me, ct)} wrote the questions they want to ask in your session on {await SkillNameAsync(session.SkillId, ct)}.", Link, email: false);
        await db.SaveChangesAsync(ct);
        return questions;
    }

    /// <summary>The learners' questions for a session, for the people in it.</summary>
    public async Task<List<SessionQuestions>> QuestionsAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        await FindSessionAsync(sessionId, me, ct);
        return await db.SessionQuestions.AsNoTracking().Where(q => q.SessionId == sessionId && q.Text != "").ToListAsync(ct);
    }

    public async Task<FollowUp> LogFollowUpAsync(Guid sessionId, Guid me, DateOnly heldOn, string? note, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        var followUp = new FollowUp(session, me, heldOn, note, clock.GetUtcNow());
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync(ct);
        return followUp;
    }

    /// <summary>The session's follow-up conversations, for the people in it.</summary>
    public async Task<List<FollowUp>> FollowUpsAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        await FindSessionAsync(sessionId, me, ct);
        return await db.FollowUps.AsNoTracking().Where(f => f.SessionId == sessionId).OrderBy(f => f.HeldOn).ThenBy(f => f.CreatedAt).ToListAsync(ct);
    }

    /// <summary>Either side proposes a follow-up session: a new pending offer for the same teacher, skill and learners.</summary>
    public async Task<Offer> ProposeFollowUpSessionAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        var original = await db.Offers.AsNoTracking().SingleAsync(o => o.Id == session.OfferId, ct);
        var run = await db.Proposals.AsNoTracking().Where(p => p.Id == original.ProposalId)
            .Join(db.MatchRuns, p => p.RunId, r => r.Id, (p, r) => r).SingleAsync(ct);
        var proposal = new Domain.Cycles.Proposal(run, session.TeacherId, session.SkillId, session.Kind, session.LearnerIds, "a follow-up session", pinned: false);
        var offer = Offer.FollowUpOf(session, proposal, me, clock.GetUtcNow(), AnswerWithin);
        db.Proposals.Add(proposal);
        db.Offers.Add(offer);
        var skill = await SkillNameAsync(session.SkillId, ct);
        var who = await NameOfAsync(me, ct);
        notifier.Notify(session.LearnerIds.Append(session.TeacherId).Where(id => id != me),
            $"{who} proposes a follow-up session on {skill}.{(me == session.TeacherId ? " They will offer you a time." : " Offer a time that suits you both.")}", Link);
        await db.SaveChangesAsync(ct);
        await reminders.OffersExpiringAsync(offer.OrganisationId, offer.CycleId, offer.ExpiresAt, ct);
        return offer;
    }

    /// <summary>A learner commits to what they will do, by when, with an optional accountability partner (by email).</summary>
    public async Task<Commitment> CommitAsync(Guid sessionId, Guid me, string? text, DateOnly dueOn, string? partnerEmail, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        (Guid Id, string TimeZone)? partner = null;
        if (!string.IsNullOrWhiteSpace(partnerEmail))
        {
            var email = partnerEmail.Trim().ToLowerInvariant();
            partner = (await db.People.Where(p => p.Email == email && p.IsActive).Select(p => new { p.Id, p.TimeZone }).SingleOrDefaultAsync(ct)
                is { } found ? (found.Id, found.TimeZone)
                : throw new Domain.DomainException($"Nobody active in your organisation has the email '{email}'.", nameof(Commitment.PartnerId)));
        }
        var partnerId = partner?.Id;
        var commitment = new Commitment(session, me, text, dueOn, partnerId, clock.GetUtcNow());
        db.Commitments.Add(commitment);
        if (partnerId is { } partnerToAsk)
            notifier.Notify(partnerToAsk, $"{await NameOfAsync(me, ct)} chose you as accountability partner for \"{commitment.Text}\", due {dueOn:d MMMM yyyy}. You will be asked to check in then.", Link);
        await db.SaveChangesAsync(ct);
        await reminders.CheckInAsync(commitment, partner?.TimeZone ?? "UTC", ct);
        return commitment;
    }

    public async Task<Commitment> MarkCommitmentAsync(Guid commitmentId, Guid me, CommitmentStatus status, CancellationToken ct = default)
    {
        var commitment = await db.Commitments.SingleOrDefaultAsync(c => c.Id == commitmentId && (c.LearnerId == me || c.PartnerId == me), ct)
            ?? throw new NotFoundException("No such commitment.");
        commitment.Mark(me, status, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return commitment;
    }

    public async Task<(Session Session, SessionFeedback? Mine)> FeedbackFormAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        return (session, await db.SessionFeedback.AsNoTracking().SingleOrDefaultAsync(f => f.SessionId == sessionId && f.PersonId == me, ct));
    }

    /// <summary>The session's invitation (or cancellation) as an .ics file, for the people in it.</summary>
    public async Task<string> CalendarAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await FindSessionAsync(sessionId, me, ct);
        var (skill, teacher, learners) = await PeopleOfAsync(session, ct);
        return SessionCalendar.Build(session, skill, teacher, learners, clock.GetUtcNow());
    }

    /// <summary>
    /// Adds everyone's invitation (or cancellation) to the mail outbox in the caller's unit of work: it is sent by the
    /// background mailer, after the change is saved and however long the mail server is down.
    /// </summary>
    private async Task QueueInvitationsAsync(Session session, CancellationToken ct)
    {
        var (skill, teacher, learners) = await PeopleOfAsync(session, ct);
        var calendar = new CalendarAttachment(SessionCalendar.Build(session, skill, teacher, learners, clock.GetUtcNow()), SessionCalendar.Method(session), "session.ics");
        var what = session.Status == SessionStatus.Cancelled ? "Cancelled" : session.Sequence == 0 ? "New session" : "Changed";
        var subject = $"{what}: {skill} with {teacher.Name}, {session.StartsAt:d MMM yyyy HH:mm} UTC";
        var body = session.Status == SessionStatus.Cancelled
            ? $"The session on {skill} on {session.StartsAt:dddd d MMMM yyyy HH:mm} UTC is cancelled: {session.CancelReason}"
            : $"{skill} with {teacher.Name}: {session.StartsAt:dddd d MMMM yyyy HH:mm} UTC, {session.DurationMinutes} minutes. The invitation is attached.";
        foreach (var person in learners.Prepend(teacher))
            db.OutgoingMail.Add(new OutgoingMail(session.OrganisationId, person.Email, person.Name, subject, body, calendar.Content, calendar.Method, clock.GetUtcNow()));
    }

    private async Task<(string Skill, CalendarPerson Teacher, List<CalendarPerson> Learners)> PeopleOfAsync(Session session, CancellationToken ct)
    {
        var ids = session.LearnerIds.Append(session.TeacherId).ToList();
        var people = await db.People.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new CalendarPerson(p.DisplayName, p.Email), ct);
        return (await SkillNameAsync(session.SkillId, ct), people[session.TeacherId], [.. session.LearnerIds.Where(people.ContainsKey).Select(id => people[id])]);
    }

    /// <summary>An offer the person is part of; anyone else's is "not found", so its existence is not revealed.</summary>
    private async Task<Offer> FindOfferAsync(Guid offerId, Guid me, CancellationToken ct) =>
        await db.Offers.SingleOrDefaultAsync(o => o.Id == offerId && (o.TeacherId == me || o.LearnerIds.Contains(me)), ct)
        ?? throw new NotFoundException("No such offer.");

    private async Task<Session> FindSessionAsync(Guid sessionId, Guid me, CancellationToken ct) =>
        await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && (s.TeacherId == me || s.LearnerIds.Contains(me)), ct)
        ?? throw new NotFoundException("No such session.");

    private async Task<string> NameOfAsync(Guid personId, CancellationToken ct) =>
        await db.People.Where(p => p.Id == personId).Select(p => p.DisplayName).SingleOrDefaultAsync(ct) ?? "A colleague";

    private async Task<string> SkillNameAsync(Guid skillId, CancellationToken ct) =>
        await db.Skills.Where(s => s.Id == skillId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? "a skill";
}
