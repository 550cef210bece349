using Microsoft.AspNetCore.Http;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Tests.Features.People;

public abstract class PeopleApiTests(TacitApp app)
{
    private static object NewPerson(string email, int level = 4, string name = "Grace Hopper") =>
        new { email, displayName = name, jobTitle = "Engineer", department = "Engineering", authorityLevel = level, timeZone = "Europe/London" };

    [Fact]
    public async Task Admin_token_creates_reads_updates_and_deactivates_a_person()
    {
        var org = await app.CreateOrganisationAsync("people-crud-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);

        var id = (await client.PostAsJsonAsync("/api/people", NewPerson("grace@example.com")).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id;

        var fetched = await client.GetJsonAsync<PersonDto>($"/api/people/{id}");
        Assert.Equal("Grace Hopper", fetched.DisplayName);
        Assert.Equal(4, fetched.AuthorityLevel);

        var after = await client.PutAsJsonAsync($"/api/people/{id}", new
        {
            email = "grace@example.com", displayName = "Grace B. Hopper", authorityLevel = 6, department = "Research",
            managerId = org.Admin.Id, roles = new[] { "Facilitator" },
        }).ReadAsync<PersonDto>(HttpStatusCode.OK);
        Assert.Equal("Research", after.Department);
        Assert.Equal(org.Admin.Id, after.ManagerId);
        Assert.Contains("Facilitator", after.Roles);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/people/{id}")).StatusCode);
        var deactivated = await client.GetJsonAsync<PersonDto>($"/api/people/{id}");
        Assert.False(deactivated.IsActive);
        Assert.Equal("Grace B. Hopper", deactivated.DisplayName);
    }

    [Fact]
    public async Task Search_matches_the_beginnings_of_words_in_names_titles_and_emails()
    {
        var org = await app.CreateOrganisationAsync("people-words-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        foreach (var (email, name, title) in new[] { ("ben@example.com", "Ben Saunders", "Analyst"), ("reuben@example.com", "Reuben Lee", "Benefits adviser"), ("sam@example.com", "Sam O'Brien", "Engineer") })
            (await client.PostAsJsonAsync("/api/people", new { email, displayName = name, jobTitle = title })).EnsureSuccessStatusCode();

        async Task<string[]> Find(string q) =>
            [.. (await client.GetJsonAsync<Page<PersonSummary>>($"/api/people?q={Uri.EscapeDataString(q)}")).Items.Select(p => p.DisplayName).Order()];
        Assert.Equal(["Ben Saunders", "Reuben Lee"], await Find("ben"));   // Ben by name, Reuben by "Benefits"
        Assert.Equal(["Ben Saunders"], await Find("BEN sa"));
        Assert.Equal(["Sam O'Brien"], await Find("brien"));
        Assert.Equal(["Reuben Lee"], await Find("reuben@exa"));
        Assert.Empty(await Find("euben"));

        // Deactivated people leave the search at once.
        var reuben = (await client.GetJsonAsync<Page<PersonSummary>>("/api/people?q=reuben")).Items[0].Id;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/people/{reuben}")).StatusCode);
        Assert.Equal(["Ben Saunders"], await Find("ben"));
    }

    [Fact]
    public async Task Another_instance_on_the_same_database_finds_every_change_within_a_second()
    {
        var org = await app.CreateOrganisationAsync("people-fresh-" + Guid.NewGuid().ToString("N")[..6]);
        await using var other = app.AnotherInstance(runsReminders: false);
        var here = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var there = await other.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        async Task<string[]> FindThere(string q) =>
            [.. (await there.GetJsonAsync<Page<PersonSummary>>($"/api/people?q={q}")).Items.Select(p => p.DisplayName)];
        // The other instance's directory catches up within a second (DirectoryIndex.FreshFor); allow a few on a busy machine.
        async Task<string[]> FindThereOnceChanged(string q, string[] before)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var found = await FindThere(q);
            while (found.SequenceEqual(before) && clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(100);
                found = await FindThere(q);
            }
            return found;
        }
        Assert.Empty(await FindThere("grace"));   // the other instance now holds this organisation's directory

        var id = (await here.PostAsJsonAsync("/api/people", NewPerson("grace@example.com")).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id;
        Assert.Equal(["Grace Hopper"], await FindThereOnceChanged("grace", []));

        (await here.PutAsJsonAsync($"/api/people/{id}", new { email = "ada@example.com", displayName = "Ada Lovelace", department = "Research" })).EnsureSuccessStatusCode();
        Assert.Empty(await FindThereOnceChanged("grace", ["Grace Hopper"]));
        Assert.Equal(["Ada Lovelace"], await FindThere("ada"));
        Assert.Equal(1, (await there.GetJsonAsync<Page<PersonSummary>>("/api/people?department=Research")).Total);

        Assert.Equal(HttpStatusCode.NoContent, (await here.DeleteAsync($"/api/people/{id}")).StatusCode);
        Assert.Empty(await FindThereOnceChanged("ada", ["Ada Lovelace"]));
        Assert.Equal(["Ada Lovelace"], await FindThere("ada&includeInactive=true"));
    }

    [Fact]
    public async Task A_change_saved_in_a_transaction_is_searchable_as_soon_as_it_commits()
    {
        var org = await app.CreateOrganisationAsync("people-commit-" + Guid.NewGuid().ToString("N")[..6]);
        var organisationId = org.Organisation.Id;
        Task<int> Found(string q) => app.InScopeAsync(organisationId, async sp =>
        {
            var db = sp.GetRequiredService<Tacit.Web.Data.TacitDbContext>();
            var directory = await sp.GetRequiredService<Tacit.Web.Features.People.DirectoryIndex>().CurrentAsync(db);
            return directory.Search(new Tacit.Web.Features.People.DirectorySearch(q, null, null, false), 0, 10).Total;
        });
        Assert.Equal(0, await Found("grace"));

        await app.InScopeAsync(organisationId, async sp =>
        {
            var db = sp.GetRequiredService<Tacit.Web.Data.TacitDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.People.Add(new Person(organisationId, "grace@example.com", "Grace Hopper", sp.GetRequiredService<TimeProvider>().GetUtcNow()));
            await db.SaveChangesAsync();
            // A search on this instance between the save and the commit cannot see the person yet...
            Assert.Equal(0, await Found("grace"));
            await transaction.CommitAsync();
            return 0;
        });
        // ...and the next one, still within DirectoryIndex.FreshFor, must not keep that answer.
        Assert.Equal(1, await Found("grace"));
    }

    [Fact]
    public async Task Profile_page_shows_manager_shares_wants_and_active_reports_in_order()
    {
        var org = await app.CreateOrganisationAsync("people-profile-" + Guid.NewGuid().ToString("N")[..6]);
        var api = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        async Task<Guid> Add(string email, string name, Guid? manager)
        {
            return (await api.PostAsJsonAsync("/api/people", new { email, displayName = name, managerId = manager }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id;
        }
        var lead = await Add("lead@example.com", "Lena Lead", org.Admin.Id);
        await Add("zoe@example.com", "Zoe Report", lead);
        await Add("amy@example.com", "Amy Report", lead);
        var gone = await Add("gus@example.com", "Gus Gone", lead);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/people/{gone}")).StatusCode);
        async Task<Guid> Skill(string q) => (await api.GetJsonAsync<Page<SkillSummary>>($"/api/skills?q={q}")).Items[0].Id;
        (await api.PostAsJsonAsync("/api/shares", new { personId = lead, skillId = await Skill("excel"), level = 4, sessionsPerCycle = 2, acceptsGroups = true, maxGroupSize = 3 })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/wants", new { personId = lead, skillId = await Skill("negotiation"), priority = "low" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/wants", new { personId = lead, skillId = await Skill("public speaking"), priority = "high" })).EnsureSuccessStatusCode();

        var browser = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");
        var (status, html) = await Pages.GetAsync(browser, $"/people/{lead}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"/people/{org.Admin.Id}", html, StringComparison.Ordinal);   // the manager's link
        Assert.Contains("Spreadsheets", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("Public speaking", StringComparison.Ordinal) < html.IndexOf("Negotiation", StringComparison.Ordinal), "high priority first");
        Assert.True(html.IndexOf("Amy Report", StringComparison.Ordinal) is var amy and > 0 && amy < html.IndexOf("Zoe Report", StringComparison.Ordinal), "reports in name order");
        Assert.DoesNotContain("Gus Gone", html, StringComparison.Ordinal);

        var (_, someoneNew) = await Pages.GetAsync(browser, $"/people/{gone}");
        Assert.Contains("Gus Gone", someoneNew, StringComparison.Ordinal);
        Assert.DoesNotContain("reports-heading", someoneNew, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_is_paged_and_filtered_by_name_department_and_skill()
    {
        var org = await app.CreateOrganisationAsync("people-list-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        for (var i = 0; i < 12; i++)
            (await client.PostAsJsonAsync("/api/people", new { email = $"p{i}@example.com", displayName = $"Person {i:00}", department = i % 2 == 0 ? "Sales" : "Finance" })).EnsureSuccessStatusCode();

        var page = await client.GetJsonAsync<Page<PersonSummary>>("/api/people?department=Sales&pageSize=4&page=2");
        Assert.Equal(6, page.Total);
        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, p => Assert.Equal("Sales", p.Department));

        var secondPage = await client.GetJsonAsync<Page<PersonSummary>>("/api/people?q=pers&pageSize=5&page=2");
        Assert.Equal(12, secondPage.Total);
        Assert.Equal(["Person 05", "Person 06", "Person 07", "Person 08", "Person 09"], secondPage.Items.Select(p => p.DisplayName));

        var byName = await client.GetJsonAsync<Page<PersonSummary>>("/api/people?q=person%2007");
        Assert.Equal("Person 07", Assert.Single(byName.Items).DisplayName);

        var spreadsheets = Assert.Single((await client.GetJsonAsync<Page<SkillSummary>>("/api/skills?q=excel")).Items);
        Assert.Equal("Spreadsheets", spreadsheets.Name);
        var p3 = (await client.GetJsonAsync<Page<PersonSummary>>("/api/people?q=person%2003")).Items[0].Id;
        (await client.PostAsJsonAsync("/api/shares", new { personId = p3, skillId = spreadsheets.Id, level = 4, sessionsPerCycle = 2, acceptsGroups = false, maxGroupSize = 1 })).EnsureSuccessStatusCode();
        var sharers = await client.GetJsonAsync<Page<PersonSummary>>($"/api/people?skillId={spreadsheets.Id}");
        Assert.Equal(p3, Assert.Single(sharers.Items).Id);
    }

    [Theory]
    [InlineData(11, "Grace", "AuthorityLevel")]
    [InlineData(5, "", "DisplayName")]
    public async Task Bad_input_gets_a_problem_and_stores_nothing(int level, string name, string field)
    {
        var org = await app.CreateOrganisationAsync("people-bad-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);

        var response = await client.PostAsJsonAsync("/api/people", NewPerson("bad@example.com", level, name));

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadAsync<HttpValidationProblemDetails>(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(field, problem.Errors.Keys);
        Assert.Equal(0, (await client.GetJsonAsync<Page<PersonSummary>>("/api/people?q=bad@example.com")).Total);
    }

    [Fact]
    public async Task Overlong_fields_malformed_json_and_unknown_ids_are_client_errors()
    {
        var org = await app.CreateOrganisationAsync("people-err-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);

        var overlong = await client.PostAsJsonAsync("/api/people", new { email = "long@example.com", displayName = new string('x', 500) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, overlong.StatusCode);
        var malformed = await client.PostAsync("/api/people", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/people/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/people/{Guid.NewGuid()}", NewPerson("x@example.com"))).StatusCode);
        var duplicate = await client.PostAsJsonAsync("/api/people", NewPerson(org.Admin.Email));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task Member_token_reads_but_cannot_change_people_and_no_token_is_refused()
    {
        var org = await app.CreateOrganisationAsync("people-auth-" + Guid.NewGuid().ToString("N")[..6]);
        var member = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Member);

        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/api/people")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync("/api/people", NewPerson("m@example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.DeleteAsync($"/api/people/{org.Admin.Id}")).StatusCode);

        // A 401 names the scheme it wants (RFC 9110), and says when a token was refused (RFC 6750).
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var noCredentials = await anonymous.GetAsync("/api/people");
        Assert.Equal(HttpStatusCode.Unauthorized, noCredentials.StatusCode);
        Assert.Equal("Bearer realm=\"Tacit\"", noCredentials.Headers.WwwAuthenticate.ToString());
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "tacit_" + new string('0', 64));
        var badToken = await anonymous.GetAsync("/api/people");
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal("Bearer realm=\"Tacit\", error=\"invalid_token\"", badToken.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_revoked_token_stops_working()
    {
        var org = await app.CreateOrganisationAsync("people-rev-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/people")).StatusCode);

        await app.InScopeAsync(org.Organisation.Id, async sp =>
        {
            var tokens = sp.GetRequiredService<Tacit.Web.Features.Settings.ApiTokenService>();
            foreach (var t in await tokens.ListAsync()) await tokens.RevokeAsync(t.Id);
            return 0;
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/people")).StatusCode);
    }

    [Fact]
    public async Task Absurd_page_numbers_are_an_empty_page_not_an_error()
    {
        var org = await app.CreateOrganisationAsync("people-page-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Member);
        var page = await client.GetJsonAsync<Page<PersonSummary>>("/api/people?page=2000000000&pageSize=200");
        Assert.Empty(page.Items);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task Manager_that_would_close_a_reporting_loop_is_refused()
    {
        var org = await app.CreateOrganisationAsync("people-loop-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin);
        var report = await client.PostAsJsonAsync("/api/people", new { email = "r@example.com", displayName = "Report", managerId = org.Admin.Id }).ReadAsync<PersonDto>(HttpStatusCode.Created);

        var response = await client.PutAsJsonAsync($"/api/people/{org.Admin.Id}", new
        {
            email = org.Admin.Email, displayName = org.Admin.DisplayName, managerId = report.Id, roles = new[] { "Admin", "Facilitator" },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Null((await client.GetJsonAsync<PersonDto>($"/api/people/{org.Admin.Id}")).ManagerId);
    }
}

public sealed class PeopleApiSqliteTests(SqliteApp app) : PeopleApiTests(app), IClassFixture<SqliteApp>;

public sealed class PeopleApiPostgresTests(PostgresApp app) : PeopleApiTests(app), IClassFixture<PostgresApp>;
