using CsCheck;
using Tacit.Matching;

namespace Tacit.Matching.Tests;

/// <summary>The primal–dual solver on its own: random DAG networks with many tied costs, against glpsol.</summary>
public sealed class MinCostFlowSolverTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Minimum_cost_equals_glpsol_on_random_networks(bool refreshOften)
    {
        Gen.ULong.Sample(seed =>
        {
            var network = RandomNetwork(seed);
            var solver = new MinCostFlowSolver(network, refreshMinBlocked: refreshOften ? 1 : 1000, refreshMinPhases: refreshOften ? 1 : 10);
            solver.Solve();
            long cost = CheckFeasible(network, solver);
            var writer = new StringWriter();
            Dimacs.Write(network, writer);
            Assert.Equal(Glpsol.SolveExact(writer.ToString()), cost);
        }, iter: 30, threads: 1);
    }

    [Fact]
    public void Refreshing_potentials_does_not_change_the_flow_cost()
    {
        long refreshes = 0;
        Gen.ULong.Sample(seed =>
        {
            var network = RandomNetwork(seed);
            var plain = new MinCostFlowSolver(network, refreshMinBlocked: int.MaxValue);
            plain.Solve();
            var refreshing = new MinCostFlowSolver(network, refreshMinBlocked: 1, refreshMinPhases: 1);
            refreshing.Solve();
            Interlocked.Add(ref refreshes, refreshing.Refreshes);
            Assert.Equal(CheckFeasible(network, plain), CheckFeasible(network, refreshing));
        }, iter: 300);
        Assert.True(refreshes > 0, "no sample exercised the potential refresh");
    }

    [Fact]
    public void Each_round_routes_every_zero_reduced_cost_path()
    {
        // The depth-first rounds are complete blocking flows, so no Dijkstra phase ever finds length 0 (one that did
        // would mean a round missed a path, which costs a whole extra round).
        Gen.ULong.Sample(seed =>
        {
            var solver = new MinCostFlowSolver(RandomNetwork(seed), refreshMinBlocked: 1, refreshMinPhases: 1);
            solver.Solve();
            Assert.Equal(0, solver.ZeroLengthPhases);
        }, iter: 300);
        var built = new MatchingNetwork(CompiledInstance.Compile(InstanceGenerator.Generate(new GeneratorOptions(3000, 300, 7))));
        var onOrganisation = new MinCostFlowSolver(built.Network);
        onOrganisation.Solve();
        Assert.Equal(0, onOrganisation.ZeroLengthPhases);
    }

    [Fact]
    public void Same_network_gives_the_same_flow()
    {
        var network = RandomNetwork(12345);
        var first = new MinCostFlowSolver(network);
        first.Solve();
        var second = new MinCostFlowSolver(network);
        second.Solve();
        for (int a = 0; a < network.ArcCount; a++) Assert.Equal(first.Flow(a), second.Flow(a));
    }

    [Fact]
    public void Lowering_capacities_after_a_solve_and_solving_again_gives_the_minimum_cost_of_the_lowered_network()
    {
        // What the group-composition cuts do: lower arcs into the sink (or into a node whose one out-arc goes to the
        // sink, as a capped teacher's node), then route only what they gave back. A new solver on a copy of the
        // lowered network, from nothing, is the reference (the test above checks it against glpsol).
        int lowered = 0, throughOnward = 0, refused = 0;
        Gen.ULong.Sample(seed =>
        {
            var network = RandomNetwork(seed);
            var warm = new MinCostFlowSolver(network);
            warm.Solve();
            var random = new Random((int)(seed % 1_000_003));
            int sink = network.NodeCount - 1;
            var outArcs = new int[network.NodeCount];
            var toSink = new bool[network.NodeCount];
            foreach (var arc in network.Arcs)
            {
                outArcs[arc.Tail]++;
                if (arc.Head == sink) toSink[arc.Tail] = true;
            }
            var capacities = new Dictionary<int, int>();
            for (int a = 0; a < network.ArcCount; a++)
            {
                var arc = network.Arcs[a];
                bool intoSink = arc.Head == sink;
                bool intoOnward = !intoSink && outArcs[arc.Head] == 1 && toSink[arc.Head];
                // Sources keep their bypass to the sink, so every lowered network stays feasible.
                if (network.Supply[arc.Tail] > 0 || !(intoSink || intoOnward) || random.Next(3) > 0) continue;
                int capacity = random.Next(0, arc.Capacity + 1);
                int flowBefore = warm.Flow(a);
                if (!warm.LowerCapacity(a, capacity)) { Interlocked.Increment(ref refused); continue; }
                capacities[a] = capacity;
                if (flowBefore > capacity) Interlocked.Increment(ref lowered);
                if (flowBefore > capacity && intoOnward) Interlocked.Increment(ref throughOnward);
            }
            warm.Solve();
            var copy = new FlowNetwork(network.NodeCount);
            for (int v = 0; v < network.NodeCount; v++) copy.Supply[v] = network.Supply[v];
            for (int a = 0; a < network.ArcCount; a++)
            {
                var arc = network.Arcs[a];
                copy.AddArc(arc.Tail, arc.Head, capacities.TryGetValue(a, out int c) ? c : arc.Capacity, arc.Cost);
            }
            var fresh = new MinCostFlowSolver(copy);
            fresh.Solve();
            Assert.Equal(CheckFeasible(copy, fresh), CheckFeasible(copy, warm));
        }, iter: 3000);
        // The samples must take flow off arcs, also through a node in between, or this checks nothing.
        Assert.True(lowered >= 600 && throughOnward >= 20, $"{lowered} arcs gave flow back, {throughOnward} of them through a node in between ({refused} refused)");
    }

    /// <summary>
    /// A layered DAG like the matching network (sources, hubs with parallel and tied arcs, the sink last); costs come
    /// from a few values so zero-reduced-cost plateaus are common; every source has a free bypass to the sink.
    /// </summary>
    private static FlowNetwork RandomNetwork(ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue));
        int sources = random.Next(1, 8);
        int middle = random.Next(1, 25);
        int n = sources + middle + 1;
        int sink = n - 1;
        var network = new FlowNetwork(n);
        long[] costChoices = [-1000, -100, -10, -3, -1, 0, 0, 0, 2, 5];
        for (int s = 0; s < sources; s++)
        {
            int supply = random.Next(1, 6);
            network.Supply[s] = supply;
            network.Supply[sink] -= supply;
            network.AddArc(s, sink, supply, 0);
        }
        int arcs = random.Next(n, 5 * n);
        for (int i = 0; i < arcs; i++)
        {
            int tail = random.Next(0, n - 1);
            int head = random.Next(Math.Max(tail + 1, sources), n);
            network.AddArc(tail, head, random.Next(0, 4), costChoices[random.Next(costChoices.Length)]);
        }
        return network;
    }

    /// <summary>Checks capacities and conservation and returns the flow's cost.</summary>
    private static long CheckFeasible(FlowNetwork network, MinCostFlowSolver solver)
    {
        var balance = new long[network.NodeCount];
        long cost = 0;
        for (int a = 0; a < network.ArcCount; a++)
        {
            int f = solver.Flow(a);
            var arc = network.Arcs[a];
            Assert.InRange(f, 0, arc.Capacity);
            balance[arc.Tail] += f;
            balance[arc.Head] -= f;
            cost += f * arc.Cost;
        }
        for (int v = 0; v < network.NodeCount; v++) Assert.Equal(network.Supply[v], balance[v]);
        return cost;
    }
}
