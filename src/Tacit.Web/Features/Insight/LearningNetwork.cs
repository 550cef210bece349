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
/// cancelled, already started) and their learners, and held in memory by <see cref="InsightFigures"/>; the bridges'
/// names and departments are read again whenever a held report is shown.
/// </summary>
public sealed class LearningNetwork(TacitDbContext db, TimeProvider clock, InsightFigures figures)
{
    private const int BridgeLimit = 50;

    /// <summary>The report for one cycle or all (null) as last computed, or computed now when <paramref name="refresh"/> asks.</summary>
    public async Task<Computed<NetworkReport>> ReportAsync(Guid? cycleId = null, bool refresh = false, CancellationToken ct = default)
    {
        // Checked before the held reports are consulted, so that made-up cycles neither fail late nor take memory.
        if (cycleId is { } chosen && !await db.Cycles.AnyAsync(c => c.Id == chosen, ct)) throw new Domain.NotFoundException("No such cycle.");
        var held = await figures.GetAsync(db.CurrentOrganisationId, Key(cycleId), Compute(cycleId), Rows, refresh, ct);
        var ids = held.Report.Bridges.Select(b => b.PersonId).ToList();
        var now = await db.People.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName, p.Department }).ToDictionaryAsync(p => p.Id, ct);
        return held with
        {
            Report = held.Report with
            {
                Bridges = [.. held.Report.Bridges.Where(b => now.ContainsKey(b.PersonId))
                    .Select(b => b with { Name = now[b.PersonId].DisplayName, Department = Person.DepartmentOrNone(now[b.PersonId].Department) })],
            },
        };
    }

    /// <summary>Starts computing the report for every cycle in the background if none is held (<see cref="InsightFigures.Warm"/>).</summary>
    public void Warm() => figures.Warm(db.CurrentOrganisationId, Key(null), Compute(null), Rows);

    private static string Key(Guid? cycleId) => cycleId?.ToString("N") ?? "all";

    private static Func<IServiceProvider, CancellationToken, Task<NetworkReport>> Compute(Guid? cycleId) =>
        (scope, ct) => scope.GetRequiredService<LearningNetwork>().ComputeAsync(cycleId, ct);

    private static int Rows(NetworkReport report) => report.Cycles.Count + report.Flows.Count + report.Trend.Count + report.Bridges.Count;

    /// <summary>
    /// One pass over the sessions held, reading each session's teacher, cycle and learners and every person's department
    /// (about 30 MB streamed at 300,000 sessions), rather than joining each learner place to people in the database once
    /// per figure: four such groupings took 5 s at 100,000 people on PostgreSQL, mostly sorting for the distinct counts.
    /// </summary>
    public async Task<NetworkReport> ComputeAsync(Guid? cycleId = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cycles = await db.Cycles.AsNoTracking().OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.Name, c.CreatedAt }).ToListAsync(ct);
        var departments = new List<string>();
        var departmentNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var departmentOf = new Dictionary<Guid, int>();
        await foreach (var person in db.People.AsNoTracking().Select(p => new { p.Id, p.Department }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!departmentNumbers.TryGetValue(person.Department, out var number))
            {
                departmentNumbers[person.Department] = number = departments.Count;
                departments.Add(person.Department);
            }
            departmentOf[person.Id] = number;
        }

        var pairs = new Dictionary<(int From, int To), PairCount>();
        var sessions = new Dictionary<Guid, int>();
        var crossing = new Dictionary<Guid, int>();
        var across = new HashSet<(Guid Teacher, Guid Learner)>();
        var held = db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Scheduled && s.StartsAt <= now)
            .Select(s => new { s.CycleId, s.TeacherId, s.LearnerIds });
        await foreach (var session in held.AsAsyncEnumerable().WithCancellation(ct))
        {
            sessions[session.CycleId] = sessions.GetValueOrDefault(session.CycleId) + 1;
            if (!departmentOf.TryGetValue(session.TeacherId, out var from)) continue;
            var chosen = cycleId is null || session.CycleId == cycleId;
            var crosses = false;
            foreach (var learner in session.LearnerIds)
            {
                if (!departmentOf.TryGetValue(learner, out var to)) continue;
                crosses |= from != to;
                if (!chosen) continue;
                if (!pairs.TryGetValue((from, to), out var pair)) pairs[(from, to)] = pair = new PairCount();
                pair.Learnings++;
                pair.Teachers.Add(session.TeacherId);
                pair.Learners.Add(learner);
                if (from != to) across.Add((session.TeacherId, learner));
            }
            if (crosses) crossing[session.CycleId] = crossing.GetValueOrDefault(session.CycleId) + 1;
        }

        // Within one department a teacher may also be a learner, so the larger of the two counts is used: never more
        // people than there are, so a small group is never shown as five.
        var flows = pairs.Select(p => new DepartmentFlow(Person.DepartmentOrNone(departments[p.Key.From]), Person.DepartmentOrNone(departments[p.Key.To]),
                p.Value.Learnings, p.Key.From == p.Key.To ? Math.Max(p.Value.Teachers.Count, p.Value.Learners.Count) : p.Value.Teachers.Count + p.Value.Learners.Count))
            .ToList();
        var shown = flows.Where(f => GroupRule.Allows(f.People)).OrderByDescending(f => f.Learnings).ThenBy(f => f.From, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.To, StringComparer.OrdinalIgnoreCase).ToList();
        var points = cycles.Where(c => sessions.ContainsKey(c.Id)).Select(c => new SiloPoint(c.Id, c.Name, c.CreatedAt, sessions[c.Id], crossing.GetValueOrDefault(c.Id))).ToList();

        var taughtBy = across.CountBy(p => p.Teacher).ToDictionary();
        var learnedBy = across.CountBy(p => p.Learner).ToDictionary();
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

    /// <summary>Learner places from one department to another, and the different people who make them.</summary>
    private sealed class PairCount
    {
        public int Learnings;
        public readonly HashSet<Guid> Teachers = [];
        public readonly HashSet<Guid> Learners = [];
    }
}
