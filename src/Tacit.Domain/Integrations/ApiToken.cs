using System.Security.Cryptography;
using System.Text;
using Tacit.Domain.People;

namespace Tacit.Domain.Integrations;

/// <summary>
/// A bearer token for an integration, scoped to one organisation and one role. Only its SHA-256 hash is
/// stored; the secret is shown once, when it is created.
/// </summary>
public sealed class ApiToken : ITenantOwned
{
    public const string SecretPrefix = "tacit_";
    public const int NameMaxLength = 80;

    private ApiToken() { Name = ""; Hash = ""; Hint = ""; }

    private ApiToken(Guid organisationId, string name, Roles role, string hash, string hint, DateTimeOffset createdAt)
    {
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
    public string Hash { get; private set; }
    /// <summary>The last characters of the secret, so an admin can tell tokens apart.</summary>
    public string Hint { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Creates a token and returns it with its secret, which is never stored.</summary>
    public static (ApiToken Token, string Secret) Create(Guid organisationId, string? name, Roles role, DateTimeOffset createdAt)
    {
        if (!Enum.IsDefined(role)) throw new DomainException("Role must be member, facilitator or admin.", nameof(Role));
        var label = Guard.Required(name, nameof(Name), "Token name", NameMaxLength);
        var secret = SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return (new ApiToken(organisationId, label, role, HashOf(secret), secret[^4..], createdAt), secret);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;
}
