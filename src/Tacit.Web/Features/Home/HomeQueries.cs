using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Home;

/// <summary>The open cycle a person takes part in, as the start page announces it.</summary>
public sealed record CurrentCycle(Guid Id, string Name, CycleState State, DateOnly IntakeOpens, DateOnly IntakeCloses, DateOnly MatchingDate);

/// <summary>What the start page tells a signed-in person: colleagues (counted up to a cap), skills, their own shares and wants, and their cycle.</summary>
public sealed record HomeSummary(int People, int Skills, int MyShares, int MyWants, CurrentCycle? Cycle);

public sealed class HomeQueries(TacitDbContext db)
{
    public async Task<HomeSummary> ForAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        // Capped like the directory: a large organisation's start page should not count everyone.
        var people = await db.People.Where(p => p.IsActive).Take(Paging.CountCap + 1).CountAsync(cancellationToken);
        var skills = await db.Skills.CountAsync(cancellationToken);
        var shares = await db.Shares.CountAsync(s => s.PersonId == personId, cancellationToken);
        var wants = await db.Wants.CountAsync(w => w.PersonId == personId, cancellationToken);
        var department = await db.People.Where(p => p.Id == personId).Select(p => p.Department).SingleOrDefaultAsync(cancellationToken) ?? "";
        // The newest open cycle the person takes part in; cycles are few, so choosing among them here is cheap.
        var cycle = (await db.Cycles.AsNoTracking().Where(c => c.State != CycleState.Closed)
                .OrderByDescending(c => c.CreatedAt).Take(20).ToListAsync(cancellationToken))
            .FirstOrDefault(c => c.Includes(department));
        return new HomeSummary(people, skills, shares, wants,
            cycle is null ? null : new CurrentCycle(cycle.Id, cycle.Name, cycle.State, cycle.IntakeOpens, cycle.IntakeCloses, cycle.MatchingDate));
    }
}
