namespace Tacit.Domain.Offers;

/// <summary>A follow-up conversation after a session, logged by either side: when it happened and a note.</summary>
public sealed class FollowUp : ITenantOwned
{
    public const int NoteMaxLength = 2000;

    private FollowUp() { Note = ""; }

    public FollowUp(Session session, Guid personId, DateOnly heldOn, string? note, DateTimeOffset now)
    {
        if (!session.Involves(personId)) throw new ForbiddenException("Only the people in a session can log a follow-up to it.");
        if (session.Status == SessionStatus.Cancelled) throw new ConflictException("This session was cancelled.");
        if (now < session.StartsAt) throw new ConflictException("A follow-up comes after the session has started.");
        if (heldOn < DateOnly.FromDateTime(session.StartsAt.UtcDateTime) || heldOn > DateOnly.FromDateTime(now.UtcDateTime))
            throw new DomainException("The date must be between the session and today.", nameof(HeldOn));
        Id = Guid.CreateVersion7(now);
        OrganisationId = session.OrganisationId;
        SessionId = session.Id;
        PersonId = personId;
        HeldOn = heldOn;
        Note = Guard.Required(note, nameof(Note), "A note", NoteMaxLength);
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid SessionId { get; private set; }
    public Guid PersonId { get; private set; }
    public DateOnly HeldOn { get; private set; }
    public string Note { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Erasure of the writer: the note goes; that a follow-up happened still counts.</summary>
    public void EraseNote() => Note = People.Erasure.RemovedText;
}
