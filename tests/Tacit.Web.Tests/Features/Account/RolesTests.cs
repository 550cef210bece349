using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Tests.Infrastructure;

namespace Tacit.Web.Tests.Features.Account;

/// <summary>One rule for what a role includes, for people as for tokens: an admin may do what a facilitator may.</summary>
public abstract class RolesTests(TacitApp app)
{
    [Fact]
    public async Task An_admin_who_is_not_marked_facilitator_may_still_do_what_a_facilitator_may()
    {
        var created = await app.CreateOrganisationAsync("roles-" + Guid.NewGuid().ToString("N")[..8]);
        await app.InScopeAsync(created.Organisation.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var admin = await db.People.FindAsync(created.Admin.Id);
            admin!.SetRoles(Roles.Member | Roles.Admin);
            return await db.SaveChangesAsync();
        });
        var browser = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");
        foreach (var facilitatorPage in new[] { "/cycles", "/knowledge", "/api/knowledge" })
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(facilitatorPage)).StatusCode);
        var (_, home) = await Pages.GetAsync(browser, "/");
        Assert.Contains("href=\"/cycles\"", home, StringComparison.Ordinal);

        // A member token is still refused them.
        var member = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/knowledge")).StatusCode);
    }
}

public sealed class RolesSqliteTests(SqliteApp app) : RolesTests(app), IClassFixture<SqliteApp>;

public sealed class RolesPostgresTests(PostgresApp app) : RolesTests(app), IClassFixture<PostgresApp>;
