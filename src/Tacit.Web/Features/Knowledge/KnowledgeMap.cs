using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Features.Knowledge;

public sealed record SkillDemand(Guid SkillId, string Skill, string Category, int High, int Medium, int Low, int Sharers, int SessionsOffered)
{
    public int Wanted => High + Medium + Low;
    /// <summary>Learners who may go unserved even if every offered session is used; zero when supply covers demand.</summary>
    public int Gap => Math.Max(0, Wanted - SessionsOffered);
}

public sealed record CategoryDemand(string Category, int Wanted, int Sharers, int SessionsOffered);

public sealed record HiddenExpert(Guid PersonId, string Name, string Department, string Skill, int Level, int Wanted, int SessionsOffered);

/// <summary>A skill only one person shares: knowledge the organisation could lose with them (succession risk).</summary>
public sealed record SingleHolder(Guid SkillId, string Skill, string Category, Guid PersonId, string Name, string Department, int Level, int Wanted);

/// <summary>Someone who shares a skill the filter names: "who knows what".</summary>
public sealed record Holder(Guid PersonId, string Name, string Department, string Skill, int Level);

public sealed record Coverage(int Participants, int WithWant, int WithShare, int WithBoth)
{
    public static int Percent(int part, int whole) => whole == 0 ? 0 : (int)Math.Round(100.0 * part / whole);
}

public sealed record HeatCell(string Department, string Category, int Wanted, int Shared);

public sealed record MapFigures(Coverage Coverage, IReadOnlyList<SkillDemand> Skills, IReadOnlyList<CategoryDemand> Categories,
    IReadOnlyList<SkillDemand> OutsideLearning, IReadOnlyList<HiddenExpert> HiddenExperts, IReadOnlyList<string> Departments,
    IReadOnlyList<string> HeatCategories, IReadOnlyList<HeatCell> Heat, IReadOnlyList<SingleHolder> SingleHolders, IReadOnlyList<Holder> Holders);

/// <summary>Narrows the organisation's knowledge: people of one department, skills of one category, skills whose name holds a text.</summary>
public sealed record KnowledgeFilter(string? Department = null, string? Category = null, string? Skill = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Department) && string.IsNullOrWhiteSpace(Category) && string.IsNullOrWhiteSpace(Skill);
}

/// <summary>
/// Who knows what, and who wants to learn it: supply against demand per skill and category, wants nobody shares, hidden
/// experts, skills only one person shares and a department × category heat map. The same figures serve the
/// organisation's knowledge page (everyone active, from day one, no cycle needed) and a cycle's map (its participants).
/// Grouped queries keep it quick at 100,000 people. Wants and shares are visible on profiles anyway; the confidential
/// intake answers are not used here.
/// </summary>
public sealed class KnowledgeMap(TacitDbContext db)
{
    /// <summary>Hidden experts: people at level 4 or 5 in a skill whose demand exceeds the sessions offered for it.</summary>
    public const int ExpertLevel = 4;

    private const int ListLimit = 50;

    public Task<MapFigures> ForCycleAsync(Cycle cycle, CancellationToken ct = default) =>
        ForPeopleAsync(Participants.Of(db, cycle), new KnowledgeFilter(), ct);

    public Task<MapFigures> ForOrganisationAsync(KnowledgeFilter filter, CancellationToken ct = default) =>
        ForPeopleAsync(db.People.Where(p => p.IsActive), filter, ct);

    /// <summary>The departments and categories the filters offer.</summary>
    public async Task<(IReadOnlyList<string> Departments, IReadOnlyList<string> Categories)> FilterChoicesAsync(CancellationToken ct = default) =>
        (await db.People.Where(p => p.IsActive && p.Department != "").Select(p => p.Department).Distinct().OrderBy(d => d).ToListAsync(ct),
         await db.Skills.Where(s => s.Category != "").Select(s => s.Category).Distinct().OrderBy(c => c).ToListAsync(ct));

