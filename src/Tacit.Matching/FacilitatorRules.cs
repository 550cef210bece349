namespace Tacit.Matching;

/// <summary>A (learner, teacher) pair a facilitator ruled out for this run, whatever the skill.</summary>
public sealed record ExcludedPair(string LearnerId, string TeacherId);

/// <summary>Matching with a facilitator's exclusions on top of the instance's own rules.</summary>
public static class ConstrainedMatcher
{
    /// <summary>
    /// As <see cref="Matcher.Match(InstanceDocument, Action{string}?)"/>, with the given pairs excluded like hard last-cycle
    /// pairs. Learners in <paramref name="alreadyServed"/> already have a session (a pinned one) and so earn no first-session bonus.
    /// </summary>
    public static MatchResult Match(InstanceDocument instance, IReadOnlyList<ExcludedPair> excluded, IReadOnlySet<string> alreadyServed,
        Action<string>? progress = null) =>
        Matcher.Solve(CompiledInstance.Compile(instance, [.. excluded.Select(e => (e.LearnerId, e.TeacherId))], alreadyServed), progress);
}
