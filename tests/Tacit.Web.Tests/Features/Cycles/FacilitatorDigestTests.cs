using Quartz;
using Tacit.Domain.Cycles;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>The facilitators' daily digest: one line per running cycle with something waiting, to facilitators and admins only.</summary>
public abstract class FacilitatorDigestTests(TacitApp app)
{
    [Fact]
    public async Task Facilitators_are_told_what_waits_in_each_running_cycle_and_members_are_not()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var published = (await org.Cycles.PublishedCycleAsync()).Id;
        var intake = await org.Cycles.CycleAsync(CycleState.Intake, "Autumn");
        var pending = await org.Facilitator.GetJsonAsync<PendingActionsDto>($"/api/cycles/{published}/review/actions");

        Assert.Equal(2, await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<FacilitatorDigest>().SendAsync()));
        var digests = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Notifications
            .Where(n => n.Text.StartsWith("Digest for")).Join(sp.GetRequiredService<TacitDbContext>().People, n => n.PersonId, p => p.Id, (n, p) => new { p.Email, n.Text, n.Link })
            .ToListAsync());
        // The admin is the organisation's only facilitator or admin; the finance and sales people get nothing.
        Assert.All(digests, d => Assert.Equal($"admin@{org.Slug}.example", d.Email));
        Assert.Contains(digests, d => d.Link == $"/cycles/{published}/review"
            && d.Text == $"Digest for \"Spring\": {pending.Times:N0} offers without times, {pending.Answers:N0} answers awaited, {pending.Feedback:N0} people yet to say how a session went.");
        Assert.Contains(digests, d => d.Link == $"/cycles/{intake}" && d.Text.StartsWith("Digest for \"Autumn\": 0 of ", StringComparison.Ordinal));
        Assert.Equal(2, digests.Count);

        // An organisation with nothing running hears nothing.
        var quiet = await app.CreateOrganisationAsync("quiet-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(0, await app.InScopeAsync(quiet.Organisation.Id, sp => sp.GetRequiredService<FacilitatorDigest>().SendAsync()));
    }

    [Fact]
    public async Task The_digest_is_scheduled_once_a_day_on_weekdays()
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey("facilitator-digest-daily", "digests")));
        Assert.Equal((FacilitatorDigestJob.DefaultCron, FacilitatorDigestJob.Job), (trigger.CronExpressionString, trigger.JobKey));
    }
}

public sealed class FacilitatorDigestSqliteTests(SqliteApp app) : FacilitatorDigestTests(app), IClassFixture<SqliteApp>;

public sealed class FacilitatorDigestPostgresTests(PostgresApp app) : FacilitatorDigestTests(app), IClassFixture<PostgresApp>;
