using Tacit.Domain.People;

namespace Tacit.Domain.Integrations;

/// <summary>
/// A department as an identity provider's SCIM client knows it (docs/scim.md): a group whose members are the people
/// whose department has its name. It exists so the group keeps its id while empty or renamed.
/// </summary>
public sealed class ScimGroup : ITenantOwned
{
    private ScimGroup() { DisplayName = ""; ExternalId = ""; }

    public ScimGroup(Guid organisationId, string displayName, string? externalId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        DisplayName = "";
        ExternalId = "";
        CreatedAt = createdAt;
        Rename(displayName);
        SetExternalId(externalId);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    /// <summary>The department's name, as people's <see cref="Person.Department"/> holds it.</summary>
    public string DisplayName { get; private set; }
    public string ExternalId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Rename(string? displayName) =>
        DisplayName = Guard.Required(displayName, nameof(DisplayName), "Group displayName", Person.DepartmentMaxLength);

    public void SetExternalId(string? externalId) =>
        ExternalId = Guard.Optional(externalId, nameof(ExternalId), "External id", Person.ExternalIdMaxLength);
}
