namespace Tacit.Domain.Organisations;

/// <summary>
/// One thing an admin or facilitator (or an operator, or a token) did that changes who may do what or what people are
/// asked to do: who, when, what, to whom. Append-only: nothing ever changes or removes an entry.
/// </summary>
public sealed class AuditEntry : ITenantOwned
{
    public const int ActionMaxLength = 100;
    public const int ActorMaxLength = 200;
    public const int SubjectMaxLength = 300;
    public const int DetailsMaxLength = 2000;

    private AuditEntry() { Action = ""; Actor = ""; Subject = ""; Details = ""; }

    public AuditEntry(Guid organisationId, DateTimeOffset at, Guid? actorPersonId, string actor, string action, string subject, string details)
    {
        Id = Guid.CreateVersion7(at);
        OrganisationId = organisationId;
        At = at;
        ActorPersonId = actorPersonId;
        Actor = Cut(actor, ActorMaxLength);
        Action = Guard.Required(action, nameof(Action), "Action", ActionMaxLength);
        Subject = Cut(subject, SubjectMaxLength);
        Details = Cut(details, DetailsMaxLength);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>The person who acted; null for an API token or the <c>tacit</c> command.</summary>
    public Guid? ActorPersonId { get; private set; }
    /// <summary>Who acted, in words, as they were named then ("Ada Lovelace", "API token “HR sync”").</summary>
    public string Actor { get; private set; }
    /// <summary>A stable code: <c>person.roles-changed</c>, <c>people.imported</c>, <c>cycle.published</c>, <c>token.created</c>...</summary>
    public string Action { get; private set; }
    public string Subject { get; private set; }
    public string Details { get; private set; }

    private static string Cut(string text, int max) => text.Length > max ? text[..max] : text;
}
