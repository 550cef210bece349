namespace Tacit.Domain.Offers;

public enum CommitmentStatus
{
    Open,
    InProgress,
    Done,
    Dropped,
}

/// <summary>The accountability partner's answer when they check in.</summary>
public enum CheckInAnswer
{
    OnTrack,
    NeedsHelp,
}

public static class CommitmentWords
{
    /// <summary>A status as people say it ("in progress").</summary>
    public static string Describe(this CommitmentStatus status) => status switch
    {
        CommitmentStatus.Open => "open",
        CommitmentStatus.InProgress => "in progress",
        CommitmentStatus.Done => "done",
        CommitmentStatus.Dropped => "dropped",
        _ => "unknown",
    };

    public static string Describe(this CheckInAnswer answer) => answer == CheckInAnswer.OnTrack ? "on track" : "needs help";
}

/// <summary>
/// What a learner will do with what they learned, and by when. They may choose any colleague as accountability
/// partner, who is asked to check in on the due date (once). Only the learner changes it.
/// </summary>
public sealed class Commitment : ITenantOwned
{
    public const int TextMaxLength = 1000;
    public const int CheckInNoteMaxLength = 1000;

    private Commitment() { Text = ""; }

    public Commitment(Session session, Guid learnerId, string? text, DateOnly dueOn, Guid? partnerId, DateTimeOffset now)
    {
        if (!session.LearnerIds.Contains(learnerId)) throw new ForbiddenException("Only a learner of the session makes a commitment from it.");
        if (partnerId == learnerId) throw new DomainException("Choose a colleague other than yourself as partner.", nameof(PartnerId));
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (dueOn < today) throw new DomainException("The date must be today or later.", nameof(DueOn));
        if (!Guard.IsWithinHorizon(dueOn, today)) throw new DomainException($"The date must be within the next {Guard.HorizonYears} years.", nameof(DueOn));
        Id = Guid.CreateVersion7(now);
        OrganisationId = session.OrganisationId;
        SessionId = session.Id;
        LearnerId = learnerId;
        Text = Guard.Required(text, nameof(Text), "What you will do", TextMaxLength);
        DueOn = dueOn;
        PartnerId = partnerId;
        Status = CommitmentStatus.Open;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid SessionId { get; private set; }
    public Guid LearnerId { get; private set; }
    public string Text { get; private set; }
    public DateOnly DueOn { get; private set; }
    public Guid? PartnerId { get; private set; }
    public CommitmentStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>When the partner was asked to check in; set once, so the reminder never fires twice.</summary>
    public DateTimeOffset? PartnerAskedAt { get; private set; }

    /// <summary>The partner's latest check-in, which the learner sees: how it is going, and a note.</summary>
    public CheckInAnswer? PartnerCheckIn { get; private set; }
    public string PartnerNote { get; private set; } = "";
    public DateTimeOffset? PartnerCheckedInAt { get; private set; }

    /// <summary>Erasure of the learner: what they meant to do goes; whether it was kept still counts.</summary>
    public void EraseText() => Text = People.Erasure.RemovedText;

    /// <summary>Erasure of the partner: what they wrote goes; that they checked in stays.</summary>
    public void ErasePartnerNote()
    {
        if (PartnerNote.Length > 0) PartnerNote = People.Erasure.RemovedText;
    }

    /// <summary>The partner says how the learner is doing (any time; a later answer replaces the earlier one).</summary>
    public void CheckIn(Guid personId, CheckInAnswer answer, string? note, DateTimeOffset now)
    {
        if (personId != PartnerId) throw new ForbiddenException("Only the accountability partner checks in on a commitment.");
        if (!Enum.IsDefined(answer)) throw new DomainException("Choose on track or needs help.", nameof(PartnerCheckIn));
        PartnerNote = Guard.Optional(note, nameof(PartnerNote), "Note", CheckInNoteMaxLength);
        PartnerCheckIn = answer;
        PartnerCheckedInAt = now;
    }

    public void Mark(Guid personId, CommitmentStatus status, DateTimeOffset now)
    {
        if (personId != LearnerId) throw new ForbiddenException("Only the person who made the commitment can mark it.");
        if (!Enum.IsDefined(status)) throw new DomainException("Choose open, in progress, done or dropped.", nameof(Status));
        Status = status;
    }

    /// <summary>True when the partner should be asked now; marks it asked, so a second sweep does nothing.</summary>
    public bool AskPartnerIfDue(DateOnly today, DateTimeOffset now)
    {
        if (PartnerId is null || PartnerAskedAt is not null || today < DueOn || Status is CommitmentStatus.Done or CommitmentStatus.Dropped) return false;
        PartnerAskedAt = now;
        return true;
    }
}
