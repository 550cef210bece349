using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Knowledge;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Insight;

/// <summary>A skill at risk, with how many people here want it (null when fewer than five).</summary>
public sealed record SkillRisk(Guid SkillId, string Skill, string Category, int? Wanted);

/// <summary>A skill whose sharers all sit in <see cref="Department"/>, wanted by <see cref="WantedElsewhere"/> people outside it.</summary>
public sealed record SiloedSkill(Guid SkillId, string Skill, string Category, string Department, int WantedElsewhere);

/// <summary>
/// Knowledge continuity: skills one or two people share and at least five want; skills whose every sharer here has a
/// leaving date (<see cref="Person.LeavingOn"/>), wanted by anyone; skills only leavers shared (the knowledge page's
/// "Knowledge that left", counted here by the group rule); skills whose three or more sharers all sit in one department
/// while at least five elsewhere want them.
/// </summary>
public sealed record SuccessionReport(IReadOnlyList<SkillRisk> FewSharers, IReadOnlyList<SkillRisk> Leaving, IReadOnlyList<SkillRisk> Left,
    IReadOnlyList<SiloedSkill> OneDepartment);

/// <summary>
/// Succession risk, and "pass it on": a draft cycle for one skill, limited to the departments of the people who share
/// and want it — cycles take part by department, so that is as narrow as a cycle can be (docs/insight.md).
/// </summary>
public sealed class SuccessionRisk(TacitDbContext db, KnowledgeContinuity continuity, CycleLifecycle cycles, TimeProvider clock, InsightFigures figures,
    CurrentUser current)
{
    /// <summary>"One or two people share it."</summary>
    public const int FewSharers = 2;

    /// <summary>Siloed skills have at least this many sharers (fewer are already "one or two people share it").</summary>
    public const int SiloedSharers = FewSharers + 1;

    private const int ListLimit = 100;

    public static readonly TimeSpan IntakeLength = TimeSpan.FromDays(14);
    public static readonly TimeSpan MatchingAfterIntake = TimeSpan.FromDays(7);

    /// <summary>The report as last computed (see <see cref="InsightFigures"/>), or computed now when <paramref name="refresh"/> asks.</summary>
    /// <remarks>
    /// Only admins see <see cref="SuccessionReport.Leaving"/>: every skill's sharers are on the directory, so a list of
    /// skills only leavers share would tell a facilitator who is leaving, which is HR's to know.
    /// </remarks>
    public async Task<Computed<SuccessionReport>> ReportAsync(bool refresh = false, CancellationToken ct = default)
    {
        var held = await figures.GetAsync(db.CurrentOrganisationId, "", Compute, Rows, refresh, ct);
        return current.Is(Roles.Admin) ? held : held with { Report = held.Report with { Leaving = [] } };
    }

    /// <summary>Starts computing the report in the background if none is held (<see cref="InsightFigures.Warm"/>).</summary>
    public void Warm() => figures.Warm(db.CurrentOrganisationId, "", Compute, Rows);

    private static Task<SuccessionReport> Compute(IServiceProvider scope, CancellationToken ct) => scope.GetRequiredService<SuccessionRisk>().ComputeAsync(ct);

    private static int Rows(SuccessionReport report) => report.FewSharers.Count + report.Leaving.Count + report.Left.Count + report.OneDepartment.Count;

    public async Task<SuccessionReport> ComputeAsync(CancellationToken ct = default)
    {
        var active = db.People.Where(p => p.IsActive);
        var sharers = await db.Shares.Join(active, s => s.PersonId, p => p.Id, (s, p) => new { s.SkillId, p.Department, p.LeavingOn })
            .GroupBy(s => new { s.SkillId, s.Department })
            .Select(g => new { g.Key.SkillId, g.Key.Department, People = g.Count(), Staying = g.Count(s => s.LeavingOn == null) }).ToListAsync(ct);
        var wanters = await db.Wants.Join(active, w => w.PersonId, p => p.Id, (w, p) => new { w.SkillId, p.Department })
            .GroupBy(w => new { w.SkillId, w.Department }).Select(g => new { g.Key.SkillId, g.Key.Department, People = g.Count() }).ToListAsync(ct);
        var wantedBy = wanters.ToLookup(w => w.SkillId);
        var sharedBy = sharers.ToLookup(s => s.SkillId);

        var few = sharedBy.Where(s => s.Sum(d => d.People) <= FewSharers && GroupRule.Allows(wantedBy[s.Key].Sum(w => w.People)))
            .Select(s => (s.Key, Wanted: wantedBy[s.Key].Sum(w => w.People))).ToList();
        var siloed = sharedBy.Where(s => s.Count() == 1 && s.Single().People >= SiloedSharers)
            .Select(s => (s.Key, s.Single().Department, Elsewhere: wantedBy[s.Key].Where(w => w.Department != s.Single().Department).Sum(w => w.People)))
            .Where(s => GroupRule.Allows(s.Elsewhere)).ToList();
        var leaving = sharedBy.Where(s => s.Sum(d => d.Staying) == 0).Select(s => (s.Key, Wanted: wantedBy[s.Key].Sum(w => w.People))).ToList();
        var left = await continuity.AtRiskAsync(ct);

        var ids = few.Select(f => f.Key).Concat(leaving.Select(l => l.Key)).Concat(siloed.Select(s => s.Key)).Distinct().ToList();
        var skills = await db.Skills.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Name, s.Category }).ToDictionaryAsync(s => s.Id, ct);
        return new SuccessionReport(
            [.. few.Where(f => skills.ContainsKey(f.Key)).OrderByDescending(f => f.Wanted).ThenBy(f => skills[f.Key].Name, StringComparer.OrdinalIgnoreCase).Take(ListLimit)
                .Select(f => new SkillRisk(f.Key, skills[f.Key].Name, skills[f.Key].Category, f.Wanted))],
            [.. leaving.Where(l => skills.ContainsKey(l.Key)).OrderByDescending(l => l.Wanted).ThenBy(l => skills[l.Key].Name, StringComparer.OrdinalIgnoreCase).Take(ListLimit)
                .Select(l => new SkillRisk(l.Key, skills[l.Key].Name, skills[l.Key].Category, GroupRule.Shown(l.Wanted)))],
            [.. left.Take(ListLimit).Select(l => new SkillRisk(l.SkillId, l.Skill, l.Category, GroupRule.Shown(l.Wanted)))],
            [.. siloed.Where(s => skills.ContainsKey(s.Key)).OrderByDescending(s => s.Elsewhere).ThenBy(s => skills[s.Key].Name, StringComparer.OrdinalIgnoreCase).Take(ListLimit)
                .Select(s => new SiloedSkill(s.Key, skills[s.Key].Name, skills[s.Key].Category, Person.DepartmentOrNone(s.Department), s.Elsewhere))]);
    }

    /// <summary>
    /// Starts a draft cycle named for the skill, its intake opening today for two weeks and matching a week later, for
    /// the departments of everyone here who shares or wants it (everyone, when one of them has no department). The
    /// facilitator takes it on from the cycle's page like any other cycle.
    /// </summary>
    public async Task<Cycle> PassItOnAsync(Guid skillId, CancellationToken ct = default)
    {
        var skill = await db.Skills.AsNoTracking().Where(s => s.Id == skillId).Select(s => s.Name).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("No such skill.");
        var active = db.People.Where(p => p.IsActive);
        var departments = await db.Shares.Where(s => s.SkillId == skillId).Select(s => s.PersonId)
            .Concat(db.Wants.Where(w => w.SkillId == skillId).Select(w => w.PersonId))
            .Join(active, id => id, p => p.Id, (id, p) => p.Department).Distinct().ToListAsync(ct);
        if (departments.Count == 0) throw new ConflictException("Nobody here shares or wants this skill any more.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var closes = today.AddDays(IntakeLength.Days);
        var name = $"Pass it on: {skill}";
        if (name.Length > Cycle.NameMaxLength) name = name[..Cycle.NameMaxLength];
        return await cycles.CreateAsync(new CycleWrite(name, today, closes, closes.AddDays(MatchingAfterIntake.Days), null,
            departments.Contains("") ? null : departments), ct);
    }
}
