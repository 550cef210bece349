namespace Tacit.Matching;

/// <summary>Figures of one two-stage solve.</summary>
internal sealed record LexicographicSolveStatistics(int LearnersServed, long Refines, long Pushes, long Relabels, long PriceUpdates, TimeSpan StageOneTime, TimeSpan StageTwoTime);

/// <summary>
/// Finds a minimum-cost flow of the matching network (with its first-session bonus B) without ever using B, in two
/// stages (proof in docs/matching.md): stage 1 maximises the number x₁* of learners with a bonus who get a first
/// session; stage 2 feeds exactly x₁* first sessions from a new node S₁ (one unit at most to each such learner) and
/// minimises the remaining costs. Both stages run cost scaling on the same topology: the original arcs with every
/// bonus arc's tail moved from the learner to S₁, plus one arc S₁ → sink used by stage 1 only.
/// </summary>
internal static class LexicographicSolver
{
    /// <summary>Returns the flow on every arc of <paramref name="built"/>'s network.</summary>
    public static int[] Solve(MatchingNetwork built, out LexicographicSolveStatistics statistics)
    {
        var network = built.Network;
        int n = network.NodeCount;
        int m = network.ArcCount;
        int s1 = n;
        int sink = built.Sink;

        var tails = new int[m + 1];
        var heads = new int[m + 1];
        network.Tails.CopyTo(tails);
        network.Heads.CopyTo(heads);
        var bonusLearners = new List<int>();
        for (int p = 0; p < built.BonusArc.Length; p++)
        {
            if (built.BonusArc[p] < 0) continue;
            bonusLearners.Add(p);
            tails[built.BonusArc[p]] = s1;
        }
        tails[m] = s1;
        heads[m] = sink;
        var solver = new CostScalingSolver(n + 1, tails, heads);
        var bounded = ThroughputBoundedCapacities(network);

        // Stage 1: a max flow in disguise. Each bonus learner may take one unit from S₁ (cost −1), everything else
        // is free, the learners' own supplies are left out (they only compete for capacity, and may send nothing).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var capacities = new int[m + 1];
        var costs = new long[m + 1];
        var supply = new long[n + 1];
        bounded.CopyTo(capacities, 0);
        for (int p = 0; p < built.LearnerNode.Length; p++)
        {
            if (built.LearnerNode[p] < 0) continue;
            if (built.ExtraArc[p] >= 0) capacities[built.ExtraArc[p]] = 0;
            capacities[built.UnusedArc[p]] = 0;
        }
        foreach (int p in bonusLearners) costs[built.BonusArc[p]] = -1;
        capacities[m] = bonusLearners.Count;
        supply[s1] = bonusLearners.Count;
        supply[sink] = -bonusLearners.Count;
        if (CostScalingSolver.Trace is not null) CostScalingSolver.DebugRelabels = new long[n + 1];
        if (CostScalingSolver.Trace is not null) CostScalingSolver.DebugRole = v => v < n ? built.Role[v].ToString() : "S1";
        solver.Solve(capacities, costs, supply);
        if (CostScalingSolver.Trace is not null)
        {
            var byRole = new long[8];
            for (int v = 0; v < n; v++) byRole[(int)built.Role[v]] += CostScalingSolver.DebugRelabels![v];
            CostScalingSolver.Trace(string.Join(", ", Enum.GetValues<NodeRole>().Select(r => $"{r}: {byRole[(int)r]}")) + $" S1: {CostScalingSolver.DebugRelabels![n]}");
            CostScalingSolver.DebugRelabels = new long[n + 1];
        }
        int served = 0;
        foreach (int p in bonusLearners) served += solver.Flow(built.BonusArc[p]);
        var stageOne = clock.Elapsed;

        // Stage 2: exactly x₁* first sessions from S₁; the learners supply their other sessions.
        clock.Restart();
        bounded.CopyTo(capacities, 0);
        capacities[m] = 0;
        network.Costs.CopyTo(costs);
        costs[m] = 0;
        network.Supply.CopyTo(supply);
        supply[s1] = served;
        foreach (int p in bonusLearners)
        {
            costs[built.BonusArc[p]] = 0;
            supply[built.LearnerNode[p]]--;
        }
        supply[sink] += bonusLearners.Count - served;
        solver.Solve(capacities, costs, supply);

        if (CostScalingSolver.Trace is not null)
        {
            var byRole = new long[8];
            for (int v = 0; v < n; v++) byRole[(int)built.Role[v]] += CostScalingSolver.DebugRelabels![v];
            CostScalingSolver.Trace(string.Join(", ", Enum.GetValues<NodeRole>().Select(r => $"{r}: {byRole[(int)r]}")) + $" S1: {CostScalingSolver.DebugRelabels![n]}");
        }
        var flow = new int[m];
        for (int a = 0; a < m; a++) flow[a] = solver.Flow(a);
        // Map back: a learner's unused sessions are what the bonus and extra arcs leave of its supply.
        for (int p = 0; p < built.LearnerNode.Length; p++)
        {
            if (built.LearnerNode[p] < 0) continue;
            int used = (built.BonusArc[p] >= 0 ? flow[built.BonusArc[p]] : 0) + (built.ExtraArc[p] >= 0 ? flow[built.ExtraArc[p]] : 0);
            flow[built.UnusedArc[p]] = built.LearnerCapacity[p] - used;
        }
        statistics = new LexicographicSolveStatistics(served, solver.Refines, solver.Pushes, solver.Relabels, solver.PriceUpdates, stageOne, clock.Elapsed);
        return flow;
    }

    /// <summary>
    /// Arc capacities lowered to what can ever pass: no more than can reach the tail (supplies and in-arcs, forwards
    /// in id order) nor more than can leave the head (out-arcs, backwards; the sink takes anything). The network is a
    /// DAG with arcs going up in id, so every flow of it (and of both stages) respects these bounds: the optimum is
    /// unchanged, but the hubs' "infinite" arcs no longer let a refine pour thousands of units into a node.
    /// </summary>
    private static int[] ThroughputBoundedCapacities(FlowNetwork network)
    {
        int n = network.NodeCount;
        var tails = network.Tails.ToArray();
        var heads = network.Heads;
        var caps = network.Capacities;
        var inBound = new long[n];
        var outBound = new long[n];
        for (int v = 0; v < n; v++) inBound[v] = Math.Max(0, network.Supply[v]);
        var order = new int[network.ArcCount];
        for (int a = 0; a < order.Length; a++) order[a] = a;
        Array.Sort(order, (x, y) => tails[x] != tails[y] ? tails[x].CompareTo(tails[y]) : x.CompareTo(y));
        foreach (int a in order) inBound[heads[a]] += Math.Min(caps[a], inBound[tails[a]]);
        outBound[n - 1] = long.MaxValue / 4;
        for (int i = order.Length - 1; i >= 0; i--)
        {
            int a = order[i];
            outBound[tails[a]] += Math.Min(caps[a], outBound[heads[a]]);
        }
        var bounded = new int[network.ArcCount];
        for (int a = 0; a < bounded.Length; a++)
            bounded[a] = (int)Math.Min(caps[a], Math.Min(inBound[tails[a]], outBound[heads[a]]));
        return bounded;
    }
}
