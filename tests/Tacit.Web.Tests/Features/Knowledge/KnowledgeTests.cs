using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Features.Knowledge;

namespace Tacit.Web.Tests.Features.Knowledge;

/// <summary>The organisation's knowledge from day one: figures on a small known organisation, filters, CSV, roles and tenancy.</summary>
public abstract class KnowledgeTests(TacitApp app)
{
    private sealed record Org(Guid Id, string Slug);

    /// <summary>
    /// Sales: Sara shares Barter craft at 5 (1 session) and Ledger modelling at 2; Finance: Fin and Fay want Barter craft, Fay wants
    /// "=Formula skill" (nobody shares it), Fin shares Ledger modelling at 3. Nobody else says anything.
    /// </summary>
    private async Task<Org> SeedAsync()
    {
        var slug = "know-" + Guid.NewGuid().ToString("N")[..8];
        var org = (await app.CreateOrganisationAsync(slug)).Organisation.Id;
        await app.InScopeAsync(org, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            var negotiation = new Skill(org, "Barter craft", "Sales and customers", "", now);
            var excel = new Skill(org, "Ledger modelling", "Finance", "", now);
            var formula = new Skill(org, "=Formula skill", "Finance", "", now);
            db.Skills.AddRange(negotiation, excel, formula);
            Person Add(string name, string department)
            {
                var person = new Person(org, $"{name.ToLowerInvariant()}@{slug}.example", name, now);
                person.UpdateProfile(name, "Analyst", department, 4, null, "UTC", null);
                db.People.Add(person);
                return person;
            }
            var sara = Add("Sara", "Sales");
            var fin = Add("Fin", "Finance");
            var fay = Add("Fay", "Finance");
            Add("Quiet", "Finance");
            db.Shares.Add(new Share(org, sara.Id, negotiation.Id, 5, 1, false, 1, now));
            db.Shares.Add(new Share(org, sara.Id, excel.Id, 2, 1, false, 1, now));
            db.Shares.Add(new Share(org, fin.Id, excel.Id, 3, 2, false, 1, now));
            db.Wants.Add(new Want(org, fin.Id, negotiation.Id, Priority.High, null, null, now));
            db.Wants.Add(new Want(org, fay.Id, negotiation.Id, Priority.Low, null, null, now));
            db.Wants.Add(new Want(org, fay.Id, formula.Id, Priority.Medium, null, null, now));
            return await db.SaveChangesAsync();
        });
        return new Org(org, slug);
    }

    [Fact]
    public async Task The_figures_say_who_knows_what_and_what_is_missing()
    {
        var org = await SeedAsync();
        var facilitator = await app.ClientWithTokenAsync(org.Id, Roles.Facilitator);
        var map = await facilitator.GetJsonAsync<MapFigures>("/api/knowledge");

        // The admin made with the organisation says nothing: 5 people, 2 want, 2 share, 1 does both.
        Assert.Equal(new Coverage(5, 2, 2, 1), map.Coverage);
        var negotiation = map.Skills.Single(s => s.Skill == "Barter craft");
        Assert.Equal((1, 0, 1, 1, 1), (negotiation.High, negotiation.Medium, negotiation.Low, negotiation.Sharers, negotiation.SessionsOffered));
        Assert.Equal(["=Formula skill"], map.OutsideLearning.Select(s => s.Skill));
        var single = Assert.Single(map.SingleHolders);
        Assert.Equal(("Barter craft", "Sara", 2), (single.Skill, single.Name, single.Wanted));
        var expert = Assert.Single(map.HiddenExperts);
        Assert.Equal(("Sara", "Barter craft", 5), (expert.Name, expert.Skill, expert.Level));
        var heat = map.Heat.Select(h => (h.Department, h.Category, h.Wanted, h.Shared)).ToHashSet();
        Assert.Contains(("Finance", "Sales and customers", 2, 0), heat);
        Assert.Contains(("Sales", "Sales and customers", 0, 1), heat);
        Assert.Contains(("Finance", "Finance", 1, 1), heat);
        Assert.Contains(("Sales", "Finance", 0, 1), heat);

        // Filters: a department narrows the people, a category the skills, a skill name also says who shares it.
        var finance = await facilitator.GetJsonAsync<MapFigures>("/api/knowledge?department=Finance");
        Assert.Equal(3, finance.Coverage.Participants);
        Assert.Equal(["=Formula skill", "Barter craft"], finance.OutsideLearning.Select(s => s.Skill).Order());
        var byCategory = await facilitator.GetJsonAsync<MapFigures>("/api/knowledge?category=Finance");
        Assert.All(byCategory.Skills, s => Assert.Equal("Finance", s.Category));
        var excel = await facilitator.GetJsonAsync<MapFigures>("/api/knowledge?skill=ledger");
        Assert.Equal(["Fin", "Sara"], excel.Holders.Select(h => h.Name).Order());
        Assert.Empty(map.Holders);

        // CSV, formula-safe.
        var csv = await facilitator.GetStringAsync("/api/knowledge?format=csv");
        Assert.StartsWith("section,skill,category", csv, StringComparison.Ordinal);
        Assert.Contains("skill,'=Formula skill,Finance", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_are_refused_and_no_organisation_sees_another()
    {
        var mine = await SeedAsync();
        var other = await SeedAsync();
        var member = await app.ClientWithTokenAsync(mine.Id, Roles.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/knowledge")).StatusCode);

        // Another organisation with the same skills and people is never counted here.
        var facilitator = await app.ClientWithTokenAsync(mine.Id, Roles.Facilitator);
        var map = await facilitator.GetJsonAsync<MapFigures>("/api/knowledge?skill=barter");
        Assert.Equal(5, map.Coverage.Participants);
        var holder = Assert.Single(map.Holders);
        var sara = await app.InScopeAsync(mine.Id, sp => sp.GetRequiredService<TacitDbContext>().People.SingleAsync(p => p.DisplayName == "Sara"));
        Assert.Equal(sara.Id, holder.PersonId);

        var signedIn = await Pages.SignedInClientAsync(app, $"admin@{mine.Slug}.example", "correct-horse-battery");
        var (status, html) = await Pages.GetAsync(signedIn, "/knowledge?skill=barter");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Skills only one person shares", html, StringComparison.Ordinal);
        Assert.Contains($"/people/{sara.Id}", html, StringComparison.Ordinal);
        var otherSara = await app.InScopeAsync(other.Id, sp => sp.GetRequiredService<TacitDbContext>().People.SingleAsync(p => p.DisplayName == "Sara"));
        Assert.DoesNotContain(otherSara.Id.ToString(), html, StringComparison.Ordinal);
    }
}

public sealed class KnowledgeSqliteTests(SqliteApp app) : KnowledgeTests(app), IClassFixture<SqliteApp>;

public sealed class KnowledgePostgresTests(PostgresApp app) : KnowledgeTests(app), IClassFixture<PostgresApp>;
