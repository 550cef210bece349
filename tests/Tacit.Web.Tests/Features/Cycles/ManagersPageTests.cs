using System.Text.RegularExpressions;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// The managers page of a large organisation: a hundred managers to a page, by name, with links that show only those
/// who support the cycle, do not, or have not answered yet, each with its count.
/// </summary>
public abstract partial class ManagersPageTests(TacitApp app)
{
    [Fact]
    public async Task Managers_are_listed_a_hundred_to_a_page_and_can_be_narrowed_to_one_answer()
    {
        var org = await app.CreateOrganisationAsync("managers-" + Guid.NewGuid().ToString("N")[..8]);
        var organisationId = org.Organisation.Id;
        // 205 managers (no accounts needed), each with one report taking part; named so that their order is known.
        var managers = await app.InScopeAsync(organisationId, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            var slug = org.Organisation.Slug;
            var heads = Enumerable.Range(0, 205).Select(i => new Person(organisationId, $"head{i}@{slug}.example", $"Manager {i:000}", now)).ToList();
            db.People.AddRange(heads);
            await db.SaveChangesAsync();
            foreach (var (head, i) in heads.Select((h, i) => (h, i)))
            {
                var report = new Person(organisationId, $"report{i}@{slug}.example", $"Report {i:000}", now);
                report.AssignManager(head.Id);
                db.People.Add(report);
            }
            await db.SaveChangesAsync();
            return heads;
        });
        var cycleId = await new CycleScenario(app.Services, organisationId).CycleAsync(CycleState.Enrolment);
        // Managers 0–39 support it, 40–49 do not, the rest have not answered.
        await app.InScopeAsync(organisationId, async sp =>
        {
            var enrolment = sp.GetRequiredService<Enrolment>();
            for (var i = 0; i < 50; i++) await enrolment.RespondAsync(cycleId, managers[i].Id, supports: i < 40, i < 40 ? null : "Year-end close");
            return 0;
        });
        var browser = await Pages.SignedInClientAsync(app, org.Admin.Email, CycleScenario.Password);
        Task<(string Text, string[] Names)> ManagersAsync(string query) => Pages.ReadListAsync(app, browser, $"/cycles/{cycleId}/managers{query}", ManagerRow());
        static string[] Names(int from, int count) => [.. Enumerable.Range(from, count).Select(i => $"Manager {i:000}")];

        var (first, names) = await ManagersAsync("");
        Assert.Equal(Names(0, 100), names);
        Assert.Contains("205 managers invited: 40 support it, 10 do not, 155 have not answered yet.", first, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/cycles/{cycleId}/managers\" aria-current=\"page\" class=\"current\">All (205)</a>", first, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/cycles/{cycleId}/managers?answer=not-answered\">Not answered yet (155)</a>", first, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cycles/{cycleId}/managers?page=2\" rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 3", first, StringComparison.Ordinal);
        Assert.Equal(Names(200, 5), (await ManagersAsync("?page=3")).Names);

        var (waiting, waitingNames) = await ManagersAsync("?answer=not-answered");
        Assert.Equal(Names(50, 100), waitingNames);
        Assert.Contains("aria-current=\"page\" class=\"current\">Not answered yet (155)</a>", waiting, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cycles/{cycleId}/managers?answer=not-answered&page=2\" rel=\"next\"", waiting, StringComparison.Ordinal);
        Assert.Equal(Names(150, 55), (await ManagersAsync("?answer=not-answered&page=2")).Names);
        var (against, againstNames) = await ManagersAsync("?answer=does-not-support");
        Assert.Equal(Names(40, 10), againstNames);
        Assert.Contains("Year-end close", against, StringComparison.Ordinal);
        Assert.DoesNotContain("Page 1 of", against, StringComparison.Ordinal);
        Assert.Equal(Names(0, 40), (await ManagersAsync("?answer=supports")).Names);

        // Values the page cannot read are as if absent; a page past the end shows the last.
        Assert.Equal(Names(0, 100), (await ManagersAsync("?answer=maybe&page=x")).Names);
        Assert.Equal(Names(200, 5), (await ManagersAsync("?page=99")).Names);

        // Once everyone answered, the "not answered" list says so.
        await app.InScopeAsync(organisationId, async sp =>
        {
            var enrolment = sp.GetRequiredService<Enrolment>();
            for (var i = 50; i < managers.Count; i++) await enrolment.RespondAsync(cycleId, managers[i].Id, supports: true, null);
            return 0;
        });
        var (done, doneNames) = await ManagersAsync("?answer=not-answered");
        Assert.Empty(doneNames);
        Assert.Contains("Every manager has answered.", done, StringComparison.Ordinal);
    }

    [GeneratedRegex("<th scope=\"row\"><a href=\"/people/[0-9a-f-]{36}\">(Manager [0-9]{3})</a></th>")]
    private static partial Regex ManagerRow();
}

public sealed class ManagersPageSqliteTests(SqliteApp app) : ManagersPageTests(app), IClassFixture<SqliteApp>;

public sealed class ManagersPagePostgresTests(PostgresApp app) : ManagersPageTests(app), IClassFixture<PostgresApp>;
