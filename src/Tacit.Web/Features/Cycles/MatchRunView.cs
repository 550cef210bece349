using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Cycles;

/// <summary>One run as the facilitator reviews it: a page of its proposals, the first unmet wants, the pins it skipped, and the names they mention.</summary>
public sealed record MatchRunRead(Cycle Cycle, MatchRun Run, Page<Proposal> Proposals, Page<UnmetWant> Unmet, IReadOnlyList<MatchRuns.SkippedPinRow> SkippedPins,
    IReadOnlyDictionary<Guid, string> Names, IReadOnlyDictionary<Guid, string> Skills);

/// <summary>
/// The run page's read: the run with one page of its proposed sessions and the first <see cref="UnmetShown"/> wants it
/// left unmet, read through the same <see cref="MatchRuns"/> methods as the API's lists.
/// </summary>
public sealed class MatchRunView(TacitDbContext db, CycleLifecycle cycles, MatchRuns runs)
{
    public const int UnmetShown = 100;

    /// <summary>Null when the organisation has no such cycle, or the cycle no such run.</summary>
    public async Task<MatchRunRead?> ReadAsync(Guid cycleId, Guid runId, Paging proposalPage, CancellationToken ct = default)
    {
        var cycle = await cycles.FindAsync(cycleId, ct);
        var run = cycle is null ? null : await db.MatchRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.CycleId == cycleId, ct);
        if (cycle is null || run is null) return null;
        var proposals = await runs.ProposalsAsync(runId, proposalPage, ct);
        var unmet = await runs.UnmetAsync(runId, new Paging(1, UnmetShown), ct);
        var names = await db.PersonNamesAsync(proposals.Items.SelectMany(p => p.LearnerIds.Append(p.TeacherId)).Concat(unmet.Items.Select(u => u.LearnerId)), ct);
        var skills = await db.SkillNamesAsync(proposals.Items.Select(p => p.SkillId).Concat(unmet.Items.Select(u => u.SkillId)), ct);
        return new MatchRunRead(cycle, run, proposals, unmet, await runs.SkippedPinsAsync(runId, ct), names, skills);
    }
}
