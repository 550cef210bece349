namespace Tacit.Domain.Notifications;

/// <summary>An in-app message to one person: what happened and where to act on it.</summary>
public sealed class Notification : ITenantOwned
{
    public const int TextMaxLength = 500;
    public const int LinkMaxLength = 300;

    private Notification() { Text = ""; Link = ""; }

    public Notification(Guid organisationId, Guid personId, string text, string link, DateTimeOffset createdAt, bool email = true, bool urgent = false)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        Text = Guard.Required(text, nameof(Text), "Text", TextMaxLength);
        Link = Guard.Optional(link, nameof(Link), "Link", LinkMaxLength);
        CreatedAt = createdAt;
        EmailPending = email;
        Urgent = urgent;
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

    /// <summary>
    /// Time-critical (a session soon, times to choose before they expire): mailed at once even to people who chose a daily
    /// digest. Anything else waits for the digest of those who chose it.
    /// </summary>
    public bool Urgent { get; private set; }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;

    public void MarkEmailed(DateTimeOffset now)
    {
        EmailPending = false;
        EmailedAt = now;
    }
}
