namespace Tacit.Matching;

/// <summary>
/// The exact search after cuts (docs/matching.md, "Exact search after cuts"): branch and bound over the relaxation.
/// A node is the first network with some (want, share) pairs ruled out; its optimum bounds every plan of the node. When
/// the node's flow packs, it is a plan; when a share cannot pack its learners, no plan puts all of a smallest unpackable
/// subset of them on that share (packing is monotone: a subset of a packable set packs), so the node's plans split
/// into one child per member of that subset, each ruling out that member at that share. Nodes whose bound is no better
/// than the best plan known are dropped. A search that ends with no node left has proved its best plan optimal.
/// </summary>
internal static class GroupCompositionSearch
{
    /// <summary>Arcs the search may build in all (each node builds its network anew): about a second of work, counted,
    /// not timed, so the same input gives the same plan. Tiny organisations get up to <see cref="MaxNodes"/> nodes, 700
    /// people with hours about 50 (enough there), 1,000 people none (measured in docs/benchmarks.md).</summary>
    internal const long ArcBudget = 3_500_000;
    internal const int MaxNodes = 1_000;
    /// <summary>Fewer nodes than this would rarely finish: the search is not started.</summary>
    internal const int MinNodes = 32;

    internal sealed record Outcome(MatchPlan? Better, MatchingNetwork? Network, MinCostFlowSolver? Solver, bool Complete, int Nodes);

    /// <param name="root">The first solve's packing failure: the relaxation's optimum and its unpackable shares.</param>
    /// <param name="incumbent">The value of the best plan known (the cut plan); only a strictly better one is returned.</param>
    public static Outcome Search(CompiledInstance instance, GroupPackingException root, LexicographicValue incumbent, int rootArcs,
        int upperBound, int cuts)
    {
        int budget = (int)Math.Min(MaxNodes, ArcBudget / Math.Max(1, rootArcs));
        if (budget < MinNodes) return new Outcome(null, null, null, false, 0);
        var cutLimits = instance.ShareCapacityLimit;
        instance.ShareCapacityLimit = null; // the search branches on pairs; the cut plan's lowered capacities are a heuristic
        var best = incumbent;
        Outcome? found = null;
        long[]? foundExcluded = null;
        var open = new Stack<(long[] Excluded, LexicographicValue Bound)>();
        Branch(instance, open, [], root);
        int nodes = 0;
        bool complete = true;
        while (open.Count > 0)
        {
            var (excluded, bound) = open.Pop();
            if (bound.CompareTo(best) <= 0) continue;
            if (nodes == budget) { complete = false; break; }
            nodes++;
            instance.BranchExcluded = [.. excluded];
            var built = new MatchingNetwork(instance);
            var solver = new MinCostFlowSolver(built.Network);
            solver.Solve();
            var flow = Matcher.Flows(built, solver);
            try
            {
                var plan = PlanBuilder.Build(instance, built, flow, upperBound, cuts);
                if (plan.Value.CompareTo(best) <= 0) continue;
                best = plan.Value;
                found = new Outcome(plan, built, solver, false, 0);
                foundExcluded = excluded;
            }
            catch (GroupPackingException conflict)
            {
                if (conflict.Relaxation.CompareTo(best) > 0) Branch(instance, open, excluded, conflict);
            }
        }
        // A better plan counts only from a finished search: its unmet wants' reasons treat a ruled-out share as having
        // no room for the want, which optimality makes true (docs/matching.md). The instance is left as the returned
        // plan was made.
        if (!complete) found = null;
        instance.BranchExcluded = found is null ? null : [.. foundExcluded!];
        instance.ShareCapacityLimit = found is null ? cutLimits : null;
        return found is null ? new Outcome(null, null, null, complete, nodes) : found with { Complete = true, Nodes = nodes };
    }

    /// <summary>
    /// Children of a node whose flow does not pack: one per member of a smallest unpackable subset, taken at the share
    /// whose subset is smallest (fewest children; the first such share on a tie).
    /// </summary>
    private static void Branch(CompiledInstance instance, Stack<(long[] Excluded, LexicographicValue Bound)> open, long[] excluded, GroupPackingException conflict)
    {
        var (share, subset) = conflict.Shares.Select(unpacked => (unpacked.Share, Subset: SmallestUnpackable(instance, unpacked)))
            .MinBy(conflicting => conflicting.Subset.Count);
        // The members are in plan order (priority, then pair score, highest first). Pushed in that order, the child that
        // rules out the least valuable member is searched first: it is the one most likely to lead to a good plan soon,
        // and a good plan early prunes more of the rest.
        foreach (int want in subset) open.Push(([.. excluded, CompiledInstance.PairKey(want, share)], conflict.Relaxation));
    }

    /// <summary>The share's learners less every one whose removal still leaves them unpackable, least valuable first.</summary>
    private static List<int> SmallestUnpackable(CompiledInstance instance, UnpackedShare unpacked)
    {
        var subset = new List<int>(unpacked.Wants);
        for (int i = subset.Count - 1; i >= 0; i--)
        {
            var without = new List<int>(subset);
            without.RemoveAt(i);
            if (!PlanBuilder.Packs(instance, unpacked.Share, without, out _)) subset.RemoveAt(i);
        }
        return subset;
    }
}
