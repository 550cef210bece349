using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tacit.Domain.People;
using Tacit.Web.Tests.Infrastructure;

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
        var created = await client.PostAsJsonAsync("/api/cycles", NewCycle(departments: ["Sales", "Finance"]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cycle = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = cycle.GetProperty("id").GetGuid();
        Assert.Equal("draft", cycle.GetProperty("state").GetString());
        Assert.Equal(["Finance", "Sales"], cycle.GetProperty("departments").EnumerateArray().Select(d => d.GetString()));

        var early = await client.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);

        foreach (var (step, state) in new[] { ("start-enrolment", "enrolment"), ("open-intake", "intake"), ("publish-map", "mapped") })
        {
            var moved = await client.PostAsync($"/api/cycles/{id}/{step}", null);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            Assert.Equal(state, (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }
        var mapped = await client.GetFromJsonAsync<JsonElement>($"/api/cycles/{id}");
        Assert.NotEqual(JsonValueKind.Null, mapped.GetProperty("reviewDate").ValueKind);
        Assert.Equal("Run the matching.", mapped.GetProperty("nextStep").GetString());

        var reschedule = await client.PutAsJsonAsync($"/api/cycles/{id}", NewCycle("Renamed"));
        Assert.Equal(HttpStatusCode.Conflict, reschedule.StatusCode);
        Assert.Equal("Winter", (await client.GetFromJsonAsync<JsonElement>($"/api/cycles/{id}")).GetProperty("name").GetString());
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
        var everyone = await (await facilitator.PostAsJsonAsync("/api/cycles", NewCycle("Company-wide"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = everyone.GetProperty("id").GetGuid();
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
        var response = await client.PostAsJsonAsync("/api/cycles", NewCycle(review: "2026-12-10"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("ReviewDate", out _));
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/cycles")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Members_read_cycles_but_cannot_create_or_move_them_and_other_organisations_see_nothing()
    {
        var (facilitator, organisation) = await FacilitatorAsync();
        var id = (await (await facilitator.PostAsJsonAsync("/api/cycles", NewCycle())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var member = await app.ClientWithTokenAsync(organisation, Roles.Member);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/cycles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync("/api/cycles", NewCycle())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"/api/cycles/{id}/start-enrolment", null)).StatusCode);

        var (other, _) = await FacilitatorAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/cycles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/cycles/{id}/start-enrolment", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/cycles/{id}", NewCycle("Stolen"))).StatusCode);
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("/api/cycles")).GetProperty("total").GetInt32());
        var unchanged = await facilitator.GetFromJsonAsync<JsonElement>($"/api/cycles/{id}");
        Assert.Equal(("Winter", "draft"), (unchanged.GetProperty("name").GetString(), unchanged.GetProperty("state").GetString()));
    }
}

public sealed class CyclesApiSqliteTests(SqliteApp app) : CyclesApiTests(app), IClassFixture<SqliteApp>;

public sealed class CyclesApiPostgresTests(PostgresApp app) : CyclesApiTests(app), IClassFixture<PostgresApp>;
