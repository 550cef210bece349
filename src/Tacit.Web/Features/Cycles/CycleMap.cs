using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Skills;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Cycles;

public sealed record SkillDemand(Guid SkillId, string Skill, string Category, int High, int Medium, int Low, int Sharers, int SessionsOffered)
{
    public int Wanted => High + Medium + Low;
    /// <summary>Learners who may go unserved even if every offered session is used; zero when supply covers demand.</summary>
    public int Gap => Math.Max(0, Wanted - SessionsOffered);
}

public sealed record CategoryDemand(string Category, int Wanted, int Sharers, int SessionsOffered);

public sealed record HiddenExpert(Guid PersonId, string Name, string Department, string Skill, int Level, int Wanted, int SessionsOffered);

public sealed record Coverage(int Participants, int WithWant, int WithShare, int WithBoth)
{
    public static int Percent(int part, int whole) => whole == 0 ? 0 : (int)Math.Round(100.0 * part / whole);
}

public sealed record HeatCell(string Department, string Category, int Wanted, int Shared);

public sealed record MapFigures(Coverage Coverage, IReadOnlyList<SkillDemand> Skills, IReadOnlyList<CategoryDemand> Categories,
    IReadOnlyList<SkillDemand> OutsideLearning, IReadOnlyList<HiddenExpert> HiddenExperts, IReadOnlyList<string> Departments,
    IReadOnlyList<string> HeatCategories, IReadOnlyList<HeatCell> Heat);

/// <summary>
/// Step 3, the map: what the participants want and can share, computed with grouped queries so it stays quick at
/// 100,000 people. Wants and shares are visible on profiles anyway; the confidential intake answers are not used here.
/// </summary>
public sealed class CycleMap(TacitDbContext db)
{
    /// <summary>Hidden experts: people at level 4 or 5 in a skill whose demand exceeds the sessions offered for it.</summary>
    public const int ExpertLevel = 4;

    public async Task<MapFigures> BuildAsync(Cycle cycle, CancellationToken ct = default)
    {
        var participants = Participants.Of(db, cycle);
        var wantRows = await db.Wants.Join(participants, w => w.PersonId, p => p.Id, (w, p) => new { w.SkillId, w.Priority, p.Department })
            .GroupBy(w => new { w.SkillId, w.Priority, w.Department }).Select(g => new { g.Key.SkillId, g.Key.Priority, g.Key.Department, Count = g.Count() })
            .ToListAsync(ct);
        var shareRows = await db.Shares.Join(participants, s => s.PersonId, p => p.Id, (s, p) => new { s.SkillId, s.SessionsPerCycle, p.Department })
            .GroupBy(s => new { s.SkillId, s.Department }).Select(g => new { g.Key.SkillId, g.Key.Department, Count = g.Count(), Sessions = g.Sum(s => s.SessionsPerCycle) })
            .ToListAsync(ct);
        var skills = await db.Skills.AsNoTracking().Select(s => new { s.Id, s.Name, s.Category }).ToDictionaryAsync(s => s.Id, ct);

        var bySkill = skills.Values.Select(s => new SkillDemand(s.Id, s.Name, s.Category,
                wantRows.Where(w => w.SkillId == s.Id && w.Priority == Priority.High).Sum(w => w.Count),
                wantRows.Where(w => w.SkillId == s.Id && w.Priority == Priority.Medium).Sum(w => w.Count),
                wantRows.Where(w => w.SkillId == s.Id && w.Priority == Priority.Low).Sum(w => w.Count),
                shareRows.Where(r => r.SkillId == s.Id).Sum(r => r.Count),
                shareRows.Where(r => r.SkillId == s.Id).Sum(r => r.Sessions)))
            .Where(s => s.Wanted > 0 || s.Sharers > 0)
            .OrderByDescending(s => s.Wanted).ThenBy(s => s.Skill, StringComparer.OrdinalIgnoreCase).ToList();
        var categories = bySkill.GroupBy(s => s.Category)
            .Select(g => new CategoryDemand(g.Key, g.Sum(s => s.Wanted), g.Sum(s => s.Sharers), g.Sum(s => s.SessionsOffered)))
            .OrderByDescending(c => c.Wanted).ThenBy(c => c.Category, StringComparer.OrdinalIgnoreCase).ToList();
        var outside = bySkill.Where(s => s.Wanted > 0 && s.Sharers == 0).ToList();

        var shortSkills = bySkill.Where(s => s.Wanted > s.SessionsOffered && s.Sharers > 0).ToDictionary(s => s.SkillId);
        var shortIds = shortSkills.Keys.ToList();
        var experts = (await db.Shares.Where(s => s.Level >= ExpertLevel && shortIds.Contains(s.SkillId))
                .Join(participants, s => s.PersonId, p => p.Id, (s, p) => new { p.Id, p.DisplayName, p.Department, s.SkillId, s.Level })
                .ToListAsync(ct))
            .Select(e => new HiddenExpert(e.Id, e.DisplayName, e.Department, shortSkills[e.SkillId].Skill, e.Level, shortSkills[e.SkillId].Wanted, shortSkills[e.SkillId].SessionsOffered))
            .OrderByDescending(e => e.Wanted - e.SessionsOffered).ThenByDescending(e => e.Level).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .Take(50).ToList();

        var total = await participants.CountAsync(ct);
        var wanting = participants.Where(p => db.Wants.Any(w => w.PersonId == p.Id));
        var sharing = participants.Where(p => db.Shares.Any(s => s.PersonId == p.Id));
        var coverage = new Coverage(total, await wanting.CountAsync(ct), await sharing.CountAsync(ct),
            await wanting.Where(p => db.Shares.Any(s => s.PersonId == p.Id)).CountAsync(ct));

        string CategoryOf(Guid skill) => skills.TryGetValue(skill, out var s) ? s.Category : "";
        static string Dept(string d) => d.Length == 0 ? "No department" : d;
        var heat = wantRows.Select(w => (Department: Dept(w.Department), Category: CategoryOf(w.SkillId), Wanted: w.Count, Shared: 0))
            .Concat(shareRows.Select(s => (Department: Dept(s.Department), Category: CategoryOf(s.SkillId), Wanted: 0, Shared: s.Count)))
            .GroupBy(c => (c.Department, c.Category))
            .Select(g => new HeatCell(g.Key.Department, g.Key.Category, g.Sum(c => c.Wanted), g.Sum(c => c.Shared))).ToList();
        var departments = heat.Select(h => h.Department).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
        var heatCategories = categories.Select(c => c.Category).ToList();
        return new MapFigures(coverage, bySkill, categories, outside, experts, departments, heatCategories, heat);
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
