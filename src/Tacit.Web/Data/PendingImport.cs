using Tacit.Domain;

namespace Tacit.Web.Data;

/// <summary>An uploaded people CSV waiting for the admin to confirm its preview; committed all at once.</summary>
public sealed class PendingImport : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganisationId { get; set; }
    public string FileName { get; set; } = "";
    public string Content { get; set; } = "";
    public Guid UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}
