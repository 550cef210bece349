using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Credentials;

/// <summary>
/// The organisation's issuer identity and signing key: did:jwk of its P-256 public key, so any verifier can resolve it
/// offline from the credential itself (no server to reach, nothing to trust but the key). Made the first time a
/// credential is issued; two people's first credentials at the same instant give one of them a 409 to retry.
/// </summary>
public sealed class IssuerKeys(TacitDbContext db, IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Purpose = "Tacit.Credentials.IssuerKey";

    /// <summary>The issuer's DID and a key to sign with (dispose it), making the organisation's key if it has none.</summary>
    public async Task<(string Did, JsonObject PublicJwk, ECDsa Signer)> SignerAsync(CancellationToken ct = default)
    {
        var protector = protection.CreateProtector(Purpose);
        var key = await db.Set<IssuerKey>().AsNoTracking().SingleOrDefaultAsync(ct);
        if (key is null)
        {
            using var made = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            key = new IssuerKey
            {
                Id = Guid.CreateVersion7(clock.GetUtcNow()),
                OrganisationId = db.CurrentOrganisationId,
                PublicJwk = PublicJwkOf(made.ExportParameters(false)).ToJsonString(),
                ProtectedPrivateKey = protector.Protect(Convert.ToBase64String(made.ExportPkcs8PrivateKey())),
                CreatedAt = clock.GetUtcNow(),
            };
            db.Set<IssuerKey>().Add(key);
            await db.SaveChangesAsync(ct);
        }
        var signer = ECDsa.Create();
        signer.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(key.ProtectedPrivateKey)), out _);
        var jwk = JsonNode.Parse(key.PublicJwk)!.AsObject();
        return (DidOf(key.PublicJwk), jwk, signer);
    }

    /// <summary>did:jwk is the base64url of the public JWK (https://github.com/quartzjer/did-jwk).</summary>
    public static string DidOf(string publicJwk) => "did:jwk:" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(publicJwk));

    /// <summary>The members in RFC 7638's order, so the same key always makes the same DID.</summary>
    private static JsonObject PublicJwkOf(ECParameters key) => new()
    {
        ["crv"] = "P-256",
        ["kty"] = "EC",
        ["x"] = Base64Url.EncodeToString(key.Q.X),
        ["y"] = Base64Url.EncodeToString(key.Q.Y),
    };
}
