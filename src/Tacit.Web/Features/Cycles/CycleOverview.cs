using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Cycles;

/// <summary>Where a cycle stands, for its overview: who takes part and has answered, what the managers said, runs, carried wants.</summary>
public sealed record CycleOverviewRead(Cycle Cycle, int Participants, int Answered, int ManagersInvited, int ManagersAnswered, int ManagersSupporting,
    int Runs, int CarriedWants);

/// <summary>The cycle page's read: the figures that tell the facilitator whether the next step can be taken.</summary>
public sealed class CycleOverview(TacitDbContext db, CycleLifecycle cycles, Intake intake)
{
    /// <summary>Null when the organisation has no such cycle.</summary>
    public async Task<CycleOverviewRead?> ReadAsync(Guid cycleId, CancellationToken ct = default)
    {
        if (await cycles.FindAsync(cycleId, ct) is not { } cycle) return null;
        var progress = await intake.ProgressAsync(cycle, ct);
        var enrolments = db.ManagerEnrolments.Where(m => m.CycleId == cycleId);
        return new CycleOverviewRead(cycle, progress.Participants, progress.Answered,
            ManagersInvited: await enrolments.CountAsync(ct),
            ManagersAnswered: await enrolments.CountAsync(m => m.RespondedAt != null, ct),
            ManagersSupporting: await enrolments.CountAsync(m => m.RespondedAt != null && m.Supports == true, ct),
            Runs: await db.MatchRuns.CountAsync(r => r.CycleId == cycleId, ct),
            CarriedWants: await db.CarriedWants.CountAsync(w => w.CycleId == cycleId, ct));
    }
}
