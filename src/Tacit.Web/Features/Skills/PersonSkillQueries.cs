using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Skills;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Skills;

/// <summary>Reading shares and wants by person and skill: one query for both, as the API lists them.</summary>
public sealed class PersonSkillQueries(TacitDbContext db)
{
    public Task<Page<TResult>> ListAsync<TEntry, TResult>(Guid? personId, Guid? skillId, Paging paging, Func<TEntry, TResult> map, CancellationToken ct)
        where TEntry : class, IPersonSkill
    {
        var query = db.Set<TEntry>().AsNoTracking();
        if (personId is { } person) query = query.Where(e => e.PersonId == person);
        if (skillId is { } skill) query = query.Where(e => e.SkillId == skill);
        return query.OrderBy(e => e.Id).ToPageAsync(paging, map, ct);
    }

    public Task<TEntry?> FindAsync<TEntry>(Guid id, CancellationToken ct) where TEntry : class, IPersonSkill =>
        db.Set<TEntry>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
}
