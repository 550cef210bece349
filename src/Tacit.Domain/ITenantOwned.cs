namespace Tacit.Domain;

/// <summary>A row that belongs to exactly one organisation; the data layer scopes every query by it.</summary>
public interface ITenantOwned
{
    Guid OrganisationId { get; }
}
