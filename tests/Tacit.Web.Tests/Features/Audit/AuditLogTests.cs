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
