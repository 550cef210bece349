namespace Tacit.Domain.Offers;

/// <summary>Before a session, a learner writes the questions they want to ask; the teacher reads them to prepare.</summary>
public sealed class SessionQuestions : ITenantOwned
{
    public const int TextMaxLength = 2000;

    private SessionQuestions() { Text = ""; }

    public SessionQuestions(Session session, Guid learnerId, DateTimeOffset now)
    {
        if (!session.LearnerIds.Contains(learnerId)) throw new ForbiddenException("Only a learner of the session writes questions for it.");
        Id = Guid.CreateVersion7(now);
        OrganisationId = session.OrganisationId;
        SessionId = session.Id;
        LearnerId = learnerId;
        Text = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid SessionId { get; private set; }
    public Guid LearnerId { get; private set; }
    public string Text { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public void Write(Session session, string? text, DateTimeOffset now)
    {
        if (session.Id != SessionId) throw new InvalidOperationException("The questions belong to another session.");
        if (session.Status == SessionStatus.Cancelled) throw new ConflictException("This session was cancelled.");
        if (now >= session.StartsAt) throw new ConflictException("The session has started; questions are for before it.");
        Text = Guard.Optional(text, nameof(Text), "Questions", TextMaxLength);
        UpdatedAt = now;
    }
}
