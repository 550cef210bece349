namespace Tacit.Domain.Notifications;

/// <summary>
/// The record that one reminder went out, kept under a unique key (what, about which record, for which time) so a
/// reminder job that runs again — after a crash, a restart or on another instance — never tells anyone twice.
/// </summary>
public sealed class SentReminder : ITenantOwned
{
    public const int KeyMaxLength = 200;

    private SentReminder() { Key = ""; }

    public SentReminder(Guid organisationId, string key, DateTimeOffset sentAt)
    {
        Id = Guid.CreateVersion7(sentAt);
        OrganisationId = organisationId;
        Key = Guard.Required(key, nameof(Key), "Key", KeyMaxLength);
        SentAt = sentAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Key { get; private set; }
    public DateTimeOffset SentAt { get; private set; }
}
