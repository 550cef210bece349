using System.Text.Json;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Api;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Tests.Features.Skills;

/// <summary>Members suggest missing skills; admins approve, rename and approve, merge or reject; each organisation its own.</summary>
public abstract class SkillSuggestionsTests(TacitApp app)
{
    private sealed record Scenario(Guid Org, HttpClient Admin, Guid Member, CreatedOrganisationAdmin Owner);

    private sealed record CreatedOrganisationAdmin(string Email, Guid Id);

    private async Task<Scenario> ScenarioAsync()
    {
        var org = await app.CreateOrganisationAsync("suggest-" + Guid.NewGuid().ToString("N")[..8]);
        var admin = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var member = (await admin.PostAsJsonAsync("/api/people", new { email = "mo@example.com", displayName = "Mo" }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id;
        return new Scenario(org.Organisation.Id, admin, member, new CreatedOrganisationAdmin(org.AdminUser.Email!, org.Admin.Id));
    }

    private Task<SkillSuggestion> SuggestAsync(Scenario s, string name, string? category = null, string? description = null) =>
        app.InScopeAsync(s.Org, sp => sp.GetRequiredService<SkillSuggestions>().SuggestAsync(s.Member, new SuggestionInput(name, category, description)));

    private Task<List<string>> NotificationsAsync(Scenario s) => app.InScopeAsync(s.Org, sp =>
        sp.GetRequiredService<TacitDbContext>().Notifications.Where(n => n.PersonId == s.Member).Select(n => n.Text).ToListAsync());

    private static async Task<IReadOnlyList<SkillSummary>> SearchAsync(HttpClient client, string q) =>
        (await client.GetJsonAsync<Page<SkillSummary>>($"/api/skills?q={Uri.EscapeDataString(q)}")).Items;

    [Fact]
    public async Task A_suggestion_stays_out_of_the_catalogue_until_approved_and_its_author_is_told()
    {
        var s = await ScenarioAsync();
        var suggestion = await SuggestAsync(s, "Kubernetes operations", description: "Running clusters");

        Assert.Empty(await SearchAsync(s.Admin, "Kubernetes"));
        var listed = Assert.Single(await s.Admin.GetJsonAsync<List<SuggestionDto>>("/api/skills/suggestions"));
        Assert.Equal(("Kubernetes operations", "Mo"), (listed.Name, listed.SuggestedByName));
        // The JSON itself, once for a suggestion: its status is written as a camelCase name.
        Assert.Equal("pending", (await s.Admin.GetJsonAsync<JsonElement>($"/api/skills/suggestions/{suggestion.Id}")).GetProperty("status").GetString());

        var noCategory = await s.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/approve", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noCategory.StatusCode);
        Assert.Contains("Category is required.", await noCategory.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var approved = await s.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/approve", new { category = "Engineering" });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var skill = Assert.Single(await SearchAsync(s.Admin, "Kubernetes"));
        Assert.Equal(("Kubernetes operations", "Engineering", "Running clusters"), (skill.Name, skill.Category, skill.Description));
        Assert.Empty(await s.Admin.GetJsonAsync<List<SuggestionDto>>("/api/skills/suggestions"));
        Assert.Equal(["Your suggestion 'Kubernetes operations' is now in the skill catalogue."], await NotificationsAsync(s));
        var again = await s.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/approve", new { category = "Engineering" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task An_admin_can_rename_a_suggestion_as_they_approve_it()
    {
        var s = await ScenarioAsync();
        var suggestion = await SuggestAsync(s, "k8s stuff", "Engineering");

        var approved = await s.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/approve", new { name = "Kubernetes" });

        Assert.Equal("Kubernetes", (await approved.ReadAsync<SkillSummary>(HttpStatusCode.OK)).Name);
        Assert.Empty(await SearchAsync(s.Admin, "k8s stuff"));
        var decided = await s.Admin.GetJsonAsync<SuggestionDto>($"/api/skills/suggestions/{suggestion.Id}");
        Assert.Equal((SuggestionStatus.Approved, await CatalogueTests.IdOfAsync(s.Admin, "Kubernetes")), (decided.Status, decided.SkillId));
        Assert.Equal(["Your suggestion 'k8s stuff' is now in the skill catalogue as 'Kubernetes'."], await NotificationsAsync(s));
    }

    [Fact]
    public async Task A_rejected_suggestion_never_reaches_the_catalogue_and_its_author_reads_why()
    {
        var s = await ScenarioAsync();
        var suggestion = await SuggestAsync(s, "Juggling", "Hobbies");

        var rejected = await s.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/reject", new { reason = "Not a work skill." });

        Assert.Equal(HttpStatusCode.NoContent, rejected.StatusCode);
        Assert.Empty(await SearchAsync(s.Admin, "Juggling"));
        Assert.Equal(["Your suggestion 'Juggling' was not added to the skill catalogue: Not a work skill."], await NotificationsAsync(s));
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/reject", new { })).StatusCode);
    }

    [Fact]
    public async Task A_suggestion_merged_into_a_skill_becomes_another_name_of_it()
    {
        var s = await ScenarioAsync();
        var suggestion = await SuggestAsync(s, "Sheets wizardry");
        var spreadsheets = await CatalogueTests.IdOfAsync(s.Admin, "Spreadsheets");

        var merged = await s.Admin.PostAsync($"/api/skills/suggestions/{suggestion.Id}/merge-into/{spreadsheets}", null);

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal("Spreadsheets", Assert.Single(await SearchAsync(s.Admin, "wizardry")).Name);
        Assert.Equal(["Your suggestion 'Sheets wizardry' is in the skill catalogue as another name of 'Spreadsheets'."], await NotificationsAsync(s));
        Assert.Equal(SuggestionStatus.Merged, (await s.Admin.GetJsonAsync<SuggestionDto>($"/api/skills/suggestions/{suggestion.Id}")).Status);
    }

    [Fact]
    public async Task A_name_the_catalogue_has_or_a_pending_suggestion_has_is_refused_naming_the_skill()
    {
        var s = await ScenarioAsync();

        var alias = await Assert.ThrowsAsync<ConflictException>(() => SuggestAsync(s, "excel"));
        Assert.Equal("The catalogue already has 'excel' as another name of 'Spreadsheets': pick that from the suggestions.", alias.Message);
        Assert.Equal("Name", alias.Field);
        await SuggestAsync(s, "Origami");
        var twice = await Assert.ThrowsAsync<ConflictException>(() => SuggestAsync(s, "ORIGAMI"));
        Assert.Contains("already suggested", twice.Message, StringComparison.Ordinal);
        Assert.Equal("Skill name is required.", (await Assert.ThrowsAsync<DomainException>(() => SuggestAsync(s, " "))).Message);
    }

    [Fact]
    public async Task Another_organisation_can_neither_see_nor_decide_a_suggestion()
    {
        var s = await ScenarioAsync();
        var other = await ScenarioAsync();
        var suggestion = await SuggestAsync(s, "Beekeeping", "Hobbies");
        var theirSkill = await CatalogueTests.IdOfAsync(other.Admin, "Spreadsheets");

        Assert.Empty(await other.Admin.GetJsonAsync<List<SuggestionDto>>("/api/skills/suggestions"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.GetAsync($"/api/skills/suggestions/{suggestion.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/reject", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.PostAsync($"/api/skills/suggestions/{suggestion.Id}/merge-into/{theirSkill}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.PostAsync($"/api/skills/suggestions/{suggestion.Id}/merge-into/{theirSkill}", null)).StatusCode);
        var page = await Pages.SignedInClientAsync(app, other.Owner.Email, "correct-horse-battery");
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync($"/skills/suggestions/{suggestion.Id}")).StatusCode);
        Assert.DoesNotContain("Beekeeping", await page.GetStringAsync("/skills"), StringComparison.Ordinal);
        Assert.Equal(SuggestionStatus.Pending, (await s.Admin.GetJsonAsync<SuggestionDto>($"/api/skills/suggestions/{suggestion.Id}")).Status);
    }

    [Fact]
    public async Task Suggesting_needs_a_person_and_deciding_needs_an_admin()
    {
        var s = await ScenarioAsync();
        var member = await app.ClientWithTokenAsync(s.Org, Roles.Member);
        var suggestion = await SuggestAsync(s, "Calligraphy", "Hobbies");

        Assert.Equal(HttpStatusCode.Forbidden, (await s.Admin.PostAsJsonAsync("/api/skills/suggestions", new { name = "Pottery" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/skills/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync($"/api/skills/suggestions/{suggestion.Id}/approve", new { })).StatusCode);
        var browser = await Pages.SignedInClientAsync(app, s.Owner.Email, "correct-horse-battery");
        var created = await browser.PostAsJsonAsync("/api/skills/suggestions", new { name = "Pottery", category = "Hobbies" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (await browser.GetJsonAsync<List<SuggestionDto>>("/api/skills/suggestions")).Count);
    }

    [Fact]
    public async Task On_the_pages_a_member_suggests_and_an_admin_reviews_from_the_catalogue()
    {
        var s = await ScenarioAsync();
        var browser = await Pages.SignedInClientAsync(app, s.Owner.Email, "correct-horse-battery");

        var refused = await Pages.PostFormAsync(browser, "/skills", "suggest", new Dictionary<string, string> { ["Suggest.Name"] = "Google Sheets" });
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<p id=\"suggest-name-error\" class=\"validation-message\">The catalogue already has &#x27;Google Sheets&#x27;", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"suggest-name-error\"", refusedHtml, StringComparison.Ordinal);

        var done = await Pages.PostFormAsync(browser, "/skills", "suggest", new Dictionary<string, string> { ["Suggest.Name"] = "Origami", ["Suggest.Category"] = "Hobbies" });
        var html = await done.Content.ReadAsStringAsync();
        Assert.Contains("is suggested. An admin will add it", html, StringComparison.Ordinal);
        Assert.Contains("Suggestions waiting for a decision (1)", html, StringComparison.Ordinal);
        var id = (await s.Admin.GetJsonAsync<List<SuggestionDto>>("/api/skills/suggestions"))[0].Id;
        Assert.Contains($"href=\"/skills/suggestions/{id}\"", html, StringComparison.Ordinal);

        var merge = await Pages.PostFormAsync(browser, $"/skills/suggestions/{id}", "merge-suggestion", new Dictionary<string, string> { ["Merge.Skill"] = "Nowhere" });
        Assert.Contains("<p id=\"merge-skill-error\" class=\"validation-message\">There is no skill called", await merge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var approved = await Pages.PostFormAsync(browser, $"/skills/suggestions/{id}", "approve",
            new Dictionary<string, string> { ["Approve.Name"] = "Paper folding", ["Approve.Category"] = "Hobbies", ["Approve.Description"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var (_, after) = await Pages.GetAsync(browser, Pages.PathOf(approved.Headers.Location));
        Assert.Contains("The suggestion &#x27;Origami&#x27;: added to the catalogue.", after, StringComparison.Ordinal);
        Assert.Contains("Suggestions waiting for a decision (0)", after, StringComparison.Ordinal);
        Assert.Single(await SearchAsync(s.Admin, "Paper folding"));
    }
}

public sealed class SkillSuggestionsSqliteTests(SqliteApp app) : SkillSuggestionsTests(app), IClassFixture<SqliteApp>;

public sealed class SkillSuggestionsPostgresTests(PostgresApp app) : SkillSuggestionsTests(app), IClassFixture<PostgresApp>;
