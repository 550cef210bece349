using Tacit.Domain.Cycles;
using Tacit.Matching;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// What a run with other weights would give, worked out at once and not saved: the facilitator sees a weight's effect
/// (learners served, wants met, pairs across departments…) beside the latest run before starting one. The engine is
/// the same and as exact; at 10,000 people it answers in about a second, at 100,000 in several.
/// </summary>
public sealed class MatchPreview(Data.TacitDbContext db, MatchInputReader reader)
{
    public async Task<MatchFigures> PreviewAsync(Guid cycleId, MatchWeights weights, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        if (cycle.State is not (CycleState.Mapped or CycleState.Matched))
            throw new Domain.ConflictException(cycle.State < CycleState.Mapped
                ? "Close the intake and publish the map before matching."
                : "The proposals are published; there is nothing to preview.");
        var input = await reader.ReadAsync(cycle, weights.Copy().Checked(), ct);
        var result = await Task.Run(() => ConstrainedMatcher.Match(input.Instance, input.Excluded, input.PinnedPairs), ct);
        return RunFigures.Of(input, result);
    }
}

/// <summary>The figures of a run, from its input and the engine's answer (pins it honoured included).</summary>
public static class RunFigures
{
    public static MatchFigures Of(MatchInput input, PinnedMatchResult result)
    {
        var plan = result.Result.Plan;
        var honoured = result.Honoured;
        var assignments = plan.Sessions.SelectMany(s => s.Learners).ToList();
        return new MatchFigures
        {
            Participants = input.Participants,
            Learners = input.Learners,
            LearnersServed = assignments.Select(l => l.LearnerId).Concat(honoured.Select(p => p.LearnerId)).Distinct(StringComparer.Ordinal).Count(),
            WantsTotal = plan.Summary.Wants + honoured.Count,
            WantsMet = plan.Summary.WantsMet + honoured.Count,
            Sessions = plan.Summary.Sessions + honoured.Count,
            GroupSessions = plan.Summary.GroupSessions,
            Teachers = plan.Sessions.Select(s => s.TeacherId).Concat(honoured.Select(p => p.TeacherId)).Distinct(StringComparer.Ordinal).Count(),
            CrossDepartmentAssignments = plan.Summary.CrossDepartmentAssignments,
            PreferredTeacherAssignments = assignments.Count(l => l.Reasons.Contains("preferred teacher")),
        };
    }
}
