using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;

namespace Tacit.Web.Features.Credentials;

/// <summary>
/// The organisation's key for signing the credentials it issues (docs/credentials.md): one P-256 key (ES256), made on
/// first use. The public half is kept as a JWK, which is also the issuer's identity (did:jwk); the private half only as
/// PKCS#8 sealed by ASP.NET Core Data Protection, read to sign and never shown.
/// </summary>
public sealed class IssuerKey : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    /// <summary>The public key as a JWK (crv, kty, x, y in that order), from which the issuer's did:jwk is made.</summary>
    public string PublicJwk { get; set; } = "";
    public string ProtectedPrivateKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IssuerKeyConfiguration : IEntityTypeConfiguration<IssuerKey>
{
    public void Configure(EntityTypeBuilder<IssuerKey> e)
    {
        e.ToTable("IssuerKeys");
        e.HasIndex(k => k.OrganisationId).IsUnique();
        e.Property(k => k.PublicJwk).HasMaxLength(300);
        e.Property(k => k.ProtectedPrivateKey).HasMaxLength(2000);
        e.HasOne<Organisation>().WithMany().HasForeignKey(k => k.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
