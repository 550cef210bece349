using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// An HTTP Basic credential for the learning record store, scoped to one organisation. The key is the user name and
/// is stored as it is (it finds the credential); the secret is the password, of which only the SHA-256 hash is kept.
/// </summary>
public sealed class LrsCredential : ITenantOwned
{
    public const int NameMaxLength = 80;

    private LrsCredential() { }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Name { get; private set; } = "";
    public string Key { get; private set; } = "";
    public string SecretHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Creates a credential and returns it with its secret, which is never stored.</summary>
    public static (LrsCredential Credential, string Secret) Create(Guid organisationId, string? name, DateTimeOffset createdAt)
    {
        var label = Guard.Required(name, nameof(Name), "Credential name", NameMaxLength);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var credential = new LrsCredential
        {
            Id = Guid.CreateVersion7(createdAt),
            OrganisationId = organisationId,
            Name = label,
            Key = "lrs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            SecretHash = HashOf(secret),
            CreatedAt = createdAt,
        };
        return (credential, secret);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public bool Accepts(string secret) =>
        IsActive && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash), Encoding.ASCII.GetBytes(HashOf(secret)));

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;
}

internal sealed class LrsCredentialConfiguration : IEntityTypeConfiguration<LrsCredential>
{
    public void Configure(EntityTypeBuilder<LrsCredential> e)
    {
        e.ToTable("LrsCredentials");
        e.Property(c => c.Name).HasMaxLength(LrsCredential.NameMaxLength);
        e.Property(c => c.Key).HasMaxLength(40);
        e.Property(c => c.SecretHash).HasMaxLength(64);
        e.HasIndex(c => c.Key).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
