using Tacit.Domain.Cycles;
using Tacit.Domain.People;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>A query value a page cannot read is as if absent: the page answers, never a 500.</summary>
public abstract class PageQueryTests(TacitApp app)
{
    [Fact]
    public async Task Pages_answer_whatever_their_query_values_say()
    {
        var created = await app.CreateOrganisationAsync("query-" + Guid.NewGuid().ToString("N")[..8]);
        var cycleId = await new CycleScenario(app.Services, created.Organisation.Id).CycleAsync(CycleState.Draft);
        var admin = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");

        foreach (var path in new[]
        {
            "/people?page=abc", "/people?page=99999999999", "/people?page=-3", "/skills?page=abc", "/skills?decided=x",
            "/me/skills?cycle=x&welcome=yes", "/people/import?welcome=x&added=many&updated=&skipped=1e9",
            $"/cycles/{cycleId}/matching?a=x&b=99999999999", $"/cycles/{cycleId}/runs/{Guid.NewGuid()}?page=abc",
        })
        {
            var (status, html) = await Pages.GetAsync(admin, path);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)status}\n{app.ServerErrors}");
            Assert.DoesNotContain("Something went wrong", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_control_character_in_a_query_or_a_text_is_refused_with_a_reason_and_nothing_is_stored()
    {
        var created = await app.CreateOrganisationAsync("nul-" + Guid.NewGuid().ToString("N")[..8]);
        var member = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Member);
        var search = await member.GetAsync("/api/skills?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Contains("control character", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var admin = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Admin);
        var added = await admin.PostAsJsonAsync("/api/people", new { email = "nul@example.com", displayName = "Nu\u0000ll", authorityLevel = 4 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, added.StatusCode);
        Assert.Contains("control character", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/people?q=nul")).StatusCode);

        var signedIn = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");
        var (status, html) = await Pages.GetAsync(signedIn, "/people?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("control character", html, StringComparison.Ordinal);
    }
}

public sealed class PageQuerySqliteTests(SqliteApp app) : PageQueryTests(app), IClassFixture<SqliteApp>;

public sealed class PageQueryPostgresTests(PostgresApp app) : PageQueryTests(app), IClassFixture<PostgresApp>;
