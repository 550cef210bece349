using Tacit.Domain.Cycles;

namespace Tacit.Domain.Offers;

public enum SessionStatus
{
    Scheduled,
    Cancelled,
}

/// <summary>
/// A learning session: 30 minutes one-to-one or 60 minutes for a group, at one time, taught by the person who made
/// the offer. <see cref="Sequence"/> grows with every change, as calendar invitations require.
/// </summary>
public sealed class Session : ITenantOwned
{
    private readonly List<Guid> _learnerIds = [];

    private Session() { CancelReason = ""; }

    internal Session(Offer offer, DateTimeOffset startsAt, Guid firstLearner, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        OrganisationId = offer.OrganisationId;
        CycleId = offer.CycleId;
        OfferId = offer.Id;
        TeacherId = offer.TeacherId;
        SkillId = offer.SkillId;
        Kind = offer.Kind;
        StartsAt = startsAt;
        DurationMinutes = offer.DurationMinutes;
        Place = offer.Place;
        _learnerIds.Add(firstLearner);
        Status = SessionStatus.Scheduled;
        CreatedAt = now;
        CancelReason = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid OfferId { get; private set; }
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public SessionKind Kind { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public int DurationMinutes { get; private set; }
    public DateTimeOffset EndsAt => StartsAt.AddMinutes(DurationMinutes);
    public IReadOnlyList<Guid> LearnerIds => _learnerIds;
    public SessionStatus Status { get; private set; }
    public string CancelReason { get; private set; }
    /// <summary>Where it happens (a room or a meeting link), as the teacher gave it with the offered times.</summary>
    public string Place { get; private set; } = "";
    /// <summary>Starts at 0 and grows with each reschedule or cancellation (RFC 5545 SEQUENCE).</summary>
    public int Sequence { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The calendar identity of this session, the same in every invitation, update and cancellation.</summary>
    public string CalendarUid => $"session-{Id:N}@tacit";

    public bool Involves(Guid personId) => personId == TeacherId || _learnerIds.Contains(personId);

    /// <summary>A one-to-one runs once accepted; a group session runs once at least two of its learners have joined.</summary>
    public bool IsConfirmed => Kind == SessionKind.OneToOne || _learnerIds.Count >= 2;

    /// <summary>Another learner of a group offer joins the session at the time the first one chose.</summary>
    public void Join(Offer offer, Guid learnerId, DateTimeOffset now)
    {
        if (offer.Id != OfferId) throw new InvalidOperationException("The offer belongs to another session.");
        if (!offer.LearnerIds.Contains(learnerId)) throw new ForbiddenException("Only a learner of this group's offer can join it.");
        RequireScheduled();
        if (_learnerIds.Contains(learnerId)) throw new ConflictException("You are in this session already.");
        if (now >= StartsAt) throw new ConflictException("This session has started.");
        _learnerIds.Add(learnerId);
        Sequence++;
    }

    public void Reschedule(Guid personId, DateTimeOffset startsAt, DateTimeOffset now)
    {
        RequireParticipant(personId);
        RequireScheduled();
        if (now >= StartsAt) throw new ConflictException("This session has started; say in your feedback whether it happened.");
        if (startsAt.ToUniversalTime() <= now) throw new DomainException("Choose a time in the future.", nameof(StartsAt));
        if (!Guard.IsWithinHorizon(startsAt, now)) throw new DomainException($"Choose a time within the next {Guard.HorizonYears} years.", nameof(StartsAt));
        StartsAt = startsAt.ToUniversalTime();
        Sequence++;
    }

    public void Cancel(Guid personId, string? reason, DateTimeOffset now)
    {
        RequireParticipant(personId);
        RequireScheduled();
        // Once it has started, whether it happened is the feedback's to say, not a cancellation's.
        if (now >= StartsAt) throw new ConflictException("This session has started; say in your feedback whether it happened.");
        CancelReason = Guard.Required(reason, nameof(CancelReason), "A reason", Offer.TextMaxLength);
        Status = SessionStatus.Cancelled;
        Sequence++;
    }

    /// <summary>
    /// Someone in an upcoming session is erased: a group goes on without a learner who was not the last; otherwise the
    /// session is cancelled. Returns whether anything changed (a past or cancelled session stays as it was).
    /// </summary>
    public bool Drop(Guid personId, string reason, DateTimeOffset now)
    {
        if (!Involves(personId) || Status == SessionStatus.Cancelled || now >= StartsAt) return false;
        if (personId != TeacherId && _learnerIds.Count > 1) _learnerIds.Remove(personId);
        else (Status, CancelReason) = (SessionStatus.Cancelled, reason);
        Sequence++;
        return true;
    }

    private void RequireParticipant(Guid personId)
    {
        if (!Involves(personId)) throw new ForbiddenException("Only the people in this session can change it.");
    }

    private void RequireScheduled()
    {
        if (Status == SessionStatus.Cancelled) throw new ConflictException("This session was cancelled.");
    }
}
