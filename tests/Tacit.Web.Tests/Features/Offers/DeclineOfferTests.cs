using Tacit.Domain.Offers;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Offers;

public abstract class DeclineOfferTests(TacitApp app)
{
    [Fact]
    public async Task A_declined_offer_goes_back_to_the_engine_and_nobody_elses_offer_moves()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycle = await org.Cycles.PublishedCycleAsync();
        // sales1 now offers one session more than was matched: the room the engine can use.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Shares.Where(x => x.PersonId == org["sales1"])
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 3)));
        var proposals = $"/api/cycles/{cycle.Id}/runs/{cycle.RunId}/proposals?pageSize=100";
        var before = (await org.Facilitator.GetJsonAsync<Page<ProposalDto>>(proposals)).Items.Count;

        var declined = await org.OfferOfAsync("sales2");
        await declined.Teacher.PostAsJsonAsync($"/api/offers/{declined.Offer.Id}/decline", new { reason = "Parental leave" }).ExpectAsync(HttpStatusCode.OK);

        var mine = await declined.Learner.GetJsonAsync<List<OfferDto>>("/api/offers");
        var next = Assert.Single(mine, o => o.Status == OfferStatus.Pending);
        Assert.Equal(org["sales1"], next.TeacherId);
        Assert.Equal(declined.Offer.LearnerIds[0], next.LearnerIds[0]);
        // Who declined stays unknown to the learner: the declined offer is not in their list, nor on their pages.
        Assert.DoesNotContain(mine, o => o.Id == declined.Offer.Id);
        Assert.DoesNotContain("sales2", (await Pages.GetAsync(declined.Learner, "/offers")).Html, StringComparison.Ordinal);
        Assert.DoesNotContain("sales2", (await Pages.GetAsync(declined.Learner, $"/cycles/{cycle.Id}/me")).Html, StringComparison.Ordinal);
        Assert.Equal(before + 1, (await org.Facilitator.GetJsonAsync<Page<ProposalDto>>(proposals)).Items.Count);
        var news = await declined.Learner.NotificationTextsAsync();
        Assert.Contains(news, n => n.Contains("cannot go ahead this time", StringComparison.Ordinal) && !n.Contains("sales2", StringComparison.Ordinal));
        Assert.Contains(news, n => n.Contains("from sales1", StringComparison.Ordinal));
        // Every other offer is as it was: still pending.
        var statuses = await app.InScopeAsync(org.Id, async sp => await sp.GetRequiredService<TacitDbContext>().Offers.Where(o => o.CycleId == cycle.Id)
            .Select(o => o.Status).ToListAsync());
        Assert.Equal((before + 1, 1), (statuses.Count, statuses.Count(s => s == OfferStatus.Declined)));
    }

    [Fact]
    public async Task A_learner_left_unmatched_is_told_the_true_reason_and_never_who_declined()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycle = await org.Cycles.PublishedCycleAsync();
        // Every teacher's two sessions are taken: when sales2 declines, sales1 and sales3 are booked with other learners.
        var declined = await org.OfferOfAsync("sales2");
        await declined.Teacher.PostAsJsonAsync($"/api/offers/{declined.Offer.Id}/decline", new { reason = "Parental leave" }).ExpectAsync(HttpStatusCode.OK);

        var told = Assert.Single(await declined.Learner.NotificationTextsAsync(), n => n.Contains("We could not find another colleague", StringComparison.Ordinal));
        Assert.Contains("for Negotiation", told, StringComparison.Ordinal);
        Assert.Contains("everyone who shares it and may teach you was fully booked with other learners", told, StringComparison.Ordinal);
        Assert.DoesNotContain("sales2", told, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody", told, StringComparison.Ordinal);
        // The learner's page says the same, and no longer that Tacit is still looking.
        var page = (await Pages.GetAsync(declined.Learner, $"/cycles/{cycle.Id}/me")).Html;
        Assert.Contains("fully booked with other learners", page, StringComparison.Ordinal);
        Assert.DoesNotContain("sales2", page, StringComparison.Ordinal);
        Assert.DoesNotContain("looks for someone else", page, StringComparison.Ordinal);

        // finance1's Coaching, which nobody shares, was explained at publishing without pointing anywhere that does not exist.
        var unshared = (await Pages.GetAsync(await org.SignInAsync("finance1"), $"/cycles/{cycle.Id}/me")).Html;
        Assert.Contains("nobody taking part offers sessions of it this cycle", unshared, StringComparison.Ordinal);
        Assert.DoesNotContain("board", unshared, StringComparison.Ordinal);
    }
}

public sealed class DeclineOfferSqliteTests(SqliteApp app) : DeclineOfferTests(app), IClassFixture<SqliteApp>;

public sealed class DeclineOfferPostgresTests(PostgresApp app) : DeclineOfferTests(app), IClassFixture<PostgresApp>;
