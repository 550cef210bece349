using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Insight;

/// <summary>
/// Learning from one department to another: <see cref="Learnings"/> is learner places in sessions held, taught by
/// someone of <see cref="From"/> to someone of <see cref="To"/>. A pair is listed only when at least five different
/// people (teachers and learners) make it; smaller pairs are counted together in <see cref="NetworkReport.HiddenLearnings"/> (itself shown from five).
/// </summary>
public sealed record DepartmentFlow(string From, string To, int Learnings, int People);

/// <summary>A cycle's silo index: the share of its sessions held where a learner comes from another department than the teacher.</summary>
public sealed record SiloPoint(Guid CycleId, string Cycle, DateTimeOffset CreatedAt, int Sessions, int CrossingSessions)
{
    /// <summary>Percent, or null when the cycle held fewer than five sessions (too few to say anything about).</summary>
    public int? Percent => GroupRule.Allows(Sessions) ? (int)Math.Round(100.0 * CrossingSessions / Sessions) : null;
}

/// <summary>Someone who teaches or learns across departments, with at least five people of other departments.</summary>
public sealed record Bridge(Guid PersonId, string Name, string Department, int TaughtAcross, int LearnedFromAcross)
{
    public int People => TaughtAcross + LearnedFromAcross;
}

public sealed record CycleChoice(Guid Id, string Name);

public sealed record NetworkReport(Guid? CycleId, IReadOnlyList<CycleChoice> Cycles, IReadOnlyList<DepartmentFlow> Flows, int? HiddenLearnings,
    IReadOnlyList<SiloPoint> Trend, IReadOnlyList<Bridge> Bridges);

/// <summary>
/// The learning network across silos: department-to-department flows (for one cycle or all), the people who bridge
/// departments, and the silo index cycle over cycle. Every figure is grouped in the database over sessions held (not
/// cancelled, already started) and their learners.
/// </summary>
public sealed class LearningNetwork(TacitDbContext db, TimeProvider clock)
{
    private const int BridgeLimit = 50;

