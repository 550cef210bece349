namespace Tacit.Domain.Notifications;

/// <summary>An in-app message to one person: what happened and where to act on it.</summary>
public sealed class Notification : ITenantOwned
{
    public const int TextMaxLength = 500;
    public const int LinkMaxLength = 300;

    private Notification() { Text = ""; Link = ""; }

    public Notification(Guid organisationId, Guid personId, string text, string link, DateTimeOffset createdAt, bool email = true)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        Text = Guard.Required(text, nameof(Text), "Text", TextMaxLength);
        Link = Guard.Optional(link, nameof(Link), "Link", LinkMaxLength);
        CreatedAt = createdAt;
        EmailPending = email;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public string Text { get; private set; }
    public string Link { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }
    /// <summary>The notification is also an outbox entry: a background sender emails it once and clears this.</summary>
    public bool EmailPending { get; private set; }
    public DateTimeOffset? EmailedAt { get; private set; }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;

    public void MarkEmailed(DateTimeOffset now)
    {
        EmailPending = false;
        EmailedAt = now;
    }
}
