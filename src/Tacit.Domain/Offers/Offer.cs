using Tacit.Domain.Cycles;

namespace Tacit.Domain.Offers;

public enum OfferStatus
{
    /// <summary>Published from a proposal (or sent back by a learner asking for other times): the teacher is to act.</summary>
    Pending,
    /// <summary>The teacher has offered one to three times; the learners are to choose.</summary>
    Offered,
    /// <summary>A learner accepted a time; the session exists.</summary>
    Accepted,
    /// <summary>The teacher declined; the learners go back to the engine.</summary>
    Declined,
    /// <summary>Nobody acted in time; the learners go back to the engine.</summary>
    Expired,
}

/// <summary>
/// What publishing a proposal creates: the teacher is asked to make an offer to the learners. The offer comes from
/// the person asked to share: they offer times (or decline with a reason), a learner accepts one time or asks for
/// others, and an accepted offer becomes a <see cref="Session"/>. Every change is a guarded method.
/// </summary>
public sealed class Offer : ITenantOwned
{
    public const int MaxTimes = 3;
    public const int TextMaxLength = 1000;
    public const int PlaceMaxLength = 300;
    public static readonly TimeSpan DefaultAnswerWithin = TimeSpan.FromDays(7);

    private readonly List<Guid> _learnerIds = [];
    private readonly List<DateTimeOffset> _times = [];

    private Offer() { Message = ""; DeclineReason = ""; LearnerNote = ""; }

    /// <summary>A pending offer for the proposal's teacher, expiring when nobody acts within <paramref name="answerWithin"/> (default a week).</summary>
    public Offer(Proposal proposal, DateTimeOffset now, TimeSpan? answerWithin = null)
    {
        if (answerWithin <= TimeSpan.Zero) throw new DomainException("Give the teacher some time to answer.", nameof(ExpiresAt));
        Id = Guid.CreateVersion7(now);
        OrganisationId = proposal.OrganisationId;
        CycleId = proposal.CycleId;
        ProposalId = proposal.Id;
        TeacherId = proposal.TeacherId;
        SkillId = proposal.SkillId;
        Kind = proposal.Kind;
        _learnerIds.AddRange(proposal.LearnerIds);
        CommonHours = proposal.CommonHours is null ? null : [.. proposal.CommonHours];
        Status = OfferStatus.Pending;
        CreatedAt = now;
        ExpiresAt = now + (answerWithin ?? DefaultAnswerWithin);
        Message = "";
        DeclineReason = "";
        LearnerNote = "";
    }

