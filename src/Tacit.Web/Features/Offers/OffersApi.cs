using Tacit.Domain;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Features.Skills;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Offers;

public sealed record OfferDto(Guid Id, Guid CycleId, Guid TeacherId, Guid SkillId, SessionKind Kind, IReadOnlyList<Guid> LearnerIds, OfferStatus Status,
    IReadOnlyList<DateTimeOffset> Times, string Message, string LearnerNote, DateTimeOffset ExpiresAt, Guid? SessionId, string Place,
    IReadOnlyList<int>? CommonHours);
public sealed record SessionDto(Guid Id, Guid OfferId, Guid TeacherId, Guid SkillId, SessionKind Kind, IReadOnlyList<Guid> LearnerIds, SessionStatus Status,
    DateTimeOffset StartsAt, int DurationMinutes, int Sequence, string CancelReason, bool Confirmed, string Place);
public sealed record MakeOfferWrite(IReadOnlyList<DateTimeOffset> Times, string? Message, string? Place = null);
public sealed record ReasonWrite(string? Reason);
public sealed record AcceptWrite(DateTimeOffset Time);
public sealed record RescheduleWrite(DateTimeOffset StartsAt);
public sealed record FollowUpWrite(DateOnly HeldOn, string? Note);
public sealed record CommitmentWrite(string? Text, DateOnly DueOn, string? PartnerEmail);
public sealed record CommitmentStatusWrite(string? Status);
public sealed record CommitmentDto(Guid Id, Guid SessionId, Guid LearnerId, string Text, DateOnly DueOn, Guid? PartnerId, CommitmentStatus Status, DateTimeOffset? PartnerAskedAt,
    CheckInAnswer? PartnerCheckIn, string PartnerNote, DateTimeOffset? PartnerCheckedInAt);

public sealed record CheckInWrite(string? Answer, string? Note);
public sealed record FeedbackDto(Guid SessionId, bool AsTeacher, bool Happened, int? Usefulness, string Learned, string WentWell, string ThankYou, bool ThankYouIsPublic);

