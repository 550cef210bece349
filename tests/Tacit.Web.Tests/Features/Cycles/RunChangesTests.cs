using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>Comparing two runs names the pairs that changed, through the API and on the matching page.</summary>
public abstract class RunChangesTests(TacitApp app)
{
    private static async Task<RunDto> RunAsync(HttpClient facilitator, Guid cycle)
    {
        var run = await facilitator.PostAsJsonAsync($"/api/cycles/{cycle}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (run = await facilitator.GetJsonAsync<RunDto>($"/api/cycles/{cycle}/runs/{run.Id}")).Status
            is MatchRunStatus.Succeeded or MatchRunStatus.Failed, "the run");
        Assert.Equal(MatchRunStatus.Succeeded, run.Status);
        return run;
    }

    private static async Task<HashSet<(Guid Learner, Guid Teacher)>> PairsAsync(HttpClient facilitator, Guid cycle, Guid run) =>
        [.. (await facilitator.GetJsonAsync<Page<ProposalDto>>($"/api/cycles/{cycle}/runs/{run}/proposals?pageSize=100")).Items
            .SelectMany(p => p.LearnerIds.Select(l => (l, p.TeacherId)))];

    [Fact]
    public async Task An_excluded_pair_shows_as_removed_and_every_pair_is_accounted_for()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        var first = await RunAsync(f, id);
        var before = await PairsAsync(f, id, first.Id);
        var (learner, teacher) = before.OrderBy(p => p.Learner).First();
        string[] keys = [.. Enumerable.Range(1, 6).Select(i => $"finance{i}"), .. Enumerable.Range(1, 3).Select(i => $"sales{i}")];
        var learnerEmail = org.Email(keys.Single(k => org[k] == learner));
        var teacherEmail = org.Email(keys.Single(k => org[k] == teacher));
        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", new { learnerEmail, teacherEmail, skill = FinanceAndSales.WantedSkill, kind = "exclude" })
            .ExpectAsync(HttpStatusCode.Created);
        var second = await RunAsync(f, id);
        var after = await PairsAsync(f, id, second.Id);

        var changes = await f.GetJsonAsync<MatchRuns.ChangesView>($"/api/cycles/{id}/runs/{second.Id}/changes?since={first.Id}");
        Assert.Equal(after.Count(before.Contains), changes.Kept);
        Assert.Equal(after.Count - changes.Kept, changes.Added);
        Assert.Equal(before.Count - changes.Kept, changes.Removed);
        Assert.Contains(new MatchRuns.ChangedPair(org.NameOf(learner), org.NameOf(teacher), FinanceAndSales.WantedSkill), changes.RemovedPairs);
        Assert.Equal(changes.Added, changes.AddedPairs.Count);

        // The other way round, added and removed swap.
        var back = await f.GetJsonAsync<MatchRuns.ChangesView>($"/api/cycles/{id}/runs/{first.Id}/changes?since={second.Id}");
        Assert.Equal((changes.Removed, changes.Added, changes.Kept), (back.Added, back.Removed, back.Kept));

        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        var (_, html) = await Pages.GetAsync(admin, $"/cycles/{id}/matching?a=1&b=2");
        html = WebUtility.HtmlDecode(html);
        Assert.Contains("Pairs that changed from run 1 to run 2", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{org.NameOf(learner)}</td><td>{org.NameOf(teacher)}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_gives_what_a_run_with_those_weights_gives_beside_the_latest_run_and_saves_nothing()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        var first = await RunAsync(f, id);

        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        // The form as the page fills it (run 1's weights), two of them changed, sent with the preview button.
        var fields = typeof(MatchWeights).GetProperties().Where(p => p.PropertyType == typeof(int) && p.CanWrite)
            .ToDictionary(p => $"Weights.{p.Name}", p => ((int)p.GetValue(first.Weights)!).ToString(CultureInfo.InvariantCulture));
        (fields["Weights.CrossDepartment"], fields["Weights.PeerCloseness"], fields["preview"]) = ("0", "10", "1");
        var response = await Pages.PostFormAsync(admin, $"/cycles/{id}/matching", "run", fields);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("With these weights", html, StringComparison.Ordinal);
        Assert.Single(await f.GetJsonAsync<List<RunDto>>($"/api/cycles/{id}/runs"));
        var previewed = await f.PostAsJsonAsync($"/api/cycles/{id}/runs/preview", new { crossDepartment = 0, peerCloseness = 10 }).ReadAsync<MatchFigures>(HttpStatusCode.OK);

        // The run with the same weights gives exactly the figures previewed; the page showed them beside run 1's.
        var second = await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { crossDepartment = 0, peerCloseness = 10 }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (second = await f.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{second.Id}")).Status is MatchRunStatus.Succeeded, "the run");
        Assert.Equivalent(second.Figures, previewed, strict: true);
        Assert.Contains($"<th scope=\"row\">Learners served</th><td>{first.Figures.LearnersServed}</td><td>{previewed.LearnersServed}", html, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">Pairs across departments</th><td>{first.Figures.CrossDepartmentAssignments}</td><td>{previewed.CrossDepartmentAssignments}", html, StringComparison.Ordinal);
        await f.PostAsJsonAsync($"/api/cycles/{id}/runs/preview", new { crossDepartment = -1 }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Only_finished_runs_of_the_same_cycle_compare()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        var other = await org.Cycles.CycleAsync(CycleState.Mapped);
        var run = await RunAsync(f, id);
        var elsewhere = await RunAsync(f, other);
        await f.GetAsync($"/api/cycles/{id}/runs/{run.Id}/changes?since={elsewhere.Id}").ExpectAsync(HttpStatusCode.NotFound);
        await f.GetAsync($"/api/cycles/{id}/runs/{run.Id}/changes").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, (await f.GetJsonAsync<MatchRuns.ChangesView>($"/api/cycles/{id}/runs/{run.Id}/changes?since={run.Id}")).Added);
    }
}

public sealed class RunChangesSqliteTests(SqliteApp app) : RunChangesTests(app), IClassFixture<SqliteApp>;

public sealed class RunChangesPostgresTests(PostgresApp app) : RunChangesTests(app), IClassFixture<PostgresApp>;
