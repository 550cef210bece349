using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Options;
using Tacit.Domain.Cycles;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// Publishing makes its offers and notifications with set-based SQL, in the database (issue 13). This publishes a real
/// run, with a few proposals and unmet wants added to it that reach the corners (learners in a chosen order, none at all,
/// quotes and apostrophes), and checks every stored offer and notification against what publishing made before, in C#:
/// an offer built by the domain from each proposal, and OfferNotices' texts with the skills' and people's names.
/// </summary>
public abstract class SetBasedPublishTests(TacitApp app)
{
    [Fact]
    public async Task Publishing_stores_the_offers_and_notifications_the_domain_would_make_one_by_one()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var f = org.Facilitator;
        var id = await org.Cycles.CycleAsync(CycleState.Mapped, "Spring 'quoted' \"cycle\"");
        var run = await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (run = await f.GetJsonAsync<RunDto>($"/api/cycles/{id}/runs/{run.Id}")).Status == MatchRunStatus.Succeeded, "the run");
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var matchRun = await db.MatchRuns.SingleAsync(r => r.Id == run.Id);
            db.Proposals.AddRange(
                new Proposal(matchRun, org["sales2"], org.Unshared, SessionKind.Group, [org["finance3"], org["finance1"], org["finance2"]], "group", pinned: false, [9, 10]),
                new Proposal(matchRun, org["sales3"], org.Wanted, SessionKind.OneToOne, [], "", pinned: true));
            db.UnmetWants.Add(new UnmetWant(matchRun, org["finance2"], org.Wanted, "noSharers", "Nobody's \"sharing\" it; «really»."));
            return await db.SaveChangesAsync();
        });

        await f.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = run.Id }).ExpectAsync(HttpStatusCode.OK);

        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var cycle = await db.Cycles.AsNoTracking().SingleAsync(c => c.Id == id);
            var now = cycle.PublishedAt!.Value;
            var answerWithin = sp.GetRequiredService<IOptions<OfferOptions>>().Value.AnswerWithin;
            var proposals = await db.Proposals.AsNoTracking().Where(p => p.RunId == run.Id).ToListAsync();
            var unmet = await db.UnmetWants.AsNoTracking().Where(u => u.RunId == run.Id).ToListAsync();
            var skills = await db.Skills.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name);
            var names = await db.People.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.DisplayName);
            Assert.Contains(proposals, p => p.LearnerIds.Count == 0);
            Assert.NotEmpty(unmet);

            // Offers: one a proposal, every column as the domain's constructor makes it; the id a new version 7 one of this moment.
            var offers = await db.Offers.AsNoTracking().Where(o => o.CycleId == id).ToListAsync();
            Assert.Equal(proposals.Select(p => p.Id).Order(), offers.Select(o => o.ProposalId).Order());
            var offerType = db.Model.FindEntityType(typeof(Offer))!;
            foreach (var offer in offers)
            {
                var expected = new Offer(proposals.Single(p => p.Id == offer.ProposalId), now, answerWithin);
                foreach (var property in offerType.GetProperties().Where(p => p.Name != nameof(Offer.Id)))
                    Assert.Equal(Text(property.GetGetter().GetClrValue(expected)), Text(property.GetGetter().GetClrValue(offer)));
                Assert.Equal(1, await db.Offers.CountAsync(o => o.Id == offer.Id));
            }
            AssertNewIds(offers.Select(o => o.Id).ToList(), now);

            // Notifications: teachers, learners in the proposal's order, and the unmatched, with OfferNotices' words.
            string Name(Guid person) => names.GetValueOrDefault(person, "a colleague");
            var link = $"/cycles/{id}/me";
            var expectedTexts = proposals.SelectMany(p => p.LearnerIds.Select(l => (Person: l, Text: OfferNotices.MatchedToLearn(skills[p.SkillId], Name(p.TeacherId), cycle.Name)))
                    .Prepend((Person: p.TeacherId, Text: OfferNotices.AskedToShare(skills[p.SkillId], string.Join(", ", p.LearnerIds.Select(Name)), cycle.Name))))
                .Concat(unmet.Select(u => (Person: u.LearnerId, Text: OfferNotices.CouldNotMatch(skills[u.SkillId], cycle.Name, u.Reason))))
                .ToList();
            Assert.Contains(expectedTexts, e => e.Text.Contains($"with {Name(org["finance3"])}, {Name(org["finance1"])}, {Name(org["finance2"])} in", StringComparison.Ordinal));
            var stored = await db.Notifications.AsNoTracking().Where(n => n.Link == link && n.CreatedAt >= now).ToListAsync();
            Assert.Equal(expectedTexts.Select(e => $"{e.Person} {e.Text}").Order(StringComparer.Ordinal), stored.Select(n => $"{n.PersonId} {n.Text}").Order(StringComparer.Ordinal));
            Assert.All(stored, n => Assert.Equal((org.Id, (DateTimeOffset?)null, false), (n.OrganisationId, n.ReadAt, n.Urgent)));
            // Stored pending a mail; the host's own mail sender may have sent it already (a person's first mail goes at once).
            Assert.All(stored, n => Assert.True(n.EmailPending ? n.EmailedAt is null : n.EmailedAt >= n.CreatedAt, $"pending {n.EmailPending}, mailed {n.EmailedAt}"));
            Assert.All(stored, n => Assert.InRange(n.CreatedAt, now, now.AddMinutes(1)));
            AssertNewIds(stored.Select(n => n.Id).ToList(), stored.Min(n => n.CreatedAt));
            // Stored as EF stores ids: a query by person finds each one (on SQLite, ids are upper-case text).
            foreach (var group in expectedTexts.GroupBy(e => e))
                Assert.Equal(group.Count(), await db.Notifications.CountAsync(n => n.PersonId == group.Key.Person && n.Text == group.Key.Text));
            return 0;
        });
    }

    private static void AssertNewIds(List<Guid> ids, DateTimeOffset now)
    {
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, i => Assert.Equal(7, i.Version));
        // A version 7 id begins with its moment's Unix milliseconds, big-endian.
        Assert.All(ids, i => Assert.InRange(long.Parse(i.ToString("N")[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds() + 60_000));
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable items => "[" + string.Join(",", items.Cast<object>().Select(Text)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}

public sealed class SetBasedPublishSqliteTests(SqliteApp app) : SetBasedPublishTests(app), IClassFixture<SqliteApp>;

public sealed class SetBasedPublishPostgresTests(PostgresApp app) : SetBasedPublishTests(app), IClassFixture<PostgresApp>;