/// <summary>Offers and sessions through the API: only the people in them see or change them (others get 404).</summary>
public static class OffersApi
{
    public static void MapOffersApi(this RouteGroupBuilder api)
    {
        var offers = api.MapGroup("/offers").WithTags("Offers and sessions");
        offers.MapGet("/", async (MyOffersQuery query, CurrentUser current, CancellationToken ct) =>
            (await query.OffersAsync(current.RequirePerson(), ct)).Select(ToDto).ToList())
            .WithSummary($"Your offers, as the teacher or a learner: the {MyOffersQuery.Limit} newest.");
        offers.MapPost("/{id:guid}/offer", async (Guid id, MakeOfferWrite body, MakeOffer makeOffer, CurrentUser current, CancellationToken ct) =>
            ToDto(await makeOffer.MakeAsync(id, current.RequirePerson(), body.Times ?? [], body.Message, body.Place, ct)))
            .WithName("makeOffer").WithSummary("The teacher offers one to three future times, and where (a room or a meeting link, optional; it goes in the calendar invitation).");
        offers.MapPost("/{id:guid}/decline", async (Guid id, ReasonWrite body, DeclineOffer decline, CurrentUser current, CancellationToken ct) =>
            ToDto(await decline.DeclineAsync(id, current.RequirePerson(), body.Reason, ct)))
            .WithSummary("The teacher declines with a reason (never shown to the learners).");
        offers.MapPost("/{id:guid}/other-times", async (Guid id, ReasonWrite body, AskForOtherTimes ask, CurrentUser current, CancellationToken ct) =>
            ToDto(await ask.AskAsync(id, current.RequirePerson(), body.Reason, ct)))
            .WithName("askForOtherTimes").WithSummary("A learner asks for other times.");
        offers.MapPost("/{id:guid}/accept", async (Guid id, AcceptWrite body, AcceptOffer accept, CurrentUser current, CancellationToken ct) =>
            ToDto(await accept.AcceptAsync(id, current.RequirePerson(), body.Time, ct)))
            .WithSummary("A learner accepts one offered time; the session is created and invitations are emailed.");
        offers.MapPost("/{id:guid}/join", async (Guid id, AcceptOffer accept, CurrentUser current, CancellationToken ct) =>
            ToDto(await accept.JoinAsync(id, current.RequirePerson(), ct)))
            .WithSummary("Another learner of a group offer joins the session at the time already accepted (a group runs from two learners).");

        var sessions = api.MapGroup("/sessions").WithTags("Offers and sessions");
        sessions.MapGet("/", async (MyOffersQuery query, CurrentUser current, CancellationToken ct) =>
            (await query.SessionsAsync(current.RequirePerson(), ct)).Select(ToDto).ToList())
            .WithSummary($"Your sessions, soonest first: the first {MyOffersQuery.Limit}.");
        sessions.MapGet("/{id:guid}.ics", async (Guid id, SessionInvitations invitations, CurrentUser current, CancellationToken ct) =>
        {
            var calendar = await invitations.CalendarAsync(id, current.RequirePerson(), ct);
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(calendar.Content), "text/calendar; charset=utf-8", calendar.FileName);
        })
            .WithName("getSessionCalendar").Produces(StatusCodes.Status200OK, contentType: "text/calendar")
            .WithSummary("The session's iCalendar invitation (RFC 5545).");
        sessions.MapPost("/{id:guid}/reschedule", async (Guid id, RescheduleWrite body, ChangeSession change, CurrentUser current, CancellationToken ct) =>
            ToDto(await change.RescheduleAsync(id, current.RequirePerson(), body.StartsAt, ct)))
            .WithSummary("Moves the session; everyone gets an updated invitation.");
        sessions.MapPost("/{id:guid}/cancel", async (Guid id, ReasonWrite body, ChangeSession change, CurrentUser current, CancellationToken ct) =>
            ToDto(await change.CancelAsync(id, current.RequirePerson(), body.Reason, ct)))
            .WithSummary("Cancels the session with a reason; everyone gets a cancellation.");
        sessions.MapPut("/{id:guid}/feedback/me", async (Guid id, FeedbackInput body, GiveFeedback feedback, CurrentUser current, CancellationToken ct) =>
        {
            var f = await feedback.GiveAsync(id, current.RequirePerson(), body, ct);
            return new FeedbackDto(f.SessionId, f.AsTeacher, f.Happened, f.Usefulness, f.Learned, f.WentWell, f.ThankYou, f.ThankYouIsPublic);
        }).WithSummary("Your feedback once the session has started: {happened, usefulness 1–5 (learners), learned, wentWell (teachers), thankYou, thankYouIsPublic}.");