    /// <summary>A follow-up session to the same person: a new offer for the same teacher, skill and learners, after a held session.</summary>
    public static Offer FollowUpOf(Session session, Proposal proposal, Guid proposedBy, DateTimeOffset now, TimeSpan? answerWithin = null)
    {
        if (!session.Involves(proposedBy)) throw new ForbiddenException("Only the people in a session can propose a follow-up session.");
        if (session.Status == SessionStatus.Cancelled) throw new ConflictException("This session was cancelled.");
        if (now < session.StartsAt) throw new ConflictException("A follow-up session can be proposed once this one has started.");
        return new Offer(proposal, now, answerWithin);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid ProposalId { get; private set; }
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public SessionKind Kind { get; private set; }
    public IReadOnlyList<Guid> LearnerIds => _learnerIds;
    public OfferStatus Status { get; private set; }
    /// <summary>The times the teacher offers, in UTC, earliest first.</summary>
    public IReadOnlyList<DateTimeOffset> Times => _times;
    public string Message { get; private set; }
    /// <summary>Where the session happens: a room, or a meeting link; in the invitation's LOCATION. Empty when not given.</summary>
    public string Place { get; private set; } = "";
    /// <summary>Why the teacher declined; kept for the facilitator, never shown to the learners.</summary>
    public string DeclineReason { get; private set; }
    /// <summary>The learner's note when asking for other times.</summary>
    public string LearnerNote { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? OfferedAt { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    /// <summary>Past this moment, a pending or offered offer expires and goes back to the engine.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }
    public Guid? SessionId { get; private set; }
    /// <summary>The proposal's <see cref="Proposal.CommonHours"/>: when teacher and learners are all free (UTC hour-of-week cells).</summary>
    public List<int>? CommonHours { get; private set; }

    public bool IsOpen => Status is OfferStatus.Pending or OfferStatus.Offered;

    public int DurationMinutes => Kind.Minutes();

    /// <summary>The teacher offers one to three future times (again, after a learner asked for others).</summary>
    public void MakeOffer(Guid teacherId, IEnumerable<DateTimeOffset> times, string? message, DateTimeOffset now, TimeSpan answerWithin, string? place = null)
    {
        RequireTeacher(teacherId);
        RequireOpen(now);
        if (Status != OfferStatus.Pending) throw new ConflictException("You have already offered times; wait for the answer.");
        var chosen = times.Select(t => t.ToUniversalTime()).Distinct().Order().ToList();
        if (chosen.Count is 0 or > MaxTimes) throw new DomainException($"Offer between 1 and {MaxTimes} different times.", nameof(Times));
        if (chosen[0] <= now) throw new DomainException("Offer times in the future.", nameof(Times));
        if (!Guard.IsWithinHorizon(chosen[^1], now)) throw new DomainException($"Offer times within the next {Guard.HorizonYears} years.", nameof(Times));
        if (answerWithin <= TimeSpan.Zero) throw new DomainException("Give the learners some time to answer.", nameof(ExpiresAt));
        Message = Guard.Optional(message, nameof(Message), "Message", TextMaxLength);
        Place = Guard.Optional(place, nameof(Place), "Where", PlaceMaxLength);
        if (Place.Any(char.IsControl)) throw new DomainException("Give the place on one line.", nameof(Place));
        _times.Clear();
        _times.AddRange(chosen);
        Status = OfferStatus.Offered;
        OfferedAt = now;
        ExpiresAt = Min(now + answerWithin, chosen[0]);
    }

    /// <summary>The teacher declines with a reason; the learners are matched again without being told who declined.</summary>
    public void Decline(Guid teacherId, string? reason, DateTimeOffset now)
    {
        RequireTeacher(teacherId);
        RequireOpen(now);
        DeclineReason = Guard.Required(reason, nameof(DeclineReason), "A reason", TextMaxLength);
        Status = OfferStatus.Declined;
        AnsweredAt = now;
    }

    /// <summary>A learner asks for other times; the offer goes back to the teacher.</summary>
    public void AskForOtherTimes(Guid learnerId, string? note, DateTimeOffset now, TimeSpan answerWithin)
    {
        RequireLearner(learnerId);
        RequireOpen(now);
        if (Status != OfferStatus.Offered) throw new ConflictException("No times have been offered yet.");
        LearnerNote = Guard.Optional(note, nameof(LearnerNote), "Note", TextMaxLength);
        _times.Clear();
        Status = OfferStatus.Pending;
        ExpiresAt = now + answerWithin;
    }

    /// <summary>A learner accepts one of the offered times; the session is created from it.</summary>
    public Session Accept(Guid learnerId, DateTimeOffset time, DateTimeOffset now)
    {
        RequireLearner(learnerId);
        RequireOpen(now);
        if (Status != OfferStatus.Offered) throw new ConflictException("No times have been offered yet.");
        var chosen = time.ToUniversalTime();
        if (!_times.Contains(chosen)) throw new DomainException("Choose one of the offered times.", nameof(Times));
        if (chosen <= now) throw new ConflictException("That time has passed; ask for other times.");
        var session = new Session(this, chosen, learnerId, now);
        Status = OfferStatus.Accepted;
        AnsweredAt = now;
        SessionId = session.Id;
        return session;
    }

    /// <summary>The reason an offer ends when the person asked to share has left the organisation.</summary>
    public const string TeacherLeftReason = "The person asked to share has left the organisation.";

    /// <summary>
    /// Someone in an open offer has left the organisation. The teacher's leaving ends it as declined, so its learners
    /// go back to the engine; a learner's leaving takes them off it, and ends it when no learner is left. Returns
    /// whether the offer changed.
    /// </summary>
    public bool Withdraw(Guid leaverId, DateTimeOffset now)
    {
        if (!IsOpen) return false;
        if (leaverId == TeacherId)
        {
            DeclineReason = TeacherLeftReason;
            Status = OfferStatus.Declined;
            AnsweredAt = now;
            return true;
        }
        if (!_learnerIds.Remove(leaverId)) return false;
        if (_learnerIds.Count == 0)
        {
            Status = OfferStatus.Expired;
            AnsweredAt = now;
        }
        return true;
    }

    /// <summary>Erasure of someone in the offer: what they wrote in it goes, and the common free hours that tell when they are free (docs/security.md, "Erasing a person").</summary>
    public void EraseWritingOf(Guid personId)
    {
        CommonHours = null;
        if (personId == TeacherId) (Message, DeclineReason, Place) = ("", "", "");
        if (_learnerIds.Contains(personId)) LearnerNote = "";
    }

    /// <summary>Its cycle has closed: an offer still open ends (as expired) and no time can be offered or accepted any more.</summary>
    public bool EndWithCycle(DateTimeOffset now)
    {
        if (!IsOpen) return false;
        Status = OfferStatus.Expired;
        AnsweredAt = now;
        return true;
    }

    /// <summary>Marks the offer expired when nobody acted in time; returns whether it did.</summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (!IsOpen || now < ExpiresAt) return false;
        Status = OfferStatus.Expired;
        AnsweredAt = now;
        return true;
    }

    private void RequireTeacher(Guid personId)
    {
        if (personId != TeacherId) throw new ForbiddenException("Only the person asked to share can make or decline this offer.");
    }

    private void RequireLearner(Guid personId)
    {
        if (!_learnerIds.Contains(personId)) throw new ForbiddenException("Only a learner of this offer can answer it.");
    }

    private void RequireOpen(DateTimeOffset now)
    {
        if (IsOpen && now >= ExpiresAt) throw new ConflictException("This offer has expired.");
        if (!IsOpen) throw new ConflictException(Status switch
        {
            OfferStatus.Accepted => "This offer has been accepted already.",
            OfferStatus.Declined => "This offer was declined.",
            _ => "This offer has expired.",
        });
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

