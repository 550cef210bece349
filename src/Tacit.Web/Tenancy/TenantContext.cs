namespace Tacit.Web.Tenancy;

/// <summary>
/// The organisation the current request (or command) acts for. Every tenant-owned query is filtered by it,
/// and saving a row of another organisation fails. Empty means "none": nothing tenant-owned is visible.
/// </summary>
public sealed class TenantContext
{
    public Guid OrganisationId { get; private set; }

    public bool HasOrganisation => OrganisationId != Guid.Empty;

    public void Use(Guid organisationId)
    {
        if (HasOrganisation && organisationId != OrganisationId)
            throw new InvalidOperationException("A request acts for one organisation only.");
        OrganisationId = organisationId;
    }
}
