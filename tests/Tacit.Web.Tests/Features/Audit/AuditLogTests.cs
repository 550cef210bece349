using System.Text.Json.Nodes;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Audit;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.Audit;

/// <summary>What admins and facilitators do is logged with who and when, for admins only, and is never changed.</summary>
public abstract class AuditLogTests(TacitApp app)
{
    [Fact]
    public async Task Role_changes_publishes_and_tokens_are_logged_with_who_and_the_log_is_append_only()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        var person = await admin.GetJsonAsync<PersonDto>($"/api/people/{org["sam"]}");
        await admin.PutAsJsonAsync($"/api/people/{person.Id}", new
        {
            email = person.Email, displayName = person.DisplayName, jobTitle = person.JobTitle, department = person.Department,
            authorityLevel = person.AuthorityLevel, managerId = person.ManagerId, location = person.Location, timeZone = person.TimeZone, bio = person.Bio,
            roles = new[] { "member", "facilitator" },
        }).ExpectAsync(HttpStatusCode.OK);

        var log = await admin.GetJsonAsync<Page<AuditEntryDto>>("/api/audit");
        var roles = Assert.Single(log.Items, e => e.Action == "person.roles-changed");
        Assert.Equal((person.DisplayName, "Member → Member, Facilitator", "API token “test”"), (roles.Subject, roles.Details, roles.Actor));
        Assert.Contains(log.Items, e => e.Action == "token.created");
        Assert.Contains(log.Items, e => e.Action == "cycle.published");
        Assert.Equal(log.Items.OrderByDescending(e => e.At).Select(e => e.At), log.Items.Select(e => e.At));

        var csv = await (await admin.GetAsync("/api/audit?format=csv")).Content.ReadAsStringAsync();
        Assert.StartsWith("at,actor,action,subject,details", csv, StringComparison.Ordinal);
        Assert.Contains("person.roles-changed", csv, StringComparison.Ordinal);

