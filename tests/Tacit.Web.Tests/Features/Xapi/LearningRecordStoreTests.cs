using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Tacit.Web.Features.Xapi;

namespace Tacit.Web.Tests.Features.Xapi;

/// <summary>
/// The learning record store at /xapi: statements stored, found and voided, documents with ETags, and each
/// organisation's credentials seeing and writing only that organisation's records. The ADL conformance suite checks the
/// rest of the specification (scripts/xapi-conformance.sh, docs/xapi.md).
/// </summary>
public abstract class LearningRecordStoreTests(TacitApp app)
{
    private const string Attended = "http://adlnet.gov/expapi/verbs/attended";
    private const string Meeting = "http://tacit.example/activities/meeting";

    [Fact]
    public async Task A_statement_is_stored_found_by_agent_verb_and_activity_and_voided()
    {
        var (_, client, _) = await LrsAsync("lrs-store");
        var id = Guid.NewGuid();
        await client.PutAsync($"/xapi/statements?statementId={id}", Json(Statement("ann@example.com", Attended))).ExpectAsync(HttpStatusCode.NoContent);
        var other = await client.PostAsync("/xapi/statements", Json(new JsonArray(Statement("bob@example.com", Attended), Statement("ann@example.com", "http://adlnet.gov/expapi/verbs/completed"))))
            .ReadAsync<Guid[]>(HttpStatusCode.OK);
        Assert.Equal(2, other.Length);

        using var one = await client.GetAsync($"/xapi/statements?statementId={id}");
        await one.ExpectAsync(HttpStatusCode.OK);
        Assert.True(one.Headers.Contains("X-Experience-API-Consistent-Through"));
        var stored = JsonNode.Parse(await one.Content.ReadAsStringAsync())!;
        Assert.Equal(id.ToString(), stored["id"]!.GetValue<string>());
        Assert.Equal("1.0.0", stored["version"]!.GetValue<string>());
        Assert.Equal("ADL test", stored["authority"]!["name"]!.GetValue<string>());
        Assert.NotNull(stored["stored"]);

        var ann = Uri.EscapeDataString("""{"mbox":"mailto:ann@example.com"}""");
        Assert.Equal([id.ToString()], await IdsAsync(client, $"/xapi/statements?agent={ann}&verb={Uri.EscapeDataString(Attended)}"));
        Assert.Equal(3, (await IdsAsync(client, $"/xapi/statements?activity={Uri.EscapeDataString(Meeting)}")).Count);
        var paged = await client.GetJsonAsync<JsonObject>($"/xapi/statements?activity={Uri.EscapeDataString(Meeting)}&limit=2");
        Assert.Equal(2, paged["statements"]!.AsArray().Count);
        var next = await client.GetJsonAsync<JsonObject>(paged["more"]!.GetValue<string>());
        Assert.Single(next["statements"]!.AsArray());
        Assert.Equal("", next["more"]!.GetValue<string>());

        // The same statement again is kept as it was; a different one under the same id is a conflict.
        await client.PutAsync($"/xapi/statements?statementId={id}", Json(Statement("ann@example.com", Attended))).ExpectAsync(HttpStatusCode.NoContent);
        await client.PutAsync($"/xapi/statements?statementId={id}", Json(Statement("eve@example.com", Attended))).ExpectAsync(HttpStatusCode.Conflict);

        var voiding = Statement("ann@example.com", StatementValidator.VoidedVerb);
        voiding["object"] = new JsonObject { ["objectType"] = "StatementRef", ["id"] = id.ToString() };
        await client.PostAsync("/xapi/statements", Json(voiding)).ExpectAsync(HttpStatusCode.OK);
        await client.GetAsync($"/xapi/statements?statementId={id}").ExpectAsync(HttpStatusCode.NotFound);
        await client.GetAsync($"/xapi/statements?voidedStatementId={id}").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(id.ToString(), await IdsAsync(client, $"/xapi/statements?agent={ann}"));

        // An IRI longer than a database index entry may be is still stored and found (keys are kept as hashes).
        var longActivity = Meeting + "/" + new string('x', 5000);
        var longOne = Statement("ann@example.com", Attended);
        longOne["object"] = new JsonObject { ["id"] = longActivity, ["definition"] = new JsonObject { ["name"] = new JsonObject { ["en"] = "Long" } } };
        await client.PostAsync("/xapi/statements", Json(longOne)).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(await IdsAsync(client, $"/xapi/statements?activity={Uri.EscapeDataString(longActivity)}"));
        var longState = $"/xapi/activities/state?activityId={Uri.EscapeDataString(longActivity)}&agent={ann}&stateId={new string('s', 3000)}";
        await client.PutAsync(longState, Json(new JsonObject { ["long"] = true })).ExpectAsync(HttpStatusCode.NoContent);
        await client.GetAsync(longState).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_same_statement_sent_at_once_by_several_clients_is_stored_once_and_a_different_one_under_its_id_is_a_conflict()
    {
        // New statements are written without a look-up first; the unique index finds a resend, which is then compared.
        var (_, client, _) = await LrsAsync("lrs-resend");
        var statement = Statement("ann@example.com", Attended);
        statement["id"] = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsync("/xapi/statements", Json(statement))));
        foreach (var answer in answers) Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var ann = Uri.EscapeDataString("""{"mbox":"mailto:ann@example.com"}""");
        Assert.Equal([statement["id"]!.GetValue<string>()], await IdsAsync(client, $"/xapi/statements?agent={ann}"));

