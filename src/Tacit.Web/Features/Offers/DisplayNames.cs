using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Offers;

/// <summary>The names a notice about an offer or session shows, with the words used when someone or something is gone.</summary>
public static class DisplayNames
{
    public static async Task<string> PersonNameAsync(this TacitDbContext db, Guid personId, CancellationToken ct) =>
        await db.People.Where(p => p.Id == personId).Select(p => p.DisplayName).SingleOrDefaultAsync(ct) ?? "A colleague";

    public static async Task<string> SkillNameAsync(this TacitDbContext db, Guid skillId, CancellationToken ct) =>
        await db.Skills.Where(s => s.Id == skillId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? "a skill";
}