        sessions.MapPut("/{id:guid}/questions/me", async (Guid id, ReasonWrite body, LearnerQuestions questions, CurrentUser current, CancellationToken ct) =>
        {
            var q = await questions.WriteAsync(id, current.RequirePerson(), body.Reason, ct);
            return new { q.SessionId, q.LearnerId, q.Text };
        }).WithSummary("A learner writes the questions they want to ask, until the session starts: {reason: text}.");
        sessions.MapGet("/{id:guid}/questions", async (Guid id, LearnerQuestions questions, CurrentUser current, CancellationToken ct) =>
            (await questions.OfSessionAsync(id, current.RequirePerson(), ct)).Select(q => new { q.LearnerId, q.Text, q.UpdatedAt }).ToList())
            .WithSummary("The learners' questions, for the people in the session.");
        sessions.MapPost("/{id:guid}/follow-ups", async (Guid id, FollowUpWrite body, FollowUps followUps, CurrentUser current, CancellationToken ct) =>
        {
            var f = await followUps.LogAsync(id, current.RequirePerson(), body.HeldOn, body.Note, ct);
            return TypedResults.Created($"/api/sessions/{id}/follow-ups", new { f.Id, f.SessionId, f.PersonId, f.HeldOn, f.Note });
        }).WithSummary("Logs a follow-up conversation after the session: {heldOn, note}.");
        sessions.MapGet("/{id:guid}/follow-ups", async (Guid id, FollowUps followUps, CurrentUser current, CancellationToken ct) =>
            (await followUps.OfSessionAsync(id, current.RequirePerson(), ct)).Select(f => new { f.Id, f.PersonId, f.HeldOn, f.Note }).ToList())
            .WithSummary("The session's follow-up conversations, for the people in it.");
        sessions.MapPost("/{id:guid}/follow-up-session", async (Guid id, FollowUps followUps, CurrentUser current, CancellationToken ct) =>
            TypedResults.Created("/api/offers", ToDto(await followUps.ProposeSessionAsync(id, current.RequirePerson(), ct))))
            .WithName("proposeFollowUpSession").WithSummary("Proposes a follow-up session to the same person: a new pending offer for the same teacher and skill.");
        sessions.MapPost("/{id:guid}/commitments", async (Guid id, CommitmentWrite body, Commitments learnerCommitments, CurrentUser current, CancellationToken ct) =>
        {
            var c = await learnerCommitments.CommitAsync(id, current.RequirePerson(), body.Text, body.DueOn, body.PartnerEmail, ct);
            return TypedResults.Created($"/api/commitments/{c.Id}", ToDto(c));
        }).WithSummary("A learner commits to what they will do, by when, optionally with an accountability partner's email.");
        var commitments = api.MapGroup("/commitments").WithTags("Offers and sessions");
        commitments.MapGet("/", async (MyOffersQuery query, CurrentUser current, CancellationToken ct) =>
            (await query.CommitmentsAsync(current.RequirePerson(), ct)).Select(ToDto).ToList())
            .WithSummary($"Your commitments, and those you are accountability partner for, soonest due first: the first {MyOffersQuery.Limit}.");
        commitments.MapPost("/{id:guid}/status", async (Guid id, CommitmentStatusWrite body, Commitments learnerCommitments, CurrentUser current, CancellationToken ct) =>
        {
            var status = ApiEnums.Parse<CommitmentStatus>(body.Status, nameof(Commitment.Status));
            return ToDto(await learnerCommitments.MarkAsync(id, current.RequirePerson(), status, ct));
        }).WithName("setCommitmentStatus").WithSummary("The learner marks a commitment open, in progress, done or dropped.");
        commitments.MapPost("/{id:guid}/check-in", async (Guid id, CheckInWrite body, Commitments learnerCommitments, CurrentUser current, CancellationToken ct) =>
        {
            var answer = ApiEnums.Parse<CheckInAnswer>(body.Answer, nameof(Commitment.PartnerCheckIn));
            return ToDto(await learnerCommitments.CheckInAsync(id, current.RequirePerson(), answer, body.Note, ct));
        }).WithName("checkInOnCommitment").WithSummary("The accountability partner says how it is going (onTrack or needsHelp) with an optional note; the learner is told and sees it.");

        api.MapGet("/people/{id:guid}/recognition", async (Guid id, TacitDbContext db, CurrentUser current, TimeProvider clock, CancellationToken ct) =>
        {
            var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("No such person.");
            // As the person allows (their record page's setting): to anyone else they show nothing learned or taught.
            return person.ShowsRecognitionTo(current.PersonId) ? await RecognitionQueries.ForAsync(db, id, clock.GetUtcNow(), ct) : RecognitionQueries.None;
        }).WithTags("People").WithSummary("Sessions learned and taught, hours received and given, skills validated by peers, public thank-you notes — as the person allows others to see them (their recognition setting).");
    }

    private static OfferDto ToDto(Offer o) => new(o.Id, o.CycleId, o.TeacherId, o.SkillId, o.Kind, o.LearnerIds, o.Status,
        o.Times, o.Message, o.LearnerNote, o.ExpiresAt, o.SessionId, o.Place, o.CommonHours);

    private static CommitmentDto ToDto(Commitment c) => new(c.Id, c.SessionId, c.LearnerId, c.Text, c.DueOn, c.PartnerId, c.Status, c.PartnerAskedAt,
        c.PartnerCheckIn, c.PartnerNote, c.PartnerCheckedInAt);

    private static SessionDto ToDto(Session s) => new(s.Id, s.OfferId, s.TeacherId, s.SkillId, s.Kind, s.LearnerIds,
        s.Status, s.StartsAt, s.DurationMinutes, s.Sequence, s.CancelReason, s.IsConfirmed, s.Place);
}