        var different = Statement("bob@example.com", Attended);
        different["id"] = statement["id"]!.GetValue<string>();
        await client.PostAsync("/xapi/statements", Json(new JsonArray(Statement("eve@example.com", Attended), different))).ExpectAsync(HttpStatusCode.Conflict);
        var eve = Uri.EscapeDataString("""{"mbox":"mailto:eve@example.com"}""");
        Assert.Empty(await IdsAsync(client, $"/xapi/statements?agent={eve}"));
    }

    [Fact]
    public async Task Statements_that_break_the_rules_are_refused_with_400_and_nothing_is_stored()
    {
        var (_, client, _) = await LrsAsync("lrs-rules");
        var twoIdentifiers = Statement("ann@example.com", Attended);
        twoIdentifiers["actor"]!["openid"] = "http://ann.example.com";
        var badScore = Statement("ann@example.com", Attended);
        badScore["result"] = new JsonObject { ["score"] = new JsonObject { ["scaled"] = 1.5 } };
        var badLanguage = Statement("ann@example.com", Attended);
        badLanguage["verb"]!["display"] = new JsonObject { ["not a tag!"] = "attended" };
        foreach (var statement in new[] { twoIdentifiers, badScore, badLanguage })
            await client.PostAsync("/xapi/statements", Json(new JsonArray(Statement("ann@example.com", Attended), statement))).ExpectAsync(HttpStatusCode.BadRequest);
        await client.PostAsync("/xapi/statements", new StringContent("{not json", Encoding.UTF8, "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        await client.GetAsync("/xapi/statements?colour=red").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await IdsAsync(client, "/xapi/statements"));

        var noVersion = new HttpRequestMessage(HttpMethod.Get, "/xapi/statements");
        noVersion.Headers.Authorization = client.DefaultRequestHeaders.Authorization;
        await (await app.CreateClient().SendAsync(noVersion)).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Documents_are_written_with_etags_and_merged_on_post()
    {
        var (_, client, _) = await LrsAsync("lrs-docs");
        var state = $"/xapi/activities/state?activityId={Uri.EscapeDataString(Meeting)}&agent={Uri.EscapeDataString("""{"mbox":"mailto:ann@example.com"}""")}&stateId=progress";
        await client.PostAsync(state, Json(new JsonObject { ["page"] = 1 })).ExpectAsync(HttpStatusCode.NoContent);
        await client.PostAsync(state, Json(new JsonObject { ["done"] = false })).ExpectAsync(HttpStatusCode.NoContent);
        using var read = await client.GetAsync(state);
        var etag = read.Headers.ETag!.Tag;
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["page"] = 1, ["done"] = false }, JsonNode.Parse(await read.Content.ReadAsStringAsync())));

        var stale = new HttpRequestMessage(HttpMethod.Put, state) { Content = Json(new JsonObject { ["page"] = 9 }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"0000\"");
        await (await client.SendAsync(stale)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        var current = new HttpRequestMessage(HttpMethod.Put, state) { Content = Json(new JsonObject { ["page"] = 2 }) };
        current.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await client.SendAsync(current)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(2, (await client.GetJsonAsync<JsonObject>(state))["page"]!.GetValue<int>());
    }

    [Fact]
    public async Task One_organisations_credentials_never_see_or_change_anothers_records()
    {
        var (_, mine, _) = await LrsAsync("lrs-mine");
        var (_, theirs, _) = await LrsAsync("lrs-theirs");
        var id = Guid.NewGuid();
        await mine.PutAsync($"/xapi/statements?statementId={id}", Json(Statement("ann@example.com", Attended))).ExpectAsync(HttpStatusCode.NoContent);
        var state = $"/xapi/activities/state?activityId={Uri.EscapeDataString(Meeting)}&agent={Uri.EscapeDataString("""{"mbox":"mailto:ann@example.com"}""")}&stateId=secret";
        await mine.PostAsync(state, Json(new JsonObject { ["mine"] = true })).ExpectAsync(HttpStatusCode.NoContent);

        await theirs.GetAsync($"/xapi/statements?statementId={id}").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Empty(await IdsAsync(theirs, "/xapi/statements"));
        await theirs.GetAsync(state).ExpectAsync(HttpStatusCode.NotFound);
        // The same id in another organisation is another statement: theirs is stored, mine is unchanged.
        await theirs.PutAsync($"/xapi/statements?statementId={id}", Json(Statement("eve@example.com", Attended))).ExpectAsync(HttpStatusCode.NoContent);
        await theirs.PostAsync(state, Json(new JsonObject { ["theirs"] = true })).ExpectAsync(HttpStatusCode.NoContent);

        var stored = await mine.GetJsonAsync<JsonObject>($"/xapi/statements?statementId={id}");
        Assert.Equal("mailto:ann@example.com", stored["actor"]!["mbox"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["mine"] = true }, await mine.GetJsonAsync<JsonObject>(state)));
        Assert.Equal([id.ToString()], await IdsAsync(mine, "/xapi/statements"));
    }

    [Fact]
    public async Task A_revoked_or_wrong_credential_is_refused_with_401()
    {
        var (organisationId, client, credential) = await LrsAsync("lrs-revoke");
        await client.GetAsync("/xapi/statements").ExpectAsync(HttpStatusCode.OK);
        var wrong = Client(credential.Key, "not-the-secret");
        using var refused = await wrong.GetAsync("/xapi/statements");
        await refused.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Basic", refused.Headers.WwwAuthenticate.Single().Scheme);

        await app.InScopeAsync(organisationId, async sp =>
        {
            await sp.GetRequiredService<LrsCredentials>().RevokeAsync(credential.Id);
            return 0;
        });
        await client.GetAsync("/xapi/statements").ExpectAsync(HttpStatusCode.Unauthorized);
        await client.PostAsync("/xapi/statements", Json(Statement("ann@example.com", Attended))).ExpectAsync(HttpStatusCode.Unauthorized);
        // The about resource is open to anyone.
        await app.CreateClient().GetAsync("/xapi/about").ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_creates_and_revokes_credentials_in_settings()
    {
        var slug = "lrs-page-" + Guid.NewGuid().ToString("N")[..6];
        var created = await app.CreateOrganisationAsync(slug);
        var admin = await Pages.SignedInClientAsync(app, $"admin@{slug}.example", "correct-horse-battery");
        using var answer = await Pages.PostFormAsync(admin, "/settings/lrs", "lrs-credential", new Dictionary<string, string> { ["Form.Name"] = "Course platform" });
        var html = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{answer.StatusCode}: {app.ServerErrors}");
        var shown = System.Text.RegularExpressions.Regex.Matches(html, "<code class=\"secret\">([^<]+)</code>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, shown.Count);
        var client = Client(shown[0], shown[1]);
        await client.GetAsync("/xapi/statements").ExpectAsync(HttpStatusCode.OK);

        var id = await app.InScopeAsync(created.Organisation.Id, async sp => (await sp.GetRequiredService<LrsCredentials>().ListAsync()).Single().Id);
        await Pages.PostFormAsync(admin, "/settings/lrs", $"revoke-{id}", new Dictionary<string, string>()).ExpectAsync(HttpStatusCode.OK);
        await client.GetAsync("/xapi/statements").ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Revoked", (await Pages.GetAsync(admin, "/settings/lrs")).Html, StringComparison.Ordinal);
    }

    private async Task<(Guid OrganisationId, HttpClient Client, LrsCredential Credential)> LrsAsync(string prefix)
    {
        var created = await app.CreateOrganisationAsync(prefix + "-" + Guid.NewGuid().ToString("N")[..6]);
        var organisationId = created.Organisation.Id;
        var (credential, secret) = await app.InScopeAsync(organisationId, sp => sp.GetRequiredService<LrsCredentials>().CreateAsync(organisationId, "ADL test"));
        return (organisationId, Client(credential.Key, secret), credential);
    }

    private HttpClient Client(string key, string secret)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));
        client.DefaultRequestHeaders.Add("X-Experience-API-Version", "1.0.3");
        return client;
    }

    private static JsonObject Statement(string email, string verb) => new()
    {
        ["actor"] = new JsonObject { ["mbox"] = $"mailto:{email}", ["name"] = email },
        ["verb"] = new JsonObject { ["id"] = verb, ["display"] = new JsonObject { ["en-GB"] = "did" } },
        ["object"] = new JsonObject { ["id"] = Meeting, ["definition"] = new JsonObject { ["name"] = new JsonObject { ["en-GB"] = "A meeting" } } },
    };

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<List<string>> IdsAsync(HttpClient client, string path) =>
        (await client.GetJsonAsync<JsonObject>(path))["statements"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
}

public sealed class LearningRecordStoreSqliteTests(SqliteApp app) : LearningRecordStoreTests(app), IClassFixture<SqliteApp>;

public sealed class LearningRecordStorePostgresTests(PostgresApp app) : LearningRecordStoreTests(app), IClassFixture<PostgresApp>;
