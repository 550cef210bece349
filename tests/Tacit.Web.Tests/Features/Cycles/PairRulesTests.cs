using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// A facilitator's pins obey the engine's rules: a pin the next run would skip is refused when it is made, naming the rule,
/// and a pin that has become invalid since is skipped by the run (never forced), with the reason on the run's page and API.
/// </summary>
public abstract class PairRulesTests(TacitApp app)
{
    private static object Rule(FinanceAndSales org, string learner, string teacher, string kind = "pin", string skill = FinanceAndSales.WantedSkill) =>
        new { learnerEmail = org.Email(learner), teacherEmail = org.Email(teacher), skill, kind };

    private static async Task<string> RefusalAsync(HttpClient facilitator, Guid cycle, object rule) =>
        (await facilitator.PostAsJsonAsync($"/api/cycles/{cycle}/pair-rules", rule).ReadAsync<ProblemDetails>(HttpStatusCode.UnprocessableEntity)).Detail ?? "";

    private async Task ChangeAsync(FinanceAndSales org, Func<TacitDbContext, Task> change) => await app.InScopeAsync(org.Id, async sp =>
    {
        var db = sp.GetRequiredService<TacitDbContext>();
        await change(db);
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task A_pin_that_breaks_a_rule_is_refused_naming_the_rule()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        string Name(string person) => org.NameOf(org[person]);

        Assert.Contains($"{Name("fiona")} is {Name("finance1")}'s manager", await RefusalAsync(f, id, Rule(org, "finance1", "fiona")), StringComparison.Ordinal);
        Assert.Contains($"{Name("finance1")} reports to {Name("fiona")}", await RefusalAsync(f, id, Rule(org, "fiona", "finance1")), StringComparison.Ordinal);
        Assert.Contains($"{Name("sales1")} does not share {FinanceAndSales.UnsharedSkill}",
            await RefusalAsync(f, id, Rule(org, "finance1", "sales1", skill: FinanceAndSales.UnsharedSkill)), StringComparison.Ordinal);
        Assert.Contains($"{Name("finance2")} does not want to learn {FinanceAndSales.UnsharedSkill}",
            await RefusalAsync(f, id, Rule(org, "finance2", "sales1", skill: FinanceAndSales.UnsharedSkill)), StringComparison.Ordinal);

        // A pin and an exclusion of the same pair, either way round.
        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", Rule(org, "finance3", "sales2", "exclude")).ExpectAsync(HttpStatusCode.Created);
        Assert.Contains("a pin and an exclusion of the same pair", await RefusalAsync(f, id, Rule(org, "finance3", "sales2")), StringComparison.Ordinal);
        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", Rule(org, "finance4", "sales3")).ExpectAsync(HttpStatusCode.Created);
        Assert.Contains($"{Name("finance4")} is pinned to learn {FinanceAndSales.WantedSkill} from {Name("sales3")}; a pin and an exclusion of the same pair",
            await RefusalAsync(f, id, Rule(org, "finance4", "sales3", "exclude")), StringComparison.Ordinal);

        // Earlier pins take their sessions: sales3 shares two, finance4 holds one.
        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", Rule(org, "finance5", "sales3")).ExpectAsync(HttpStatusCode.Created);
        Assert.Contains($"{Name("sales3")}'s sessions of {FinanceAndSales.WantedSkill} are all taken by earlier pins",
            await RefusalAsync(f, id, Rule(org, "finance6", "sales3")), StringComparison.Ordinal);

        // Someone who left.
        await ChangeAsync(org, async db => (await db.People.SingleAsync(p => p.Id == org["sales1"])).Deactivate());
        Assert.Contains($"{Name("sales1")} has left the organisation", await RefusalAsync(f, id, Rule(org, "finance6", "sales1")), StringComparison.Ordinal);

        // The whole reporting chain, once the run the form starts from excludes it: finance2 → fiona → sales2.
        await ChangeAsync(org, async db => (await db.People.SingleAsync(p => p.Id == org["fiona"])).AssignManager(org["sales2"]));
        await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { excludeWholeReportingChain = true }).ExpectAsync(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (await f.GetJsonAsync<List<RunDto>>($"/api/cycles/{id}/runs"))[0].Status == MatchRunStatus.Succeeded, "the run");
        Assert.Contains($"{Name("finance2")} reports to {Name("sales2")} through {Name("fiona")}; the matching excludes the whole reporting chain",
            await RefusalAsync(f, id, Rule(org, "finance2", "sales2")), StringComparison.Ordinal);

        Assert.Equal(3, (await f.GetJsonAsync<List<JsonElement>>($"/api/cycles/{id}/pair-rules")).Count);

        // The matching page's form says the same, beside the field.
        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        var response = await Pages.PostFormAsync(admin, $"/cycles/{id}/matching", "rule", new Dictionary<string, string>
        {
            ["Rule.LearnerEmail"] = org.Email("finance1"), ["Rule.TeacherEmail"] = org.Email("fiona"), ["Rule.Skill"] = FinanceAndSales.WantedSkill, ["Rule.Kind"] = "Pin",
        });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"This pair cannot be pinned: {Name("fiona")} is {Name("finance1")}'s manager", html, StringComparison.Ordinal);
        Assert.Equal(3, (await f.GetJsonAsync<List<JsonElement>>($"/api/cycles/{id}/pair-rules")).Count);
    }

    [Fact]
    public async Task A_pin_that_became_invalid_is_skipped_with_the_reason_and_never_forced()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        string Name(string person) => org.NameOf(org[person]);
        foreach (var (learner, teacher) in new[] { ("finance6", "sales1"), ("finance5", "sales2"), ("finance4", "sales3") })
            await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", Rule(org, learner, teacher)).ExpectAsync(HttpStatusCode.Created);

        // Since the pins were made: finance6 now reports to sales1, and sales2 has left.
        await ChangeAsync(org, async db =>
        {
            (await db.People.SingleAsync(p => p.Id == org["finance6"])).AssignManager(org["sales1"]);
            (await db.People.SingleAsync(p => p.Id == org["sales2"])).Deactivate();
        });
        var run = await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (run = await f.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{run.Id}")).Status
            is MatchRunStatus.Succeeded or MatchRunStatus.Failed, "the run");
        Assert.Equal(MatchRunStatus.Succeeded, run.Status);

        var skipped = await f.GetJsonAsync<List<SkippedPinDto>>($"/api/cycles/{id}/runs/{run.Id}/skipped-pins");
        Assert.Equal(2, skipped.Count);
        var manager = skipped.Single(s => s.ReasonCode == "manager");
        Assert.Equal((org["finance6"], org["sales1"]), (manager.LearnerId, manager.TeacherId));
        Assert.Equal($"{Name("sales1")} is {Name("finance6")}'s manager; nobody is matched with their own manager or report", manager.Reason);
        var left = skipped.Single(s => s.ReasonCode == "leftOrganisation");
        Assert.Equal((org["finance5"], $"{Name("sales2")} has left the organisation"), (left.LearnerId, left.Reason));

        var proposals = (await f.GetJsonAsync<Page<ProposalDto>>($"/api/cycles/{id}/runs/{run.Id}/proposals?pageSize=100")).Items;
        Assert.Equal(new[] { org["finance4"] }, proposals.Where(p => p.Pinned).Select(p => p.LearnerIds[0]));
        Assert.DoesNotContain(proposals, p => p.TeacherId == org["sales1"] && p.LearnerIds.Contains(org["finance6"]));
        Assert.DoesNotContain(proposals, p => p.TeacherId == org["sales2"]);
        // The skipped pins' learners are matched like everyone else: a session, or an unmet want with its reason.
        var unmet = (await f.GetJsonAsync<Page<UnmetWantDto>>($"/api/cycles/{id}/runs/{run.Id}/unmet?pageSize=100")).Items;
        foreach (var learner in new[] { org["finance5"], org["finance6"] })
            Assert.True(proposals.Any(p => p.LearnerIds.Contains(learner)) || unmet.Any(u => u.LearnerId == learner && u.SkillId == org.Wanted));

        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        var (_, html) = await Pages.GetAsync(admin, $"/cycles/{id}/runs/{run.Id}");
        html = WebUtility.HtmlDecode(html);
        Assert.Contains("Pins not honoured (2)", html, StringComparison.Ordinal);
        Assert.Contains($"{Name("finance6")} learns {FinanceAndSales.WantedSkill} from {Name("sales1")}:</strong> {manager.Reason}.", html, StringComparison.Ordinal);
    }
}

