using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

public abstract class CyclesApiTests(TacitApp app)
{
    private static object NewCycle(string name = "Winter", string? review = null, string[]? departments = null) => new
    {
        name, intakeOpens = "2026-12-01", intakeCloses = "2026-12-15", matchingDate = "2026-12-16", reviewDate = review, departments,
    };

    private async Task<(HttpClient Facilitator, Guid Organisation)> FacilitatorAsync()
    {
        var org = await app.CreateOrganisationAsync("cycles-" + Guid.NewGuid().ToString("N")[..8]);
        return (await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Facilitator), org.Organisation.Id);
    }

    [Fact]
    public async Task A_facilitator_takes_a_cycle_from_draft_to_closed_and_out_of_order_steps_are_conflicts()
    {
        var (client, _) = await FacilitatorAsync();
        // The JSON itself, once for a cycle: its state is written as a camelCase name.
        var created = await client.PostAsJsonAsync("/api/cycles", NewCycle(departments: ["Sales", "Finance"])).ReadAsync<JsonElement>(HttpStatusCode.Created);
        Assert.Equal("draft", created.GetProperty("state").GetString());
        var cycle = created.Deserialize<CycleDto>(ApiJson.Options)!;
        var id = cycle.Id;
        Assert.Equal(["Finance", "Sales"], cycle.Departments);

        var early = await client.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);

        foreach (var (step, state) in new[] { ("start-enrolment", CycleState.Enrolment), ("open-intake", CycleState.Intake), ("publish-map", CycleState.Mapped) })
            Assert.Equal(state, (await client.PostAsync($"/api/cycles/{id}/{step}", null).ReadAsync<CycleDto>(HttpStatusCode.OK)).State);
        var mapped = await client.GetJsonAsync<CycleDto>($"/api/cycles/{id}");
        Assert.NotNull(mapped.ReviewDate);
        Assert.Equal("Run the matching.", mapped.NextStep);

        var reschedule = await client.PutAsJsonAsync($"/api/cycles/{id}", NewCycle("Renamed"));
        Assert.Equal(HttpStatusCode.Conflict, reschedule.StatusCode);
        Assert.Equal("Winter", (await client.GetJsonAsync<CycleDto>($"/api/cycles/{id}")).Name);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/cycles/{id}/dance", null)).StatusCode);
    }

    [Fact]
    public async Task People_see_the_current_cycle_they_take_part_in_on_their_start_page()
    {
        var org = await app.CreateOrganisationAsync("cycles-home-" + Guid.NewGuid().ToString("N")[..6]);
        var facilitator = await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Facilitator);
        var page = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");
        Assert.DoesNotContain("Sales only", (await Pages.GetAsync(page, "/")).Html, StringComparison.Ordinal);

        (await facilitator.PostAsJsonAsync("/api/cycles", NewCycle("Sales only", departments: ["Sales"]))).EnsureSuccessStatusCode();
        var id = (await facilitator.PostAsJsonAsync("/api/cycles", NewCycle("Company-wide")).ReadAsync<CycleDto>(HttpStatusCode.Created)).Id;
        foreach (var step in new[] { "start-enrolment", "open-intake" })
            (await facilitator.PostAsync($"/api/cycles/{id}/{step}", null)).EnsureSuccessStatusCode();

        var (_, home) = await Pages.GetAsync(page, "/");
        Assert.Contains("Company-wide", home, StringComparison.Ordinal);
        Assert.Contains("The intake is open until 15 December 2026", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Sales only", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_review_date_before_the_intake_closes_is_refused_and_nothing_is_stored()
    {
        var (client, _) = await FacilitatorAsync();
        var problem = await client.PostAsJsonAsync("/api/cycles", NewCycle(review: "2026-12-10")).ReadAsync<HttpValidationProblemDetails>(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("ReviewDate", problem.Errors.Keys);
        Assert.Equal(0, (await client.GetJsonAsync<Page<CycleDto>>("/api/cycles")).Total);
    }

    [Fact]
    public async Task Members_read_cycles_but_cannot_create_or_move_them_and_other_organisations_see_nothing()
    {
        var (facilitator, organisation) = await FacilitatorAsync();
        var id = (await facilitator.PostAsJsonAsync("/api/cycles", NewCycle()).ReadAsync<CycleDto>(HttpStatusCode.Created)).Id;
        var member = await app.ClientWithTokenAsync(organisation, Roles.Member);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/cycles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync("/api/cycles", NewCycle())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"/api/cycles/{id}/start-enrolment", null)).StatusCode);

        var (other, _) = await FacilitatorAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/cycles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/cycles/{id}/start-enrolment", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/cycles/{id}", NewCycle("Stolen"))).StatusCode);
        Assert.Equal(0, (await other.GetJsonAsync<Page<CycleDto>>("/api/cycles")).Total);
        var unchanged = await facilitator.GetJsonAsync<CycleDto>($"/api/cycles/{id}");
        Assert.Equal(("Winter", CycleState.Draft), (unchanged.Name, unchanged.State));
    }
}

public sealed class CyclesApiSqliteTests(SqliteApp app) : CyclesApiTests(app), IClassFixture<SqliteApp>;

public sealed class CyclesApiPostgresTests(PostgresApp app) : CyclesApiTests(app), IClassFixture<PostgresApp>;
