using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Home;

/// <summary>The open cycle a person takes part in, as the start page announces it.</summary>
public sealed record CurrentCycle(Guid Id, string Name, CycleState State, DateOnly IntakeOpens, DateOnly IntakeCloses, DateOnly MatchingDate);

/// <summary>A cycle whose facilitators wait for this manager's answer: will they support their people taking part?</summary>
public sealed record AwaitedSupport(Guid CycleId, string CycleName);

/// <summary>
/// What the start page tells a signed-in person: colleagues (counted up to a cap), skills, their own shares and wants,
/// their cycle, and the support answers awaited from them as a manager.
/// </summary>
public sealed record HomeSummary(int People, int Skills, int MyShares, int MyWants, CurrentCycle? Cycle, IReadOnlyList<AwaitedSupport> AwaitedSupport);

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
        // A manager answers until the cycle is matched (ManagerEnrolment.Respond); after that nothing is awaited.
        var awaited = await db.ManagerEnrolments.AsNoTracking().Where(e => e.ManagerId == personId && e.RespondedAt == null)
            .Join(db.Cycles.Where(c => c.State >= CycleState.Enrolment && c.State <= CycleState.Mapped), e => e.CycleId, c => c.Id, (e, c) => new AwaitedSupport(c.Id, c.Name))
            .ToListAsync(cancellationToken);
        return new HomeSummary(people, skills, shares, wants,
            cycle is null ? null : new CurrentCycle(cycle.Id, cycle.Name, cycle.State, cycle.IntakeOpens, cycle.IntakeCloses, cycle.MatchingDate), awaited);
    }
}
