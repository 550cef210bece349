using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Evidence;

namespace Tacit.Web.Features.Credentials;

/// <summary>A credential as issued: the VC-JWT to download and keep, and the credential it signs, to read.</summary>
public sealed record IssuedCredential(string Skill, string Jwt, JsonObject Credential);

/// <summary>
/// A person claims a skill their peers validated as an Open Badges 3.0 credential (docs/credentials.md): an
/// OpenBadgeCredential whose achievement is the skill and whose evidence names the learners who validated it, issued by
/// the organisation (did:jwk) and signed ES256 as a VC-JWT. Only for oneself, only for a skill validated now; each
/// issue is a new credential, and the audit log keeps that it was issued.
/// </summary>
public sealed class SkillCredentials(TacitDbContext db, LearningRecord records, IssuerKeys keys, Audit.AuditLog audit, TimeProvider clock)
{
    public const string CredentialsContext = "https://www.w3.org/ns/credentials/v2";
    public const string OpenBadgesContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    public async Task<IssuedCredential> IssueAsync(Guid personId, Guid skillId, CancellationToken ct = default)
    {
        if (!await db.Skills.AnyAsync(s => s.Id == skillId, ct)) throw new NotFoundException("No such skill.");
        var record = await records.ForAsync(personId, RecordPeriod.All, ct);
        var validated = record.ValidatedSkills.SingleOrDefault(v => v.SkillId == skillId)
            ?? throw new DomainException($"Peers have not validated this skill of yours: it is validated once {Recognition.LearnersToValidate} learners rate sessions of it you taught {Recognition.GoodRating} or 5 out of 5.", "SkillId");
        var email = await db.People.Where(p => p.Id == personId).Select(p => p.Email).SingleAsync(ct);
        var organisation = await db.Organisations.Where(o => o.Id == db.CurrentOrganisationId).Select(o => o.Name).SingleAsync(ct);

        var (did, publicJwk, signer) = await keys.SignerAsync(ct);
        using var _ = signer;
        var now = clock.GetUtcNow();
        var credential = Credential(did, organisation, $"urn:uuid:{Guid.CreateVersion7(now)}", $"mailto:{email}", now, validated);
        var jwt = Sign(credential, did, publicJwk, signer, now);
        audit.Record("credential.issued", validated.Skill, credential["id"]!.GetValue<string>());
        await db.SaveChangesAsync(ct);
        return new IssuedCredential(validated.Skill, jwt, credential);
    }

    private static JsonObject Credential(string issuer, string organisation, string id, string subject, DateTimeOffset now, RecordValidatedSkill skill)
    {
        var validators = string.Join(", ", skill.ValidatedBy);
        return new JsonObject
        {
            ["@context"] = new JsonArray(CredentialsContext, OpenBadgesContext),
            ["id"] = id,
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = $"{skill.Skill}, validated by peers",
            ["issuer"] = new JsonObject { ["id"] = issuer, ["type"] = new JsonArray("Profile"), ["name"] = organisation },
            ["validFrom"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = subject,
                ["type"] = new JsonArray("AchievementSubject"),
                ["achievement"] = new JsonObject
                {
                    // The skill's id: the same achievement in every credential the organisation issues for it.
                    ["id"] = $"urn:uuid:{skill.SkillId}",
                    ["type"] = new JsonArray("Achievement"),
                    ["achievementType"] = "Competency",
                    ["name"] = skill.Skill,
                    ["description"] = $"Teaches {skill.Skill} well enough that colleagues who learned it from them validated it: {validators}.",
                    ["criteria"] = new JsonObject
                    {
                        ["narrative"] = $"At least {Recognition.LearnersToValidate} different colleagues who learned this skill in sessions the person taught, in {organisation}'s peer learning, "
                            + $"rated those sessions {Recognition.GoodRating} or 5 out of 5 for usefulness. Validated by {validators}.",
                    },
                },
            },
            ["evidence"] = new JsonArray([.. skill.ValidatedBy.Select(name => (JsonNode)new JsonObject
            {
                ["type"] = new JsonArray("Evidence"),
                ["name"] = $"Validated by {name}",
                ["description"] = $"{name} learned {skill.Skill} in a session the person taught and rated it {Recognition.GoodRating} or 5 out of 5.",
            })]),
        };
    }

    /// <summary>
    /// The VC-JWT of Open Badges 3.0 (§8.2): the credential is the payload, with iss, nbf, jti and sub from it; the header
    /// names the key by its DID URL and carries the public key, for verifiers that take it from there.
    /// </summary>
    private static string Sign(JsonObject credential, string did, JsonObject publicJwk, ECDsa signer, DateTimeOffset now)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = did + "#0", ["jwk"] = publicJwk.DeepClone() };
        var payload = credential.DeepClone().AsObject();
        payload["iss"] = did;
        payload["nbf"] = now.ToUnixTimeSeconds();
        payload["jti"] = credential["id"]!.DeepClone();
        payload["sub"] = credential["credentialSubject"]!["id"]!.DeepClone();
        var signingInput = Part(header) + "." + Part(payload);
        // ES256 signatures are r‖s (IEEE P1363), .NET's default for ECDsa.SignData.
        var signature = signer.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The credential as people read it: indented, letters as they are.</summary>
    public static string Readable(JsonObject credential) => credential.ToJsonString(ReadableJson);

    private static readonly JsonSerializerOptions ReadableJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Part(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
