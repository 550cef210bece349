using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tacit.Domain.People;
using Tacit.Web.Tests.Infrastructure;

namespace Tacit.Web.Tests.Features.Skills;

public abstract class CatalogueTests(TacitApp app)
{
    private async Task<(HttpClient Client, Guid Admin)> AdminAsync()
    {
        var org = await app.CreateOrganisationAsync("skills-" + Guid.NewGuid().ToString("N")[..8]);
        return (await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin), org.Admin.Id);
    }

    private static async Task<Guid> IdOfAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/skills?q={Uri.EscapeDataString(name)}")).GetProperty("items").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_new_organisation_starts_with_the_starter_catalogue_searchable_by_alias()
    {
        var (client, _) = await AdminAsync();
        var all = await client.GetFromJsonAsync<JsonElement>("/api/skills?pageSize=200");
        Assert.InRange(all.GetProperty("total").GetInt32(), 140, 200);
        Assert.True(all.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("category").GetString()).Distinct().Count() >= 8);

        var excel = await client.GetFromJsonAsync<JsonElement>("/api/skills?q=EXCEL");
        Assert.Equal("Spreadsheets", Assert.Single(excel.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Merging_keeps_every_share_and_want_and_the_old_name_as_an_alias()
    {
        var (client, admin) = await AdminAsync();
        var bob = (await (await client.PostAsJsonAsync("/api/people", new { email = "bob@example.com", displayName = "Bob" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var source = await IdOfAsync(client, "Pivot tables");
        var target = await IdOfAsync(client, "Spreadsheets");
        (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = source, level = 5, sessionsPerCycle = 3, acceptsGroups = true, maxGroupSize = 4 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = target, level = 2, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 1 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/wants", new { personId = bob, skillId = source, priority = "high", why = "reports" })).EnsureSuccessStatusCode();

        var merged = await client.PostAsync($"/api/skills/{source}/merge-into/{target}", null);

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/skills/{source}")).StatusCode);
        var share = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/shares?personId={admin}")).GetProperty("items").EnumerateArray());
        Assert.Equal((target, 5, 3), (share.GetProperty("skillId").GetGuid(), share.GetProperty("level").GetInt32(), share.GetProperty("sessionsPerCycle").GetInt32()));
        var want = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/wants?personId={bob}")).GetProperty("items").EnumerateArray());
        Assert.Equal(target, want.GetProperty("skillId").GetGuid());
        var pivots = await client.GetFromJsonAsync<JsonElement>("/api/skills?q=pivot");
        Assert.Equal("Spreadsheets", Assert.Single(pivots.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_skill_in_use_cannot_be_deleted_and_duplicates_are_refused()
    {
        var (client, admin) = await AdminAsync();
        var skill = await IdOfAsync(client, "Negotiation");
        (await client.PostAsJsonAsync("/api/wants", new { personId = admin, skillId = skill, priority = "low" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"/api/skills/{skill}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/skills/{skill}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/skills", new { name = "negotiation", category = "Sales" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/wants", new { personId = admin, skillId = skill, priority = "high" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsJsonAsync("/api/wants", new { personId = admin, skillId = skill, priority = "urgent" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = skill, level = 6, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 1 })).StatusCode);
    }

    [Fact]
    public async Task A_duplicate_that_slips_past_the_checks_is_a_conflict_not_a_crash()
    {
        var org = await app.CreateOrganisationAsync("skills-race-" + Guid.NewGuid().ToString("N")[..6]);
        // What two simultaneous requests would do: both checked, both insert the same name.
        var error = await Assert.ThrowsAsync<Tacit.Domain.ConflictException>(() => app.InScopeAsync(org.Organisation.Id, async sp =>
        {
            var db = sp.GetRequiredService<Tacit.Web.Data.TacitDbContext>();
            db.Skills.Add(new Tacit.Domain.Skills.Skill(org.Organisation.Id, "Coaching", "Leadership", null, DateTimeOffset.UnixEpoch));
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("at the same moment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_changes_only_their_own_skills()
    {
        var org = await app.CreateOrganisationAsync("skills-own-" + Guid.NewGuid().ToString("N")[..6]);
        var adminClient = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var memberToken = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Member);
        var skill = await IdOfAsync(adminClient, "Coaching");

        var response = await memberToken.PostAsJsonAsync("/api/shares", new { personId = org.Admin.Id, skillId = skill, level = 3, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, (await adminClient.GetFromJsonAsync<JsonElement>($"/api/shares?personId={org.Admin.Id}")).GetProperty("total").GetInt32());
    }
}

public sealed class CatalogueSqliteTests(SqliteApp app) : CatalogueTests(app), IClassFixture<SqliteApp>;

public sealed class CataloguePostgresTests(PostgresApp app) : CatalogueTests(app), IClassFixture<PostgresApp>;
