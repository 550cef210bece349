using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Knowledge;

/// <summary>Someone who left and shared a skill nobody still here shares.</summary>
public sealed record FormerSharer(Guid PersonId, string Name, string Department, int Level);

/// <summary>A skill whose every sharer has left: its knowledge walks out unless someone picks it up.</summary>
public sealed record SkillAtRisk(Guid SkillId, string Skill, string Category, int Wanted, IReadOnlyList<FormerSharer> SharedBy);

/// <summary>
/// Knowledge continuity, the last part of the leavers rule (docs/people.md): skills that only people who have since
/// been deactivated shared, with who they were and how many still want the skill, for facilitators to find a
/// successor. Read from the shares as they are, so a skill leaves the list as soon as someone here shares it again.
/// Erased people's shares are gone, and so are they from this list.
/// </summary>
public sealed class KnowledgeContinuity(TacitDbContext db)
{
    public async Task<IReadOnlyList<SkillAtRisk>> AtRiskAsync(CancellationToken ct = default)
    {
        // Grouped in the database: only the orphaned skills' shares are read, whatever the size of the organisation.
        var sharedBy = db.Shares.Join(db.People, s => s.PersonId, p => p.Id, (s, p) => new { s.SkillId, s.Level, p.Id, p.DisplayName, p.Department, p.IsActive });
        var orphanedIds = sharedBy.GroupBy(s => s.SkillId).Where(g => g.Count(s => s.IsActive) == 0).Select(g => g.Key);
        var orphaned = (await sharedBy.Where(s => orphanedIds.Contains(s.SkillId)).ToListAsync(ct)).GroupBy(s => s.SkillId).ToDictionary(g => g.Key);
        if (orphaned.Count == 0) return [];
        var ids = orphaned.Keys.ToList();
        var skills = await db.Skills.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var wanted = await db.Wants.Where(w => ids.Contains(w.SkillId)).Join(db.People.Where(p => p.IsActive), w => w.PersonId, p => p.Id, (w, p) => w.SkillId)
            .GroupBy(id => id).Select(g => new { SkillId = g.Key, Count = g.Count() }).ToDictionaryAsync(w => w.SkillId, w => w.Count, ct);
        return [.. orphaned.Where(o => skills.ContainsKey(o.Key))
            .Select(o => new SkillAtRisk(o.Key, skills[o.Key].Name, skills[o.Key].Category, wanted.GetValueOrDefault(o.Key),
                [.. o.Value.OrderByDescending(s => s.Level).ThenBy(s => s.DisplayName).Select(s => new FormerSharer(s.Id, s.DisplayName, s.Department, s.Level))]))
            .OrderByDescending(s => s.Wanted).ThenBy(s => s.Skill, StringComparer.OrdinalIgnoreCase)];
    }
}
