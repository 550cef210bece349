using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Tests.Features.Skills;

public abstract class CatalogueTests(TacitApp app)
{
    private async Task<(HttpClient Client, Guid Admin)> AdminAsync()
    {
        var org = await app.CreateOrganisationAsync("skills-" + Guid.NewGuid().ToString("N")[..8]);
        return (await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin), org.Admin.Id);
    }

    /// <summary>The admin's API client and id, and a browser signed in as them for the pages.</summary>
    private async Task<(HttpClient Client, Guid Admin, HttpClient Browser)> AdminWithBrowserAsync()
    {
        var org = await app.CreateOrganisationAsync("skills-page-" + Guid.NewGuid().ToString("N")[..6]);
        return (await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin), org.Admin.Id,
            await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery"));
    }

    internal static async Task<Guid> IdOfAsync(HttpClient client, string name) =>
        (await client.GetJsonAsync<Page<SkillSummary>>($"/api/skills?q={Uri.EscapeDataString(name)}")).Items.Single(s => s.Name == name).Id;

    [Fact]
    public async Task A_new_organisation_starts_with_the_starter_catalogue_searchable_by_alias()
    {
        var (client, _) = await AdminAsync();
        var all = await client.GetJsonAsync<Page<SkillSummary>>("/api/skills?pageSize=200");
        Assert.InRange(all.Total, 140, 200);
        Assert.True(all.Items.Select(s => s.Category).Distinct().Count() >= 8);

        var excel = await client.GetJsonAsync<Page<SkillSummary>>("/api/skills?q=EXCEL");
        Assert.Equal("Spreadsheets", Assert.Single(excel.Items).Name);
    }

    [Fact]
    public async Task Merging_keeps_every_share_and_want_and_the_old_name_as_an_alias()
    {
        var (client, admin) = await AdminAsync();
        var bob = (await client.PostAsJsonAsync("/api/people", new { email = "bob@example.com", displayName = "Bob" }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id;
        var source = await IdOfAsync(client, "Pivot tables");
        var target = await IdOfAsync(client, "Spreadsheets");
        (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = source, level = 5, sessionsPerCycle = 3, acceptsGroups = true, maxGroupSize = 4 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = target, level = 2, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 1 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/wants", new { personId = bob, skillId = source, priority = "high", why = "reports" })).EnsureSuccessStatusCode();

        var merged = await client.PostAsync($"/api/skills/{source}/merge-into/{target}", null);

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/skills/{source}")).StatusCode);
        var share = Assert.Single((await client.GetJsonAsync<Page<ShareDto>>($"/api/shares?personId={admin}")).Items);
        Assert.Equal((target, 5, 3), (share.SkillId, share.Level, share.SessionsPerCycle));
        var want = Assert.Single((await client.GetJsonAsync<Page<WantDto>>($"/api/wants?personId={bob}")).Items);
        Assert.Equal(target, want.SkillId);
        var pivots = await client.GetJsonAsync<Page<SkillSummary>>("/api/skills?q=pivot");
        Assert.Equal("Spreadsheets", Assert.Single(pivots.Items).Name);
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
        Assert.Equal(0, (await adminClient.GetJsonAsync<Page<ShareDto>>($"/api/shares?personId={org.Admin.Id}")).Total);
    }

    [Fact]
    public async Task An_alias_belongs_to_one_skill_and_the_refusal_names_the_other_skill()
    {
        var (client, _) = await AdminAsync();
        var coaching = await IdOfAsync(client, "Coaching");

        var aliasOfAnother = await client.PutAsJsonAsync($"/api/skills/{coaching}", new { name = "Coaching", category = "Leadership", aliases = new[] { "Mentoring people", "EXCEL" } });
        var nameOfAnother = await client.PostAsJsonAsync("/api/skills", new { name = "Haggling", category = "Sales", aliases = new[] { "negotiation" } });
        var nameIsAnAlias = await client.PostAsJsonAsync("/api/skills", new { name = "Google sheets", category = "Data and analysis" });

        // The JSON itself, once for a problem: RFC 9457's "detail", and the field at fault under "errors".
        var problem = await aliasOfAnother.ReadAsync<JsonElement>(HttpStatusCode.Conflict);
        Assert.Equal("'EXCEL' is already an alias of the skill 'Spreadsheets'; an alias belongs to one skill only.", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("Aliases", out _));
        Assert.Contains("is the name of the skill 'Negotiation'", (await nameOfAnother.ReadAsync<ProblemDetails>(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        Assert.Contains("another name of the skill 'Spreadsheets'", (await nameIsAnAlias.ReadAsync<ProblemDetails>(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        var unchanged = await client.GetJsonAsync<SkillSummary>($"/api/skills/{coaching}");
        Assert.DoesNotContain("Mentoring people", unchanged.Aliases);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/skills/{coaching}", new { name = "Coaching", category = "Leadership", aliases = new[] { "Mentoring people" } })).StatusCode);
    }

    [Fact]
    public async Task The_edit_page_shows_an_alias_conflict_beside_the_field()
    {
        var (client, _, browser) = await AdminWithBrowserAsync();
        var coaching = await IdOfAsync(client, "Coaching");

        var response = await Pages.PostFormAsync(browser, $"/skills/{coaching}/edit", "skill", new Dictionary<string, string>
        {
            ["Input.Name"] = "Coaching", ["Input.Category"] = "Leadership", ["Input.Aliases"] = "Pivots", ["Input.Description"] = "",
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<p id=\"aliases-error\" class=\"validation-message\">&#x27;Pivots&#x27; is already an alias of the skill &#x27;Pivot tables&#x27;", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"aliases-hint aliases-error\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalogue_shows_how_many_people_want_each_skill_beside_how_many_share_it()
    {
        var (client, admin, browser) = await AdminWithBrowserAsync();
        var people = new List<Guid>();
        foreach (var name in new[] { "ann", "ben" })
            people.Add((await client.PostAsJsonAsync("/api/people", new { email = $"{name}@example.com", displayName = name }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id);
        var skill = await IdOfAsync(client, "Negotiation");
        foreach (var person in people) (await client.PostAsJsonAsync("/api/wants", new { personId = person, skillId = skill, priority = "high" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = skill, level = 4, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 2 })).EnsureSuccessStatusCode();

        var html = await browser.GetStringAsync("/skills?q=Negotiation");

        Assert.Contains("<th scope=\"col\">Wanted by</th>", html, StringComparison.Ordinal);
        Assert.Contains("1 <span class=\"visually-hidden\">person shares Negotiation</span>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Wanted by\">2 <span class=\"visually-hidden\">people want to learn Negotiation</span></td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_merge_page_asks_once_saying_what_moves_before_merging()
    {
        var (client, admin, browser) = await AdminWithBrowserAsync();
        var pivots = await IdOfAsync(client, "Pivot tables");
        (await client.PostAsJsonAsync("/api/shares", new { personId = admin, skillId = pivots, level = 3, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 2 })).EnsureSuccessStatusCode();
        var fields = new Dictionary<string, string> { ["Input.Source"] = "Pivot tables", ["Input.Target"] = "Spreadsheets" };

        var asked = await (await Pages.PostFormAsync(browser, "/skills/merge", "merge", fields)).Content.ReadAsStringAsync();

        Assert.Contains("Merge Pivot tables into Spreadsheets?", asked, StringComparison.Ordinal);
        Assert.Contains("1 share and 0 wants move to Spreadsheets", asked, StringComparison.Ordinal);
        Assert.Contains(">Yes, merge</button>", asked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/skills/{pivots}")).StatusCode);

        var merged = await (await Pages.PostFormAsync(browser, "/skills/merge", "merge", new Dictionary<string, string>(fields) { ["Input.Confirmed"] = "true" })).Content.ReadAsStringAsync();

        Assert.Contains("Pivot tables is merged into Spreadsheets.", merged, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/skills/{pivots}")).StatusCode);
    }
}

public sealed class CatalogueSqliteTests(SqliteApp app) : CatalogueTests(app), IClassFixture<SqliteApp>;

public sealed class CataloguePostgresTests(PostgresApp app) : CatalogueTests(app), IClassFixture<PostgresApp>;
