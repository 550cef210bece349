using System.Security.Cryptography;
using System.Text;
using Tacit.Domain.People;

namespace Tacit.Domain.Integrations;

/// <summary>What a token opens: the REST API (with its role), or only SCIM provisioning (docs/scim.md).</summary>
public enum ApiTokenScope
{
    Api = 0,
    Scim = 1,
}

/// <summary>
/// A bearer token for an integration, scoped to one organisation and one role (or to SCIM provisioning alone). Only its SHA-256 hash is
/// stored; the secret is shown once, when it is created.
/// </summary>
public sealed class ApiToken : ITenantOwned
{
    public const string SecretPrefix = "tacit_";
    public const int NameMaxLength = 80;

    private ApiToken() { Name = ""; Hash = ""; Hint = ""; }

    private ApiToken(Guid organisationId, string name, Roles role, ApiTokenScope scope, string hash, string hint, DateTimeOffset createdAt)
    {
        Scope = scope;
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        Name = name;
        Role = role;
        Hash = hash;
        Hint = hint;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Name { get; private set; }
    public Roles Role { get; private set; }
    /// <summary>A SCIM token opens /scim/v2 and nothing else; no other token opens /scim/v2.</summary>
    public ApiTokenScope Scope { get; private set; }
    public string Hash { get; private set; }
    /// <summary>The last characters of the secret, so an admin can tell tokens apart.</summary>
    public string Hint { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Creates a token and returns it with its secret, which is never stored.</summary>
    public static (ApiToken Token, string Secret) Create(Guid organisationId, string? name, Roles role, DateTimeOffset createdAt,
        ApiTokenScope scope = ApiTokenScope.Api)
    {
        if (!Enum.IsDefined(role)) throw new DomainException("Role must be member, facilitator, admin or scim.", nameof(Role));
        if (!Enum.IsDefined(scope)) throw new DomainException("Role must be member, facilitator, admin or scim.", nameof(Role));
        var label = Guard.Required(name, nameof(Name), "Token name", NameMaxLength);
        var secret = SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // A SCIM token carries no role: it acts as nobody in the API.
        return (new ApiToken(organisationId, label, scope == ApiTokenScope.Scim ? Roles.Member : role, scope, HashOf(secret), secret[^4..], createdAt), secret);
    }

    /// <summary>The role as people read it in Settings and as the tacit command takes it: member, facilitator, admin or scim.</summary>
    public string RoleName => Scope == ApiTokenScope.Scim ? ScimRoleName : Role.ToString().ToLowerInvariant();

    public const string ScimRoleName = "scim";

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;
}
