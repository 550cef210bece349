namespace Tacit.Domain.Offers;

/// <summary>
/// One person's feedback on a session they were in, given once it is over: did it happen; a learner rates its
/// usefulness (1–5) and says what they learned, a teacher notes what went well; either may thank the other, in
/// public (shown on the teacher's profile) or privately. It can be changed later; it is kept once per person.
/// </summary>
public sealed class SessionFeedback : ITenantOwned
{
    public const int TextMaxLength = 2000;

    private SessionFeedback() { Learned = ""; WentWell = ""; ThankYou = ""; }

    public SessionFeedback(Session session, Guid personId, DateTimeOffset now)
    {
        if (!session.Involves(personId)) throw new ForbiddenException("Only the people in a session can give feedback on it.");
        Id = Guid.CreateVersion7(now);
        OrganisationId = session.OrganisationId;
        SessionId = session.Id;
        PersonId = personId;
        AsTeacher = personId == session.TeacherId;
        TeacherId = session.TeacherId;
        SkillId = session.SkillId;
        Learned = "";
        WentWell = "";
        ThankYou = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid SessionId { get; private set; }
    public Guid PersonId { get; private set; }
    public bool AsTeacher { get; private set; }
    /// <summary>Copied from the session so recognition needs no join: who taught which skill.</summary>
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public bool Happened { get; private set; }
    /// <summary>1–5, from learners of sessions that happened; null otherwise.</summary>
    public int? Usefulness { get; private set; }
    public string Learned { get; private set; }
    public string WentWell { get; private set; }
    public string ThankYou { get; private set; }
    public bool ThankYouIsPublic { get; private set; }
    public DateTimeOffset? GivenAt { get; private set; }

    /// <summary>Erasure of the writer: what they wrote goes; whether it happened and how useful it was still count.</summary>
    public void EraseWriting()
    {
        (Learned, WentWell, ThankYou, ThankYouIsPublic) = ("", "", "", false);
    }

    /// <summary>Erasure of the person thanked: a note addressed to someone who is no longer there goes with them.</summary>
    public void EraseThanks()
    {
        (ThankYou, ThankYouIsPublic) = ("", false);
    }

    public void Give(Session session, bool happened, int? usefulness, string? learned, string? wentWell, string? thankYou, bool thankYouIsPublic,
        DateTimeOffset now)
    {
        if (session.Id != SessionId) throw new InvalidOperationException("The feedback belongs to another session.");
        if (session.Status == SessionStatus.Cancelled) throw new ConflictException("This session was cancelled.");
        // From the start, not the planned end: people who finish early say so while it is fresh.
        if (now < session.StartsAt) throw new ConflictException("Feedback opens when the session starts.");
        int? rating = null;
        if (!AsTeacher && happened)
        {
            if (usefulness is null) throw new DomainException("Say how useful it was, from 1 to 5.", nameof(Usefulness));
            rating = Guard.InRange(usefulness.Value, 1, 5, nameof(Usefulness), "Usefulness");
        }
        var learnedText = AsTeacher ? "" : Guard.Optional(learned, nameof(Learned), "What you learned", TextMaxLength);
        var wentWellText = AsTeacher ? Guard.Optional(wentWell, nameof(WentWell), "What went well", TextMaxLength) : "";
        var thanks = Guard.Optional(thankYou, nameof(ThankYou), "Thank-you note", TextMaxLength);
        (Happened, Usefulness, Learned, WentWell, ThankYou, ThankYouIsPublic, GivenAt) =
            (happened, rating, learnedText, wentWellText, thanks, thankYouIsPublic && thanks.Length > 0, now);
    }
}

/// <summary>What a profile shows of someone's learning and teaching: counts and kind words, never a ranking.</summary>
public static class Recognition
{
    /// <summary>A teacher's skill is validated by peers once this many different learners rated it at least <see cref="GoodRating"/>.</summary>
    public const int LearnersToValidate = 2;
    public const int GoodRating = 4;

    /// <summary>The skills validated by peers, from learners' feedback on sessions the person taught.</summary>
    public static IReadOnlyList<Guid> ValidatedSkills(Guid teacherId, IEnumerable<SessionFeedback> feedback) =>
        [.. feedback.Where(f => f.TeacherId == teacherId && !f.AsTeacher && f.Happened && f.Usefulness >= GoodRating)
            .GroupBy(f => f.SkillId).Where(g => g.Select(f => f.PersonId).Distinct().Count() >= LearnersToValidate)
            .Select(g => g.Key).Order()];
}
