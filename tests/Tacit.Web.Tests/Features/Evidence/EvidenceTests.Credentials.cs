using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Tacit.Web.Features.Credentials;
using Tacit.Web.Features.Evidence;

namespace Tacit.Web.Tests.Features.Evidence;

/// <summary>
/// A skill validated by peers, claimed by its teacher as an Open Badges 3.0 credential (docs/credentials.md): its
/// content, refusals, the key that signs it, the page, and an independent verifier (npm did-jwt-vc) that accepts it and
/// refuses it changed.
/// </summary>
public abstract partial class EvidenceTests
{
    [Fact]
    public async Task A_teacher_claims_a_skill_validated_by_peers_as_an_open_badges_credential_naming_the_validators()
    {
        var held = await TwoSessionsAsync();
        var org = held.Org;
        var teacher = held.First.Teacher;
        var skillId = org.Wanted;
        // Not validated yet: one good rating of two.
        await GiveAsync(held.First.Learner, held.FirstSession, Feedback5);
        await teacher.PostAsJsonAsync("/api/me/credentials", new { skillId }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await PlayAsync(held);

        var validated = Assert.Single((await teacher.GetJsonAsync<LearningRecordDto>("/api/me/learning-record")).ValidatedSkills);
        Assert.Equal(skillId, validated.SkillId);
        var issued = await teacher.PostAsJsonAsync("/api/me/credentials", new { skillId }).ReadAsync<JsonObject>(HttpStatusCode.OK);
        var jwt = issued["jwt"]!.GetValue<string>();
        var (header, payload) = (Part(jwt, 0), Part(jwt, 1));
        Assert.Equal(issued["credential"]!["id"]!.GetValue<string>(), payload["jti"]!.GetValue<string>());

        var did = payload["iss"]!.GetValue<string>();
        Assert.StartsWith("did:jwk:", did, StringComparison.Ordinal);
        Assert.Equal(("ES256", "JWT", did + "#0"), (header["alg"]!.GetValue<string>(), header["typ"]!.GetValue<string>(), header["kid"]!.GetValue<string>()));
        // The DID is the public key, the one in the header: no private part anywhere.
        var jwk = JsonNode.Parse(Base64Url.DecodeFromChars(did.AsSpan("did:jwk:".Length)))!;
        Assert.Equal(jwk.ToJsonString(), header["jwk"]!.ToJsonString());
        Assert.Null(jwk["d"]);
        Assert.Equal(new[] { SkillCredentials.CredentialsContext, SkillCredentials.OpenBadgesContext }, Strings(payload["@context"]));
        Assert.Equal(new[] { "VerifiableCredential", "OpenBadgeCredential" }, Strings(payload["type"]));
        Assert.Equal(did, payload["issuer"]!["id"]!.GetValue<string>());
        Assert.Equal("mailto:" + org.Email("sales1"), payload["sub"]!.GetValue<string>());
        Assert.Equal(payload["sub"]!.GetValue<string>(), payload["credentialSubject"]!["id"]!.GetValue<string>());
        var achievement = payload["credentialSubject"]!["achievement"]!;
        Assert.Equal(FinanceAndSales.WantedSkill, achievement["name"]!.GetValue<string>());
        Assert.Equal($"urn:uuid:{skillId}", achievement["id"]!.GetValue<string>());
        var validators = new[] { held.First.LearnerName, held.Second.LearnerName }.Order().ToList();
        foreach (var name in validators)
        {
            Assert.Contains(name, achievement["criteria"]!["narrative"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains(payload["evidence"]!.AsArray(), e => e!["name"]!.GetValue<string>() == $"Validated by {name}");
        }
        Assert.True(Math.Abs(payload["nbf"]!.GetValue<long>() - TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()) < 300);

        // Again: a new credential, signed by the same organisation key; the key's private half is sealed, never in clear.
        var again = await teacher.PostAsJsonAsync("/api/me/credentials", new { skillId }).ReadAsync<JsonObject>(HttpStatusCode.OK);
        Assert.Equal(did, Part(again["jwt"]!.GetValue<string>(), 1)["iss"]!.GetValue<string>());
        Assert.NotEqual(payload["jti"]!.GetValue<string>(), Part(again["jwt"]!.GetValue<string>(), 1)["jti"]!.GetValue<string>());
        var key = await InOrgAsync(org.Id, db => db.Set<IssuerKey>().SingleAsync());
        Assert.Equal(did, IssuerKeys.DidOf(key.PublicJwk));
        Assert.Throws<FormatException>(() => Convert.FromBase64String(key.ProtectedPrivateKey));
        Assert.Equal(2, await InOrgAsync(org.Id, db => db.AuditEntries.CountAsync(e => e.Action == "credential.issued" && e.Subject == FinanceAndSales.WantedSkill)));

        // Only a skill peers validated, only for oneself: the learners have none, a token is no person, an unknown skill is 404.
        await held.First.Learner.PostAsJsonAsync("/api/me/credentials", new { skillId }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await teacher.PostAsJsonAsync("/api/me/credentials", new { skillId = org.Unshared }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await teacher.PostAsJsonAsync("/api/me/credentials", new { skillId = Guid.NewGuid() }).ExpectAsync(HttpStatusCode.NotFound);
        await teacher.PostAsJsonAsync("/api/me/credentials", new { }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await org.Facilitator.PostAsJsonAsync("/api/me/credentials", new { skillId }).ExpectAsync(HttpStatusCode.Forbidden);
        // Another organisation: its people cannot name this skill, and its own key is another.
        var other = await app.CreateOrganisationAsync("credential-other-" + Guid.NewGuid().ToString("N")[..6]);
        var stranger = await Pages.SignedInClientAsync(app, other.AdminUser.Email!, "correct-horse-battery");
        await stranger.PostAsJsonAsync("/api/me/credentials", new { skillId }).ExpectAsync(HttpStatusCode.NotFound);
        Assert.False(await InOrgAsync(other.Organisation.Id, db => db.Set<IssuerKey>().AnyAsync()));

        // The page: a button per validated skill; the credential to download and to read.
        var (_, page) = await Pages.GetAsync(teacher, "/me/learning-record");
        Assert.Contains("Get a credential", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Get a credential", (await Pages.GetAsync(held.First.Learner, "/me/learning-record")).Html, StringComparison.Ordinal);
        var posted = await Pages.PostFormAsync(teacher, "/me/learning-record", $"credential-{skillId}", new Dictionary<string, string>());
        var html = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.OK, $"{posted.StatusCode}: {app.ServerErrors}");
        Assert.Contains($"Your credential: {FinanceAndSales.WantedSkill}", html, StringComparison.Ordinal);
        Assert.Contains("href=\"data:application/jwt;charset=utf-8,ey", html, StringComparison.Ordinal);
        Assert.Contains("download=\"credential-negotiation.jwt\"", html, StringComparison.Ordinal);
        Assert.Contains("OpenBadgeCredential", html, StringComparison.Ordinal);
        Assert.Contains($"Validated by {validators[0]}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_independent_open_badges_verifier_accepts_the_credential_and_refuses_it_changed_or_signed_by_another_key()
    {
        var held = await TwoSessionsAsync();
        await PlayAsync(held);
        var issued = await held.First.Teacher.PostAsJsonAsync("/api/me/credentials", new { skillId = held.Org.Wanted }).ReadAsync<JsonObject>(HttpStatusCode.OK);
        var jwt = issued["jwt"]!.GetValue<string>();

        var (verified, answer) = await VerifyAsync(jwt);
        Assert.True(verified, answer);
        var result = JsonNode.Parse(answer)!;
        Assert.Equal(Part(jwt, 1)["iss"]!.GetValue<string>(), result["issuer"]!.GetValue<string>());
        Assert.Equal(FinanceAndSales.WantedSkill, result["payload"]!["credentialSubject"]!["achievement"]!["name"]!.GetValue<string>());

        // The achievement renamed after signing: the signature no longer matches.
        var parts = jwt.Split('.');
        var forged = Part(jwt, 1);
        forged["credentialSubject"]!["achievement"]!["name"] = "Brain surgery";
        Assert.False((await VerifyAsync($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged.ToJsonString()))}.{parts[2]}")).Verified);
        // Signed by another organisation's key while claiming this issuer.
        var other = await TwoSessionsAsync();
        await PlayAsync(other);
        var otherJwt = (await other.First.Teacher.PostAsJsonAsync("/api/me/credentials", new { skillId = other.Org.Wanted }).ReadAsync<JsonObject>(HttpStatusCode.OK))["jwt"]!.GetValue<string>();
        Assert.False((await VerifyAsync($"{parts[0]}.{parts[1]}.{otherJwt.Split('.')[2]}")).Verified);
    }

    private static JsonObject Part(string jwt, int index) => JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[index]))!.AsObject();

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>scripts/verify-credential.cjs with the verifier the test command installs (scripts/vc-verifier.sh).</summary>
    private static async Task<(bool Verified, string Answer)> VerifyAsync(string jwt)
    {
        var tools = Environment.GetEnvironmentVariable("TACIT_TEST_VC_VERIFIER") is { Length: > 0 } set ? set : Repository.PathOf("artifacts", "tools");
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "did-jwt-vc")),
            $"did-jwt-vc is not in {tools}: run ./test.sh, or `. scripts/vc-verifier.sh && install_vc_verifier`.");
        var file = Path.Combine(Path.GetTempPath(), $"tacit-credential-{Guid.NewGuid():N}.jwt");
        await File.WriteAllTextAsync(file, jwt);
        try
        {
            var (exitCode, output) = await ExternalCommand.RunAsync("node", Repository.PathOf("scripts", "verify-credential.cjs"), tools, file);
            return (exitCode == 0 && JsonNode.Parse(output)!["verified"]!.GetValue<bool>(), output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