    public async Task<NetworkReport> ReportAsync(Guid? cycleId = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cycles = await db.Cycles.AsNoTracking().OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.Name, c.CreatedAt }).ToListAsync(ct);
        if (cycleId is { } chosen && cycles.All(c => c.Id != chosen)) throw new Domain.NotFoundException("No such cycle.");

        var held = db.Sessions.Where(s => s.Status == SessionStatus.Scheduled && s.StartsAt <= now);
        var places = from place in LearnerPlaces()
                     join s in held on place.SessionId equals s.Id
                     join t in db.People on s.TeacherId equals t.Id
                     join l in db.People on place.LearnerId equals l.Id
                     select new { s.Id, s.CycleId, TeacherId = t.Id, From = t.Department, LearnerId = l.Id, To = l.Department };
        var inCycle = cycleId is { } id ? places.Where(p => p.CycleId == id) : places;
        var pairs = await inCycle.GroupBy(p => new { p.From, p.To })
            .Select(g => new { g.Key.From, g.Key.To, Learnings = g.Count(), Teachers = g.Select(p => p.TeacherId).Distinct().Count(), Learners = g.Select(p => p.LearnerId).Distinct().Count() })
            .ToListAsync(ct);
        // Within one department a teacher may also be a learner, so the larger of the two counts is used: never more
        // people than there are, so a small group is never shown as five.
        var flows = pairs.Select(p => new DepartmentFlow(Person.DepartmentOrNone(p.From), Person.DepartmentOrNone(p.To), p.Learnings,
                p.From == p.To ? Math.Max(p.Teachers, p.Learners) : p.Teachers + p.Learners)).ToList();
        var shown = flows.Where(f => GroupRule.Allows(f.People)).OrderByDescending(f => f.Learnings).ThenBy(f => f.From, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.To, StringComparer.OrdinalIgnoreCase).ToList();

        var sessions = await held.GroupBy(s => s.CycleId).Select(g => new { CycleId = g.Key, Sessions = g.Count() }).ToDictionaryAsync(g => g.CycleId, g => g.Sessions, ct);
        var crossing = await places.Where(p => p.From != p.To).GroupBy(p => p.CycleId)
            .Select(g => new { CycleId = g.Key, Sessions = g.Select(p => p.Id).Distinct().Count() }).ToDictionaryAsync(g => g.CycleId, g => g.Sessions, ct);
        var points = cycles.Where(c => sessions.ContainsKey(c.Id)).Select(c => new SiloPoint(c.Id, c.Name, c.CreatedAt, sessions[c.Id], crossing.GetValueOrDefault(c.Id))).ToList();

        var across = inCycle.Where(p => p.From != p.To);
        var taught = await across.GroupBy(p => p.TeacherId).Select(g => new { PersonId = g.Key, People = g.Select(p => p.LearnerId).Distinct().Count() }).ToListAsync(ct);
        var learned = await across.GroupBy(p => p.LearnerId).Select(g => new { PersonId = g.Key, People = g.Select(p => p.TeacherId).Distinct().Count() }).ToListAsync(ct);
        var taughtBy = taught.ToDictionary(t => t.PersonId, t => t.People);
        var learnedBy = learned.ToDictionary(t => t.PersonId, t => t.People);
        var bridgeIds = taughtBy.Keys.Union(learnedBy.Keys)
            .Where(p => GroupRule.Allows(taughtBy.GetValueOrDefault(p) + learnedBy.GetValueOrDefault(p)))
            .OrderByDescending(p => taughtBy.GetValueOrDefault(p) + learnedBy.GetValueOrDefault(p)).Take(BridgeLimit).ToList();
        var names = await db.People.Where(p => bridgeIds.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName, p.Department }).ToDictionaryAsync(p => p.Id, ct);
        var bridges = bridgeIds.Where(names.ContainsKey)
            .Select(p => new Bridge(p, names[p].DisplayName, Person.DepartmentOrNone(names[p].Department), taughtBy.GetValueOrDefault(p), learnedBy.GetValueOrDefault(p)))
            .OrderByDescending(b => b.People).ThenBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList();

        return new NetworkReport(cycleId, [.. cycles.Select(c => new CycleChoice(c.Id, c.Name))], shown,
            GroupRule.Shown(flows.Where(f => !GroupRule.Allows(f.People)).Sum(f => f.Learnings)), points, bridges);
    }

    /// <summary>One row per learner of each of the organisation's sessions.</summary>
    /// <remarks>
    /// A session keeps its learners in one column (a JSON array on SQLite, uuid[] on PostgreSQL). EF cannot unnest it
    /// on SQLite (that needs APPLY), so the unnesting is written per provider; the rest of each query stays LINQ. Raw
    /// SQL escapes the tenant filter, so the organisation is named here. SQLite keeps ids as upper-case text.
    /// </remarks>
    private IQueryable<LearnerPlace> LearnerPlaces() => db is PostgresTacitDbContext
        ? db.Database.SqlQuery<LearnerPlace>($"""
            SELECT s."Id" AS "SessionId", l AS "LearnerId" FROM "Sessions" AS s CROSS JOIN LATERAL unnest(s."LearnerIds") AS l
            WHERE s."OrganisationId" = {db.CurrentOrganisationId}
            """)
        : db.Database.SqlQuery<LearnerPlace>($"""
            SELECT s."Id" AS "SessionId", upper(j.value) AS "LearnerId" FROM "Sessions" AS s, json_each(s."LearnerIds") AS j
            WHERE s."OrganisationId" = {db.CurrentOrganisationId.ToString().ToUpperInvariant()}
            """);

    private sealed class LearnerPlace
    {
        public Guid SessionId { get; init; }
        public Guid LearnerId { get; init; }
    }
}
