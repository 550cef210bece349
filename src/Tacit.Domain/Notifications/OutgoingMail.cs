namespace Tacit.Domain.Notifications;

/// <summary>
/// An email waiting to be sent, saved in the same transaction as the change it announces (a calendar invitation for a
/// new, moved or cancelled session), so a mail server that is down delays it and loses nothing. Sent oldest first; where
/// two instances send at once an update may arrive first, which calendars handle by the invitation's SEQUENCE.
/// </summary>
public sealed class OutgoingMail : ITenantOwned
{
    public const int AddressMaxLength = 320;
    public const int NameMaxLength = 200;
    public const int SubjectMaxLength = 300;

    private OutgoingMail() { ToEmail = ""; ToName = ""; Subject = ""; Body = ""; }

    public const int FileNameMaxLength = 120;

    public OutgoingMail(Guid organisationId, string toEmail, string toName, string subject, string body,
        string? calendar, string? calendarMethod, DateTimeOffset createdAt, string? calendarFileName = null)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        ToEmail = Guard.Required(toEmail, nameof(ToEmail), "Email", AddressMaxLength);
        ToName = Guard.Optional(toName, nameof(ToName), "Name", NameMaxLength);
        Subject = Guard.Required(subject.Length > SubjectMaxLength ? subject[..SubjectMaxLength] : subject, nameof(Subject), "Subject", SubjectMaxLength);
        Body = body;
        Calendar = calendar;
        CalendarMethod = calendarMethod;
        CalendarFileName = calendar is null ? null : Guard.Optional(calendarFileName, nameof(CalendarFileName), "File name", FileNameMaxLength) is { Length: > 0 } name ? name : "session.ics";
        CreatedAt = createdAt;
        Pending = true;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string ToEmail { get; private set; }
    public string ToName { get; private set; }
    public string Subject { get; private set; }
    public string Body { get; private set; }
    /// <summary>An RFC 5545 text/calendar attachment, when the mail carries one.</summary>
    public string? Calendar { get; private set; }
    public string? CalendarMethod { get; private set; }
    /// <summary>What the attachment is called, such as tacit-negotiation-2026-12-08.ics, so a saved file says what it is.</summary>
    public string? CalendarFileName { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public bool Pending { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
}
