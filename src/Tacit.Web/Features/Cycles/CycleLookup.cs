using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Cycles;

/// <summary>The cycle a use case changes, tracked; "No such cycle." (404) when the organisation has none by that id.</summary>
public static class CycleLookup
{
    public static async Task<Cycle> FindAsync(TacitDbContext db, Guid id, CancellationToken ct) =>
        await db.Cycles.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("No such cycle.");
}