    private async Task<MapFigures> ForPeopleAsync(IQueryable<Person> people, KnowledgeFilter filter, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(filter.Department))
        {
            var department = filter.Department.Trim();
            people = people.Where(p => p.Department == department);
        }
        var skills = (await db.Skills.AsNoTracking().Select(s => new { s.Id, s.Name, s.Category }).ToListAsync(ct))
            .Where(s => string.IsNullOrWhiteSpace(filter.Category) || s.Category == filter.Category.Trim())
            .Where(s => string.IsNullOrWhiteSpace(filter.Skill) || s.Name.Contains(filter.Skill.Trim(), StringComparison.OrdinalIgnoreCase))
            .ToDictionary(s => s.Id);

        var wantRows = (await db.Wants.Join(people, w => w.PersonId, p => p.Id, (w, p) => new { w.SkillId, w.Priority, p.Department })
                .GroupBy(w => new { w.SkillId, w.Priority, w.Department }).Select(g => new { g.Key.SkillId, g.Key.Priority, g.Key.Department, Count = g.Count() })
                .ToListAsync(ct))
            .Where(w => skills.ContainsKey(w.SkillId)).ToList();
        var shareRows = (await db.Shares.Join(people, s => s.PersonId, p => p.Id, (s, p) => new { s.SkillId, s.SessionsPerCycle, p.Department })
                .GroupBy(s => new { s.SkillId, s.Department }).Select(g => new { g.Key.SkillId, g.Key.Department, Count = g.Count(), Sessions = g.Sum(s => s.SessionsPerCycle) })
                .ToListAsync(ct))
            .Where(s => skills.ContainsKey(s.SkillId)).ToList();

        var wantsBySkill = wantRows.ToLookup(w => w.SkillId);
        var sharesBySkill = shareRows.ToLookup(s => s.SkillId);
        var bySkill = skills.Values.Select(s => new SkillDemand(s.Id, s.Name, s.Category,
                wantsBySkill[s.Id].Where(w => w.Priority == Priority.High).Sum(w => w.Count),
                wantsBySkill[s.Id].Where(w => w.Priority == Priority.Medium).Sum(w => w.Count),
                wantsBySkill[s.Id].Where(w => w.Priority == Priority.Low).Sum(w => w.Count),
                sharesBySkill[s.Id].Sum(r => r.Count),
                sharesBySkill[s.Id].Sum(r => r.Sessions)))
            .Where(s => s.Wanted > 0 || s.Sharers > 0)
            .OrderByDescending(s => s.Wanted).ThenBy(s => s.Skill, StringComparer.OrdinalIgnoreCase).ToList();
        var categories = bySkill.GroupBy(s => s.Category)
            .Select(g => new CategoryDemand(g.Key, g.Sum(s => s.Wanted), g.Sum(s => s.Sharers), g.Sum(s => s.SessionsOffered)))
            .OrderByDescending(c => c.Wanted).ThenBy(c => c.Category, StringComparer.OrdinalIgnoreCase).ToList();
        var outside = bySkill.Where(s => s.Wanted > 0 && s.Sharers == 0).ToList();

        var shortSkills = bySkill.Where(s => s.Wanted > s.SessionsOffered && s.Sharers > 0).ToDictionary(s => s.SkillId);
        var shortIds = shortSkills.Keys.ToList();
        var experts = (await db.Shares.Where(s => s.Level >= ExpertLevel && shortIds.Contains(s.SkillId))
                .Join(people, s => s.PersonId, p => p.Id, (s, p) => new { p.Id, p.DisplayName, p.Department, s.SkillId, s.Level })
                .ToListAsync(ct))
            .Select(e => new HiddenExpert(e.Id, e.DisplayName, e.Department, shortSkills[e.SkillId].Skill, e.Level, shortSkills[e.SkillId].Wanted, shortSkills[e.SkillId].SessionsOffered))
            .OrderByDescending(e => e.Wanted - e.SessionsOffered).ThenByDescending(e => e.Level).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .Take(ListLimit).ToList();