        // Admins only; and an entry is never changed or removed, whatever the code that tries.
        var facilitator = await app.ClientWithTokenAsync(org.Id, Roles.Facilitator);
        Assert.Equal(HttpStatusCode.Forbidden, (await facilitator.GetAsync("/api/audit")).StatusCode);
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync());
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            return 0;
        });
        var browser = await Pages.SignedInClientAsync(app, org.Email("fiona"), CycleScenario.Password);
        using var refused = await browser.GetAsync("/settings/audit");
        Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
        Assert.StartsWith("/forbidden", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Added_people_email_changes_invitations_renames_and_cycle_changes_steps_questions_and_pair_rules_are_logged()
    {
        var created = await app.CreateOrganisationAsync("audit-c-" + Guid.NewGuid().ToString("N")[..6]);
        var scenario = new CycleScenario(app.Services, created.Organisation.Id)
            .Person("ada", "Sales").Shares("ada", "Negotiation").Person("bob", "Finance").Wants("bob", "Negotiation");
        var people = await scenario.SeedAsync();
        var mapped = await scenario.CycleAsync(Tacit.Domain.Cycles.CycleState.Mapped, "Mapped");
        var admin = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Admin);
        var started = TimeProvider.System.GetUtcNow();

        var ann = await admin.PostAsJsonAsync("/api/people", new { email = "ann@audit.example", displayName = "Ann Audit" }).ReadAsync<PersonDto>(HttpStatusCode.Created);
        await admin.PutAsJsonAsync($"/api/people/{ann.Id}", new { email = "ann.new@audit.example", displayName = "Ann Audit" }).ExpectAsync(HttpStatusCode.OK);
        await admin.PutAsJsonAsync($"/api/people/{created.Admin.Id}", new
        {
            email = "boss.new@audit.example", displayName = created.Admin.DisplayName, roles = new[] { "admin", "facilitator" },
        }).ExpectAsync(HttpStatusCode.OK);
        var browser = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");
        (await Pages.PostFormAsync(browser, $"/people/{ann.Id}", "invite", new Dictionary<string, string>())).EnsureSuccessStatusCode();
        (await Pages.PostFormAsync(browser, "/settings", "organisation", new Dictionary<string, string> { ["Organisation.Name"] = "Renamed Ltd" })).EnsureSuccessStatusCode();

        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var cycle = await admin.PostAsJsonAsync("/api/cycles", new { name = "Autumn", intakeOpens = today.AddDays(1), intakeCloses = today.AddDays(10), matchingDate = today.AddDays(11) })
            .ReadAsync<Tacit.Web.Features.Cycles.CycleDto>(HttpStatusCode.Created);
        await admin.PutAsJsonAsync($"/api/cycles/{cycle.Id}", new { name = "Autumn", intakeOpens = today.AddDays(2), intakeCloses = today.AddDays(12), matchingDate = today.AddDays(13) })
            .ExpectAsync(HttpStatusCode.OK);
        var question = await admin.PostAsJsonAsync($"/api/cycles/{cycle.Id}/questions", new { text = "Is this useful?", kind = "singleChoice", options = new[] { "Yes", "No" } })
            .ReadAsync<Tacit.Web.Features.Cycles.QuestionDto>(HttpStatusCode.Created);
        await admin.DeleteAsync($"/api/cycles/{cycle.Id}/questions/{question.Id}").ExpectAsync(HttpStatusCode.NoContent);
        await admin.PostAsync($"/api/cycles/{cycle.Id}/start-enrolment", null).ExpectAsync(HttpStatusCode.OK);
        var rule = await admin.PostAsJsonAsync($"/api/cycles/{mapped}/pair-rules",
            new { learnerEmail = people.Email("bob"), teacherEmail = people.Email("ada"), skill = "Negotiation", kind = "pin" }).ReadAsync<JsonObject>(HttpStatusCode.Created);
        await admin.DeleteAsync($"/api/cycles/{mapped}/pair-rules/{rule["id"]}").ExpectAsync(HttpStatusCode.NoContent);

        var log = (await admin.GetJsonAsync<Page<AuditEntryDto>>("/api/audit?pageSize=100")).Items;
        string[] Details(string action) => [.. log.Where(e => e.Action == action).Select(e => $"{e.Subject}: {e.Details}")];
        Assert.Equal(["Ann Audit: Member"], Details("person.added"));
        Assert.Equal([$"{created.Admin.DisplayName}: confirmation link mailed to the new address", "Ann Audit: no sign-in yet"], Details("person.email-changed"));
        Assert.Equal(["Ann Audit: "], Details("person.invited"));
        Assert.Equal([$"Renamed Ltd: {created.Organisation.Name} → Renamed Ltd"], Details("organisation.renamed"));
        Assert.Equal([$"Autumn: intake {today.AddDays(1):yyyy-MM-dd} to {today.AddDays(10):yyyy-MM-dd}, matching {today.AddDays(11):yyyy-MM-dd}, review not set"],
            Details("cycle.created"));
        Assert.Equal([$"Autumn: “Autumn”: intake {today.AddDays(1):yyyy-MM-dd} to {today.AddDays(10):yyyy-MM-dd}, matching {today.AddDays(11):yyyy-MM-dd}, review not set; everyone"
            + $" → “Autumn”: intake {today.AddDays(2):yyyy-MM-dd} to {today.AddDays(12):yyyy-MM-dd}, matching {today.AddDays(13):yyyy-MM-dd}, review not set; everyone"],
            Details("cycle.changed"));
        Assert.Equal(["Autumn: Is this useful?"], Details("cycle.question-added"));
        Assert.Equal(["Autumn: Is this useful?"], Details("cycle.question-removed"));
        Assert.Single(Details("cycle.enrolment-started"), d => d.StartsWith("Autumn: ", StringComparison.Ordinal));
        const string pin = "Mapped: pin: bob learning Negotiation from ada";
        Assert.Equal([pin], Details("cycle.pair-rule-added"));
        Assert.Equal([pin], Details("cycle.pair-rule-removed"));
        Assert.All(log.Where(e => e.At >= started),
            e => Assert.Contains(e.Actor, new[] { "API token “test”", created.Admin.DisplayName }));

        // The addresses are personal data that the log, kept for good, does not hold.
        var csv = await (await admin.GetAsync("/api/audit?format=csv")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("@audit.example", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_of_one_organisation_is_never_seen_from_another()
    {
        var mine = await app.CreateOrganisationAsync("audit-a-" + Guid.NewGuid().ToString("N")[..6]);
        var theirs = await app.CreateOrganisationAsync("audit-b-" + Guid.NewGuid().ToString("N")[..6]);
        var myAdmin = await app.ClientWithTokenAsync(mine.Organisation.Id, Roles.Admin);
        var added = await myAdmin.PostAsJsonAsync("/api/people", new { email = "ann@example.com", displayName = "Ann Secret" }).ReadAsync<PersonDto>(HttpStatusCode.Created);
        await myAdmin.DeleteAsync($"/api/people/{added.Id}").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Contains((await myAdmin.GetJsonAsync<Page<AuditEntryDto>>("/api/audit")).Items, e => e.Action == "person.deactivated" && e.Subject == "Ann Secret");

        var theirAdmin = await app.ClientWithTokenAsync(theirs.Organisation.Id, Roles.Admin);
        var theirLog = await theirAdmin.GetJsonAsync<Page<AuditEntryDto>>("/api/audit");
        Assert.Equal(["token.created"], theirLog.Items.Select(e => e.Action));
        Assert.DoesNotContain("Ann Secret", await (await theirAdmin.GetAsync("/api/audit?format=csv")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class AuditLogSqliteTests(SqliteApp app) : AuditLogTests(app), IClassFixture<SqliteApp>;

public sealed class AuditLogPostgresTests(PostgresApp app) : AuditLogTests(app), IClassFixture<PostgresApp>;
