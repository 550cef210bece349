using Tacit.Domain;

namespace Tacit.Web.Data;

/// <summary>An emailed link that lets a person set a password and sign in for the first time.</summary>
public sealed class Invitation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
}
