namespace Tacit.Domain.Cycles;

/// <summary>One learner with one teacher for one skill, as a run proposes it (a group session proposes one per learner).</summary>
public readonly record struct ProposedPair(Guid LearnerId, Guid TeacherId, Guid SkillId);

/// <summary>
/// What changed from one match run to a later one, pair by pair: a facilitator who moves a weight wants to see
/// who gains or loses a session, not only that the totals moved.
/// </summary>
public sealed record RunChanges(IReadOnlyList<ProposedPair> Added, IReadOnlyList<ProposedPair> Removed, int Kept)
{
    public static RunChanges Between(IEnumerable<ProposedPair> earlier, IEnumerable<ProposedPair> later)
    {
        var before = earlier.ToHashSet();
        var after = later.ToHashSet();
        return new RunChanges(
            [.. after.Where(p => !before.Contains(p))],
            [.. before.Where(p => !after.Contains(p))],
            after.Count(before.Contains));
    }
}
