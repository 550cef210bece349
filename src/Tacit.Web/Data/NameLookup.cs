using Microsoft.EntityFrameworkCore;

namespace Tacit.Web.Data;

/// <summary>The names a page shows for the ids its rows hold: people's display names and skills' names, by id.</summary>
public static class NameLookup
{
    public static async Task<Dictionary<Guid, string>> PersonNamesAsync(this TacitDbContext db, IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var wanted = ids.Distinct().ToList();
        return await db.People.Where(p => wanted.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
    }

    public static async Task<Dictionary<Guid, string>> SkillNamesAsync(this TacitDbContext db, IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Skills.Where(s => wanted.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
    }
}
