using System.ComponentModel.DataAnnotations;

namespace Tacit.Web.Features.Retention;

/// <summary>How long Tacit keeps what it no longer needs (<c>Retention:*</c>); docs/security.md says why each default.</summary>
public sealed class RetentionOptions
{
    /// <summary>Emails already sent: kept a while to answer "did it go out?", then only the notification remains.</summary>
    [Range(1, 3650, ErrorMessage = "Retention:SentMailDays must be between 1 and 3650.")]
    public int SentMailDays { get; set; } = 30;

    /// <summary>In-app notifications, read or not.</summary>
    [Range(1, 3650, ErrorMessage = "Retention:NotificationDays must be between 1 and 3650.")]
    public int NotificationDays { get; set; } = 365;

    /// <summary>Uploaded people files never imported or cancelled (each up to 5 MB of personal data).</summary>
    [Range(1, 720, ErrorMessage = "Retention:PendingImportHours must be between 1 and 720.")]
    public int PendingImportHours { get; set; } = 24;

    /// <summary>Uploads waiting at once in one organisation; a new one beyond this replaces the oldest.</summary>
    [Range(1, 100, ErrorMessage = "Retention:PendingImportsPerOrganisation must be between 1 and 100.")]
    public int PendingImportsPerOrganisation { get; set; } = 5;
}
