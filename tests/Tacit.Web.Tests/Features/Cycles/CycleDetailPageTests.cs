using System.Globalization;
using Tacit.Domain.Cycles;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>The cycle page's own forms, posted as a browser posts them: changing the dates, and starting the review early.</summary>
public abstract class CycleDetailPageTests(TacitApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> PostAsync(HttpClient client, string path, string form, Dictionary<string, string> fields)
    {
        var response = await Pages.PostFormAsync(client, path, form, fields);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_facilitator_changes_the_name_and_dates_until_the_intake_closes()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = await org.Cycles.CycleAsync(CycleState.Draft);
        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        var path = $"/cycles/{id}";
        Dictionary<string, string> Form(DateOnly opens, DateOnly closes) => new()
        {
            ["Input.Name"] = "Winter", ["Input.IntakeOpens"] = Day(opens), ["Input.IntakeCloses"] = Day(closes), ["Input.MatchingDate"] = Day(closes.AddDays(2)),
            ["Input.ReviewDate"] = "", ["Input.Departments"] = "Finance",
        };

        var refused = await PostAsync(admin, path, "change", Form(Today.AddDays(5), Today.AddDays(5)));
        Assert.Contains("The intake must close after it opens.", refused, StringComparison.Ordinal);
        Assert.Equal("Spring", (await org.Facilitator.GetJsonAsync<CycleDto>($"/api/cycles/{id}")).Name);

        Assert.Contains("The cycle's name and dates are saved.", await PostAsync(admin, path, "change", Form(Today.AddDays(1), Today.AddDays(9))), StringComparison.Ordinal);
        var changed = await org.Facilitator.GetJsonAsync<CycleDto>($"/api/cycles/{id}");
        Assert.Equal(("Winter", Today.AddDays(1), Today.AddDays(9), Today.AddDays(11)), (changed.Name, changed.IntakeOpens, changed.IntakeCloses, changed.MatchingDate));
        Assert.Equal(["Finance"], changed.Departments);

        // Once the intake has closed, the dates are settled and the form is gone.
        var mapped = await org.Cycles.CycleAsync(CycleState.Mapped, "Mapped");
        Assert.DoesNotContain("Change the name and dates", (await Pages.GetAsync(admin, $"/cycles/{mapped}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_review_starts_before_its_date_only_when_the_facilitator_confirms()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = (await org.Cycles.PublishedCycleAsync()).Id;
        var planned = (await org.Facilitator.GetJsonAsync<CycleDto>($"/api/cycles/{id}")).ReviewDate!.Value;
        Assert.True(planned > Today);
        await org.Facilitator.PostAsync($"/api/cycles/{id}/start-review", null).ExpectAsync(HttpStatusCode.Conflict);
        await org.Facilitator.PostAsync($"/api/cycles/{id}/close?early=true", null).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", "correct-horse-battery");
        var path = $"/cycles/{id}";
        Assert.Contains($"The review is planned for {planned:d MMMM yyyy}; you can start it sooner.", WebUtility.HtmlDecode((await Pages.GetAsync(admin, path)).Html), StringComparison.Ordinal);
        Assert.Contains("Start the review now?", await PostAsync(admin, path, "early-review", []), StringComparison.Ordinal);
        Assert.Equal(CycleState.Published, (await org.Facilitator.GetJsonAsync<CycleDto>($"/api/cycles/{id}")).State);

        Assert.Contains("The review has started.", await PostAsync(admin, path, "early-review", new() { ["Confirmed"] = "true" }), StringComparison.Ordinal);
        var started = await org.Facilitator.GetJsonAsync<CycleDto>($"/api/cycles/{id}");
        Assert.Equal((CycleState.Review, Today), (started.State, started.ReviewDate));
        var audit = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().AuditEntries.SingleAsync(e => e.Action == "cycle.review-started"));
        Assert.Equal($"before its date ({planned:yyyy-MM-dd})", audit.Details);
    }
}

public sealed class CycleDetailPageSqliteTests(SqliteApp app) : CycleDetailPageTests(app), IClassFixture<SqliteApp>;

public sealed class CycleDetailPagePostgresTests(PostgresApp app) : CycleDetailPageTests(app), IClassFixture<PostgresApp>;
