using Tacit.Domain.Offers;
using Tacit.Domain.People;

namespace Tacit.Web.Tests.Features.Offers;

public abstract class LeaverOffersTests(TacitApp app)
{
    [Fact]
    public async Task A_leavers_open_offers_go_back_to_the_engine_and_their_learners_are_matched_again()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycleId = (await org.Cycles.PublishedCycleAsync()).Id;
        Task<List<Offer>> OffersAsync() => app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.AsNoTracking().Where(o => o.CycleId == cycleId).ToListAsync());
        // sales2 can teach more than the plan gave them: room for the leaver's learners.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Shares.Where(x => x.PersonId == org["sales2"])
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 6)));
        var leaversOffers = (await OffersAsync()).Where(o => o.TeacherId == org["sales1"] && o.IsOpen).ToList();
        Assert.NotEmpty(leaversOffers);
        var theirLearners = leaversOffers.SelectMany(o => o.LearnerIds).ToList();
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);

        var left = await admin.DeleteAsync($"/api/people/{org["sales1"]}");
        Assert.True(left.IsSuccessStatusCode, await left.Content.ReadAsStringAsync());

        var after = await OffersAsync();
        Assert.All(after.Where(o => leaversOffers.Any(l => l.Id == o.Id)), o => Assert.Equal((OfferStatus.Declined, Offer.TeacherLeftReason), (o.Status, o.DeclineReason)));
        foreach (var learner in theirLearners)
            Assert.Contains(after, o => o.IsOpen && o.LearnerIds.Contains(learner) && o.TeacherId != org["sales1"] && o.SkillId == org.Wanted);
        var told = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Notifications
            .Where(n => n.PersonId == theirLearners[0] && n.Text.Contains("cannot go ahead")).CountAsync());
        Assert.Equal(1, told);

        // A learner who leaves is taken off their offer; a one-to-one with nobody left ends.
        var oneToOne = after.First(o => o.IsOpen && o.TeacherId == org["sales3"] && o.LearnerIds.Count == 1);
        var learnerLeft = await admin.DeleteAsync($"/api/people/{oneToOne.LearnerIds[0]}");
        Assert.True(learnerLeft.IsSuccessStatusCode, await learnerLeft.Content.ReadAsStringAsync());
        var ended = (await OffersAsync()).Single(o => o.Id == oneToOne.Id);
        Assert.Equal(OfferStatus.Expired, ended.Status);
        Assert.Empty(ended.LearnerIds);
    }
}

public sealed class LeaverOffersSqliteTests(SqliteApp app) : LeaverOffersTests(app), IClassFixture<SqliteApp>;

public sealed class LeaverOffersPostgresTests(PostgresApp app) : LeaverOffersTests(app), IClassFixture<PostgresApp>;