        var singles = bySkill.Where(s => s.Sharers == 1).ToDictionary(s => s.SkillId);
        var singleIds = singles.Keys.ToList();
        var singleHolders = (await db.Shares.Where(s => singleIds.Contains(s.SkillId))
                .Join(people, s => s.PersonId, p => p.Id, (s, p) => new { p.Id, p.DisplayName, p.Department, s.SkillId, s.Level })
                .ToListAsync(ct))
            .Select(h => new SingleHolder(h.SkillId, singles[h.SkillId].Skill, singles[h.SkillId].Category, h.Id, h.DisplayName, h.Department, h.Level, singles[h.SkillId].Wanted))
            .OrderByDescending(h => h.Wanted).ThenBy(h => h.Skill, StringComparer.OrdinalIgnoreCase).Take(ListLimit).ToList();

        // "Who knows what" lists people only for a named skill: the whole organisation's shares are the directory's to list.
        IReadOnlyList<Holder> holders = [];
        if (!string.IsNullOrWhiteSpace(filter.Skill))
        {
            var named = skills.Keys.ToList();
            holders = (await db.Shares.Where(s => named.Contains(s.SkillId))
                    .Join(people, s => s.PersonId, p => p.Id, (s, p) => new { p.Id, p.DisplayName, p.Department, s.SkillId, s.Level })
                    .OrderByDescending(h => h.Level).ThenBy(h => h.DisplayName).Take(ListLimit * 2).ToListAsync(ct))
                .Select(h => new Holder(h.Id, h.DisplayName, h.Department, skills[h.SkillId].Name, h.Level)).ToList();
        }

        var total = await people.CountAsync(ct);
        var wanting = people.Where(p => db.Wants.Any(w => w.PersonId == p.Id));
        var sharing = people.Where(p => db.Shares.Any(s => s.PersonId == p.Id));
        var coverage = new Coverage(total, await wanting.CountAsync(ct), await sharing.CountAsync(ct),
            await wanting.Where(p => db.Shares.Any(s => s.PersonId == p.Id)).CountAsync(ct));

        string CategoryOf(Guid skill) => skills.TryGetValue(skill, out var s) ? s.Category : "";
        static string Dept(string d) => Person.DepartmentOrNone(d);
        var heat = wantRows.Select(w => (Department: Dept(w.Department), Category: CategoryOf(w.SkillId), Wanted: w.Count, Shared: 0))
            .Concat(shareRows.Select(s => (Department: Dept(s.Department), Category: CategoryOf(s.SkillId), Wanted: 0, Shared: s.Count)))
            .GroupBy(c => (c.Department, c.Category))
            .Select(g => new HeatCell(g.Key.Department, g.Key.Category, g.Sum(c => c.Wanted), g.Sum(c => c.Shared))).ToList();
        var departments = heat.Select(h => h.Department).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
        var heatCategories = categories.Select(c => c.Category).ToList();
        return new MapFigures(coverage, bySkill, categories, outside, experts, departments, heatCategories, heat, singleHolders, holders);
    }

    /// <summary>The map as CSV: one row per skill, then one row per department and category.</summary>
    public static string ToCsv(MapFigures map)
    {
        var csv = new StringBuilder();
        csv.Append("section,skill,category,department,wanted_high,wanted_medium,wanted_low,wanted,sharers,sessions_offered,gap\n");
        foreach (var s in map.Skills)
            csv.Append(CultureInfo.InvariantCulture, $"skill,{Field(s.Skill)},{Field(s.Category)},,{s.High},{s.Medium},{s.Low},{s.Wanted},{s.Sharers},{s.SessionsOffered},{s.Gap}\n");
        foreach (var c in map.Heat.OrderBy(h => h.Department, StringComparer.OrdinalIgnoreCase).ThenBy(h => h.Category, StringComparer.OrdinalIgnoreCase))
            csv.Append(CultureInfo.InvariantCulture, $"department,,{Field(c.Category)},{Field(c.Department)},,,,{c.Wanted},{c.Shared},,\n");
        return csv.ToString();
    }

    private static string Field(string value) => Infrastructure.CsvField.Safe(value);
}