public abstract class PairRulesByNameTests(TacitApp app)
{
    [Fact]
    public async Task People_are_chosen_by_a_unique_name_or_their_email_and_the_page_suggests_the_participants()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped);
        string Name(string person) => org.NameOf(org[person]);
        object ByName(string learner, string teacher) => new { learnerEmail = Name(learner).ToUpperInvariant(), teacherEmail = $" {Name(teacher)} ", skill = FinanceAndSales.WantedSkill, kind = "exclude" };

        await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", ByName("finance1", "sales1")).ExpectAsync(HttpStatusCode.Created);
        var rule = Assert.Single(await f.GetJsonAsync<List<MatchRuns.RuleRow>>($"/api/cycles/{id}/pair-rules"));
        Assert.Equal((Name("finance1"), Name("sales1")), (rule.Learner, rule.Teacher));

        var unknown = await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", new { learnerEmail = "Nobody Here", teacherEmail = org.Email("sales1"), skill = FinanceAndSales.WantedSkill, kind = "pin" })
            .ReadAsync<ProblemDetails>(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Nobody in your organisation is called 'Nobody Here'; use their work email.", unknown.Detail);

        // Two people with one name: the email decides.
        var sameName = Name("finance2");
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().People.Where(p => p.Id == org["finance3"])
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.DisplayName, sameName)));
        var twice = await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", ByName("finance2", "sales2")).ReadAsync<ProblemDetails>(HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith($"More than one person is called '{Name("finance2").ToUpperInvariant()}'", twice.Detail, StringComparison.Ordinal);
        Assert.Single(await f.GetJsonAsync<List<MatchRuns.RuleRow>>($"/api/cycles/{id}/pair-rules"));

        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        var (_, html) = await Pages.GetAsync(admin, $"/cycles/{id}/matching");
        Assert.Contains($"<option value=\"{org.Email("sales1")}\">{Name("sales1")}</option>", html, StringComparison.Ordinal);
    }
}

public sealed class PairRulesByNameSqliteTests(SqliteApp app) : PairRulesByNameTests(app), IClassFixture<SqliteApp>;

public sealed class PairRulesByNamePostgresTests(PostgresApp app) : PairRulesByNameTests(app), IClassFixture<PostgresApp>;

public sealed class PairRulesSqliteTests(SqliteApp app) : PairRulesTests(app), IClassFixture<SqliteApp>;

public sealed class PairRulesPostgresTests(PostgresApp app) : PairRulesTests(app), IClassFixture<PostgresApp>;
