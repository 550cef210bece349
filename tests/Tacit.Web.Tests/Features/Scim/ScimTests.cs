using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Knowledge;
using Tacit.Web.Features.Settings;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Tests.Features.Scim;

/// <summary>
/// SCIM 2.0 provisioning at /scim/v2 (docs/scim.md): users and groups as an identity provider writes them, filters,
/// paging, PATCH in Entra ID's forms, ETags, errors, and the leavers rule when a user is set inactive.
/// </summary>
public abstract class ScimTests(TacitApp app)
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    [Fact]
    public async Task A_client_creates_finds_patches_and_deactivates_a_user_and_manages_a_department()
    {
        var (orgId, scim) = await ScimClientAsync("scim-users");
        var discovery = await ReadAsync(await scim.GetAsync("/scim/v2/ServiceProviderConfig"), HttpStatusCode.OK);
        Assert.True(discovery["patch"]!["supported"]!.GetValue<bool>());
        Assert.Equal(2, (await ReadAsync(await scim.GetAsync("/scim/v2/ResourceTypes"), HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
        await ReadAsync(await scim.GetAsync($"/scim/v2/Schemas/{Enterprise}"), HttpStatusCode.OK);

        var boss = await ReadAsync(await scim.PostAsync("/scim/v2/Users", Json(User("boss@example.com", "Bea Boss", "ext-boss"))), HttpStatusCode.Created);
        var bossId = boss["id"]!.GetValue<string>();
        var user = User("ann@example.com", "Ann Example", "ext-ann");
        user[Enterprise] = new JsonObject { ["department"] = "Finance", ["manager"] = new JsonObject { ["value"] = bossId } };
        user["title"] = "Analyst";
        using var created = await scim.PostAsync("/scim/v2/Users", Json(user));
        var ann = await ReadAsync(created, HttpStatusCode.Created);
        var annId = ann["id"]!.GetValue<string>();
        Assert.Equal($"/scim/v2/Users/{annId}", created.Headers.Location!.AbsolutePath);
        Assert.Equal("Finance", ann[Enterprise]!["department"]!.GetValue<string>());
        Assert.Equal(bossId, ann[Enterprise]!["manager"]!["value"]!.GetValue<string>());
        var person = await InDatabase(orgId, db => db.People.SingleAsync(p => p.Email == "ann@example.com"));
        Assert.Equal(("Ann Example", "Analyst", "ext-ann", true), (person.DisplayName, person.JobTitle, person.ExternalId, person.IsActive));

        // The same userName again is a uniqueness conflict; nothing is added.
        var duplicate = await ReadAsync(await scim.PostAsync("/scim/v2/Users", Json(User("ANN@example.com", "Ann Again", null))), HttpStatusCode.Conflict);
        Assert.Equal("uniqueness", duplicate["scimType"]!.GetValue<string>());
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", duplicate["schemas"]![0]!.GetValue<string>());

        // Filters as Entra ID and others send them.
        Assert.Equal([annId], await IdsAsync(scim, "userName eq \"Ann@Example.com\""));
        Assert.Equal([annId], await IdsAsync(scim, "externalId eq \"ext-ann\""));
        Assert.Empty(await IdsAsync(scim, "externalId eq \"EXT-ANN\""));
        Assert.Equal([annId], await IdsAsync(scim, $"{Enterprise}:department eq \"finance\" and title pr"));
        Assert.Equal(2, (await IdsAsync(scim, "userName sw \"ann\" or displayName co \"boss\"")).Count);
        Assert.Equal([annId], await IdsAsync(scim, "emails[type eq \"work\" and value ew \"@example.com\"] and not (userName sw \"boss\")"));
        var page = await ReadAsync(await scim.GetAsync("/scim/v2/Users?startIndex=2&count=1"), HttpStatusCode.OK);
        Assert.Equal((3, 2, 1), (page["totalResults"]!.GetValue<int>(), page["startIndex"]!.GetValue<int>(), page["itemsPerPage"]!.GetValue<int>()));
        var badFilter = await ReadAsync(await scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq")), HttpStatusCode.BadRequest);
        Assert.Equal("invalidFilter", badFilter["scimType"]!.GetValue<string>());

        // PATCH in Entra ID's forms: capitalised ops, a string "False", the manager as a bare id, a filtered email path.
        using var read = await scim.GetAsync($"/scim/v2/Users/{annId}");
        var etag = read.Headers.ETag!.ToString();
        var patched = await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{annId}", Patch(
            Op("Replace", "displayName", "Ann Patched"),
            Op("Replace", "emails[type eq \"work\"].value", "ann.patched@example.com"),
            Op("Add", $"{Enterprise}:department", "Sales"),
            Op("Remove", $"{Enterprise}:manager", null)), etag), HttpStatusCode.OK);
        Assert.Equal("Ann Patched", patched["displayName"]!.GetValue<string>());
        Assert.Null(patched[Enterprise]!["manager"]);
        person = await InDatabase(orgId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(annId)));
        Assert.Equal(("Ann Patched", "Sales", (Guid?)null), (person.DisplayName, person.Department, person.ManagerId));
        // The emails path changes the listed email; userName (the sign-in) stays what it was: userName is what counts.
        Assert.Equal("ann@example.com", person.Email);

        // The old ETag no longer matches: 412, and nothing changes.
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{annId}", Patch(Op("Replace", "displayName", "Stale")), etag), HttpStatusCode.PreconditionFailed);
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{annId}", Patch(Op("Replace", null, new JsonObject { ["userName"] = "not an email" }))), HttpStatusCode.BadRequest);
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{annId}", Patch(Op("Add", $"{Enterprise}:manager", Guid.NewGuid().ToString()))), HttpStatusCode.BadRequest);
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{annId}", Patch(Op("Explode", "displayName", "x"))), HttpStatusCode.BadRequest);
        Assert.Equal("Ann Patched", (await InDatabase(orgId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(annId)))).DisplayName);

        // A department as a group: creating it with members moves them; renaming it renames their department.
        var group = await ReadAsync(await scim.PostAsync("/scim/v2/Groups", Json(new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "Research",
            ["members"] = new JsonArray(new JsonObject { ["value"] = annId }),
        })), HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<string>();
        Assert.Equal("Research", (await InDatabase(orgId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(annId)))).Department);
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Groups/{groupId}", Patch(
            Op("Replace", "displayName", "R&D"),
            Op("Add", "members", new JsonArray(new JsonObject { ["value"] = bossId })))), HttpStatusCode.OK);
        Assert.Equal(["R&D", "R&D"], await InDatabase(orgId, db => db.People.Where(p => p.Email != "" && (p.Id == Guid.Parse(annId) || p.Id == Guid.Parse(bossId))).Select(p => p.Department).ToListAsync()));
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Groups/{groupId}", Patch(
            Op("Remove", "members", new JsonArray(new JsonObject { ["value"] = bossId })))), HttpStatusCode.OK);
        Assert.Equal("", (await InDatabase(orgId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(bossId)))).Department);
        var listed = await ReadAsync(await scim.GetAsync("/scim/v2/Groups?filter=" + Uri.EscapeDataString("displayName eq \"R&D\"") + "&excludedAttributes=members"), HttpStatusCode.OK);
        Assert.Null(Assert.Single(listed["Resources"]!.AsArray())!["members"]);

        // Deactivation as Entra ID sends it; then DELETE (a deactivation too: the person stays, inactive).
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{annId}", Patch(Op("Replace", "active", "False"))), HttpStatusCode.OK);
        Assert.False((await InDatabase(orgId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(annId)))).IsActive);
        (await Send(scim, HttpMethod.Delete, $"/scim/v2/Users/{bossId}", null)).StatusCode.Should(HttpStatusCode.NoContent);
        Assert.False((await InDatabase(orgId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(bossId)))).IsActive);
        (await Send(scim, HttpMethod.Delete, $"/scim/v2/Groups/{groupId}", null)).StatusCode.Should(HttpStatusCode.NoContent);
        await ReadAsync(await scim.GetAsync($"/scim/v2/Groups/{groupId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_a_scim_token_opens_scim_and_it_opens_nothing_else_nor_another_organisations_people()
    {
        var (orgId, scim) = await ScimClientAsync("scim-keys");
        var (otherId, otherScim) = await ScimClientAsync("scim-other");
        var admin = await app.ClientWithTokenAsync(orgId, Tacit.Domain.People.Roles.Admin);
        (await admin.GetAsync("/scim/v2/Users")).StatusCode.Should(HttpStatusCode.Forbidden);
        (await scim.GetAsync("/api/people")).StatusCode.Should(HttpStatusCode.Forbidden);
        (await app.CreateClient().GetAsync("/scim/v2/Users")).StatusCode.Should(HttpStatusCode.Unauthorized);

        var mine = await ReadAsync(await scim.PostAsync("/scim/v2/Users", Json(User("mine@example.com", "Mine", "ext-1"))), HttpStatusCode.Created);
        var mineId = mine["id"]!.GetValue<string>();
        var theirs = await ReadAsync(await otherScim.PostAsync("/scim/v2/Users", Json(User("mine@example.com", "Theirs", "ext-1"))), HttpStatusCode.Created);
        var theirsId = theirs["id"]!.GetValue<string>();
        Assert.Equal([mineId], await IdsAsync(scim, "externalId eq \"ext-1\""));
        foreach (var (method, body) in new (HttpMethod, JsonObject?)[] { (HttpMethod.Get, null), (HttpMethod.Put, User("x@example.com", "X", null)), (HttpMethod.Patch, Patch(Op("Replace", "active", false))), (HttpMethod.Delete, null) })
            await ReadAsync(await Send(scim, method, $"/scim/v2/Users/{theirsId}", body), HttpStatusCode.NotFound);
        // Another organisation's person cannot be made a member or a manager.
        await ReadAsync(await scim.PostAsync("/scim/v2/Groups", Json(new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "Stolen",
            ["members"] = new JsonArray(new JsonObject { ["value"] = theirsId }),
        })), HttpStatusCode.BadRequest);
        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{mineId}", Patch(Op("Add", $"{Enterprise}:manager", theirsId))), HttpStatusCode.BadRequest);
        var them = await InDatabase(otherId, db => db.People.SingleAsync(p => p.Id == Guid.Parse(theirsId)));
        Assert.Equal(("Theirs", true, ""), (them.DisplayName, them.IsActive, them.Department));
        Assert.False(await InDatabase(orgId, db => db.ScimGroups.AnyAsync()));
    }

    [Fact]
    public async Task Malformed_requests_get_scim_errors_never_a_500()
    {
        var (_, scim) = await ScimClientAsync("scim-bad");
        var bodies = new[]
        {
            "{not json", "[]", "{}", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}""",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":42}""",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","active":"maybe"}""",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","timezone":"Mars/Olympus"}""",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","displayName":"a\u0000b"}""",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","userName":"b@example.com"}""",
        };
        foreach (var body in bodies)
            await ReadAsync(await scim.PostAsync("/scim/v2/Users", new StringContent(body, Encoding.UTF8, "application/scim+json")), HttpStatusCode.BadRequest);
        foreach (var filter in new[] { "(", "userName zz \"a\"", "userName eq \"a", "emails[type eq \"work\"", "urn:nope:x eq 1", "a eq b", new string('(', 100) + "a pr" })
            await ReadAsync(await scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString(filter)), HttpStatusCode.BadRequest);
        await ReadAsync(await scim.GetAsync("/scim/v2/Users?count=abc"), HttpStatusCode.BadRequest);
        await ReadAsync(await scim.GetAsync("/scim/v2/Users/not-a-guid"), HttpStatusCode.NotFound);
        await ReadAsync(await scim.GetAsync("/scim/v2/Nothing"), HttpStatusCode.NotFound);
        await ReadAsync(await Send(scim, HttpMethod.Put, "/scim/v2/Users", User("a@example.com", "A", null)), HttpStatusCode.MethodNotAllowed);
        await ReadAsync(await scim.PostAsync("/scim/v2/Users", new StringContent("<user/>", Encoding.UTF8, "application/xml")), HttpStatusCode.UnsupportedMediaType);
        Assert.DoesNotContain((await ReadAsync(await scim.GetAsync("/scim/v2/Users"), HttpStatusCode.OK))["Resources"]!.AsArray(), u => u!["userName"]!.GetValue<string>() == "a@example.com");
    }

    [Fact]
    public async Task A_leaver_set_inactive_by_scim_has_sessions_cancelled_with_cancel_invitations_and_their_only_skill_flagged()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var (teacher, offer, learner, learnerName) = await org.OfferOfAsync("sales1");
        DateTimeOffset InDays(int days) => new(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(days).AddHours(10), TimeSpan.Zero);
        var session = await new OfferInPlay(teacher, offer, learner, "").BookAsync(InDays(3));
        // sales1 alone shares a skill nobody else knows.
        var admin = await app.ClientWithTokenAsync(org.Id, Tacit.Domain.People.Roles.Admin);
        using var skillCreated = await admin.PostAsJsonAsync("/api/skills", new SkillInput("Cold calling in Icelandic", "Sales", null, null));
        var skillId = Guid.Parse(JsonNode.Parse(await skillCreated.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        await admin.PostAsJsonAsync("/api/shares", new ShareInput(org["sales1"], skillId, 4, 2, false, 1)).ExpectAsync(HttpStatusCode.Created);
        var (_, scim) = await ScimClientFor(org.Id);
        var facilitator = await app.ClientWithTokenAsync(org.Id, Tacit.Domain.People.Roles.Facilitator);
        Assert.DoesNotContain(await facilitator.GetJsonAsync<List<SkillAtRisk>>("/api/knowledge/continuity"), s => s.SharedBy.Any(p => p.PersonId == org["sales1"]));

        await ReadAsync(await Send(scim, HttpMethod.Patch, $"/scim/v2/Users/{org["sales1"]}", Patch(Op("Replace", "active", "False"))), HttpStatusCode.OK);

        var cancelled = await InDatabase(org.Id, db => db.Sessions.SingleAsync(s => s.Id == session.Id));
        Assert.Equal(SessionStatus.Cancelled, cancelled.Status);
        var cancel = await InDatabase(org.Id, db => db.OutgoingMail.Where(m => m.ToEmail == org.Email(learnerName) && m.CalendarMethod == "CANCEL").ToListAsync());
        Assert.Contains("METHOD:CANCEL", Assert.Single(cancel).Calendar);
        var atRisk = await facilitator.GetJsonAsync<List<SkillAtRisk>>("/api/knowledge/continuity");
        var flagged = Assert.Single(atRisk, s => s.SkillId == skillId);
        Assert.Equal([org["sales1"]], flagged.SharedBy.Select(p => p.PersonId));
        // Skills others still share are not at risk.
        Assert.All(atRisk, s => Assert.DoesNotContain(s.SharedBy, p => p.PersonId != org["sales1"]));
        var page = await (await org.SignInAsync("admin")).GetStringAsync("/knowledge");
        Assert.Contains("Knowledge that left", page);
        Assert.Contains("Cold calling in Icelandic", page);
    }

    [Fact]
    public async Task Deactivating_through_the_api_follows_the_leavers_rule_too()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var (teacher, offer, learner, learnerName) = await org.OfferOfAsync("sales1");
        var session = await new OfferInPlay(teacher, offer, learner, "").BookAsync(new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(4).AddHours(10), TimeSpan.Zero));
        var admin = await app.ClientWithTokenAsync(org.Id, Tacit.Domain.People.Roles.Admin);
        await admin.DeleteAsync($"/api/people/{org[learnerName]}").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(SessionStatus.Cancelled, (await InDatabase(org.Id, db => db.Sessions.SingleAsync(s => s.Id == session.Id))).Status);
        Assert.True(await InDatabase(org.Id, db => db.OutgoingMail.AnyAsync(m => m.ToEmail == org.Email("sales1") && m.CalendarMethod == "CANCEL")));
    }

    private async Task<(Guid OrganisationId, HttpClient Client)> ScimClientAsync(string prefix)
    {
        var created = await app.CreateOrganisationAsync(prefix + "-" + Guid.NewGuid().ToString("N")[..6]);
        return await ScimClientFor(created.Organisation.Id);
    }

    private async Task<(Guid OrganisationId, HttpClient Client)> ScimClientFor(Guid organisationId)
    {
        var (_, secret) = await app.InScopeAsync(organisationId, sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(organisationId, "Entra ID", "scim"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return (organisationId, client);
    }

    private static JsonObject User(string userName, string displayName, string? externalId)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", Enterprise),
            ["userName"] = userName,
            ["displayName"] = displayName,
            ["active"] = true,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
        };
        if (externalId is not null) user["externalId"] = externalId;
        return user;
    }

    private static JsonObject Patch(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray([.. operations]),
    };

    private static JsonObject Op(string op, string? path, JsonNode? value)
    {
        var operation = new JsonObject { ["op"] = op };
        if (path is not null) operation["path"] = path;
        if (value is not null) operation["value"] = value;
        return operation;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, JsonObject? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = Json(body);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/scim+json");

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string filter) =>
        [.. (await ReadAsync(await client.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString(filter)), HttpStatusCode.OK))["Resources"]!.AsArray()
            .Select(u => u!["id"]!.GetValue<string>())];

    private Task<T> InDatabase<T>(Guid organisationId, Func<TacitDbContext, Task<T>> action) =>
        app.InScopeAsync(organisationId, sp => action(sp.GetRequiredService<TacitDbContext>()));
}

internal static class StatusAssertions
{
    public static void Should(this HttpStatusCode actual, HttpStatusCode expected) => Assert.Equal(expected, actual);
}

public sealed class ScimSqliteTests(SqliteApp app) : ScimTests(app), IClassFixture<SqliteApp>;

public sealed class ScimPostgresTests(PostgresApp app) : ScimTests(app), IClassFixture<PostgresApp>;
