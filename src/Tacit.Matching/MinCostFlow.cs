using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Tacit.Matching;

/// <summary>An arc of a flow network; <see cref="Flow"/> is written by the solver.</summary>
internal struct FlowArc
{
    public long Cost;
    public int Tail;
    public int Head;
    public int Capacity;
    public int Flow;
}

/// <summary>A growable list of arcs (tail, head, capacity, cost) plus node supplies: the network exactly as exported to DIMACS.</summary>
internal sealed class FlowNetwork
{
    private FlowArc[] arcs;

    /// <param name="arcCapacity">Arcs to make room for up front (the array still grows beyond it).</param>
    public FlowNetwork(int nodeCount, int arcCapacity = 1024)
    {
        NodeCount = nodeCount;
        Supply = new long[nodeCount];
        arcs = new FlowArc[Math.Max(16, arcCapacity)];
    }

    public int NodeCount { get; }
    public int ArcCount { get; private set; }
    public long[] Supply { get; }
    public ReadOnlySpan<FlowArc> Arcs => arcs.AsSpan(0, ArcCount);

    /// <summary>The arc array itself (its first <see cref="ArcCount"/> entries), for a solver that works in place.</summary>
    public FlowArc[] Storage => arcs;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // millions of calls from the network builder: keep the common path inline
    public int AddArc(int tail, int head, int capacity, long cost)
    {
        if (ArcCount == arcs.Length) Grow();
        arcs[ArcCount] = new FlowArc { Tail = tail, Head = head, Capacity = capacity, Cost = cost };
        return ArcCount++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow() => Array.Resize(ref arcs, arcs.Length * 2);
}

/// <summary>
/// Exact min-cost flow by the primal–dual method: successive shortest paths from a super-source over all remaining
/// supplies, with node potentials keeping every residual arc's reduced cost c + π(u) − π(v) ≥ 0 (so the flow is
/// always optimal for the supply routed so far). Each phase runs one multi-source Dijkstra that stops when the sink
/// is settled and lowers the potentials of the settled nodes, then routes as much as it can along zero-reduced-cost
/// arcs (depth-first with current arcs and dead-end marks), i.e. along every shortest path of that length at once.
/// The number of phases is about the number of distinct shortest-path lengths, which the lexicographic costs keep
/// small (≈ 280 at 100,000 people); ties (wide zero-reduced-cost plateaus) cost one depth-first round instead of one
/// Dijkstra per unit. Sources whose remaining supply cannot move at the current length would be searched again in
/// every phase; when many pile up, a backward Dijkstra from the sink makes the potentials exact again, which parks
/// each source at its own marginal cost.
/// Forward arcs live in a CSR array by tail; backward residual arcs are kept per head in a linked list of the arcs
/// that currently carry flow, so a share wanted by thousands never scans thousands of empty backward arcs.
/// Arcs must go from lower to higher node ids (the network is a DAG) and the sink is the last node; this gives
/// initial potentials (minus each node's shortest distance to the sink) in one pass.
/// </summary>
internal sealed class MinCostFlowSolver
{
    private readonly int nodeCount;
    private readonly int sink;
    private readonly int[] firstOut;   // CSR over arcs sorted by tail
    private readonly FlowArc[] arcs;        // CSR order; one struct per arc so a scan touches one cache line per arc
    private readonly int[]? sortedOf;   // input arc → CSR position; null when the input is already in CSR order
    private readonly int[] firstIn;     // per node: range of inArcs
    private readonly InArc[] inArcs;    // arcs grouped by head, for the refresh's backward search
    private readonly int[] inPosition;  // CSR position → index in inArcs
    private readonly int[] refreshQueue;
    private readonly int[] carryingFirst; // per node: first arc into it that carries flow, -1 if none
    private readonly int[] carryingNext;
    private readonly int[] carryingPrev;
    private readonly int[] carryingLast;
    private readonly long[] potential;
    private readonly long[] remaining;  // supply not yet routed
    private readonly long[] distance;
    private readonly byte[] state; // 0 untouched, 1 in heap, 2 settled
    private readonly IndexedHeap<ByDistance> heap;
    private readonly List<int> touched = [];
    private readonly List<int> settled = [];

    // Sources with remaining supply, by potential (highest first): the super-source reaches source v at distance
    // superPotential − π(v), so only the front of this heap matters in a phase.
    private readonly IndexedHeap<ByPotential> sources;
    private long superPotential;
    private long unrouted; // supply not yet routed, over all sources
    private readonly List<int> poppedSources = [];

    // Depth-first rounds: each node's state (Alive, OnPath, Pending, Suspect, Dead) and current arcs, valid when
    // levelStamp == stamp.
    private readonly byte[] level;
    private readonly int[] levelStamp;
    private readonly int[] currentForward;
    private readonly int[] currentBackward;
    private int stamp;
    private readonly List<int> path = [];
    // Exact dead ends (see BlockingFlow): per search, each path node's preorder number and low link, and the nodes
    // left pending; per node, the first arcs passed over because their heads were busy and the search that did it.
    private readonly int[] order;
    private readonly int[] low;
    private readonly int[] pendingMark;
    private readonly int[] busyForward;
    private readonly int[] busyBackward;
    private readonly int[] busySearch;
    private readonly List<int> pending = [];
    private readonly List<int> suspects = [];
    private int nextOrder;
    private int search;
    private readonly List<int> tight = [];

    /// <param name="network">Arcs from lower to higher ids; the sink is the last node; every source must be able to reach it.</param>
    /// <param name="refreshMinBlocked">Refresh potentials once at least this many sources (and an eighth of all sources) are left behind...</param>
    /// <param name="refreshMinPhases">...and at least this many phases have passed since the last refresh (tests lower both).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once with long loops: skip the tiers and on-stack replacement
    public MinCostFlowSolver(FlowNetwork network, int refreshMinBlocked = 1000, int refreshMinPhases = 10)
    {
        this.refreshMinBlocked = refreshMinBlocked;
        this.refreshMinPhases = refreshMinPhases;
        nodeCount = network.NodeCount;
        int m = network.ArcCount;
        var input = network.Arcs;
        firstOut = new int[nodeCount + 1];
        bool byTail = true;
        for (int i = 0; i < m; i++)
        {
            if (input[i].Tail >= input[i].Head) throw new InvalidOperationException("network arcs must go from lower to higher node ids");
            if (i > 0 && input[i].Tail < input[i - 1].Tail) byTail = false;
            firstOut[input[i].Tail + 1]++;
        }
        for (int v = 0; v < nodeCount; v++) firstOut[v + 1] += firstOut[v];
        // Arrays that are written in full before being read skip the zeroing (GC.AllocateUninitializedArray): the
        // solver allocates about 500 MB at 100,000 people, and clearing it was a visible part of setting up.
        if (byTail)
        {
            // The matching network adds its arcs in tail order: the CSR order is the input order, and the solver
            // works on the network's own arc array (a copy was 100 MB at 100,000 people). So a network serves one
            // solver at a time; the flows start from zero.
            arcs = network.Storage;
            for (int i = 0; i < m; i++) arcs[i].Flow = 0;
        }
        else
        {
            arcs = GC.AllocateUninitializedArray<FlowArc>(m);
            sortedOf = GC.AllocateUninitializedArray<int>(m);
            var fill = (int[])firstOut.Clone();
            for (int i = 0; i < m; i++)
            {
                int p = fill[input[i].Tail]++;
                arcs[p] = input[i] with { Flow = 0 };
                sortedOf[i] = p;
            }
        }
        // Arcs by head, for the backward search of RefreshPotentials. (Building them on the second core while the
        // rest is set up did not measurably help on the shared 2-core machine.)
        (firstIn, inArcs, inPosition) = ArcsByHead(arcs, m, nodeCount);
        refreshQueue = GC.AllocateUninitializedArray<int>(nodeCount);
        carryingFirst = GC.AllocateUninitializedArray<int>(nodeCount);
        Array.Fill(carryingFirst, -1);
        carryingNext = GC.AllocateUninitializedArray<int>(m);
        carryingPrev = GC.AllocateUninitializedArray<int>(m);
        carryingLast = GC.AllocateUninitializedArray<int>(nodeCount);
        Array.Fill(carryingLast, -1);

        // Initial potentials: minus the shortest distance to the sink (the last node), so that every node's cheapest
        // route to the sink has reduced cost 0 and the first round routes most units without any Dijkstra. Arcs go upwards in id,
        // so a descending pass is a topological order. Nodes that cannot reach the sink get the tightest value their
        // in-arcs allow, which keeps every reduced cost non-negative.
        potential = new long[nodeCount];
        const long unreachable = long.MaxValue;
        var toSink = GC.AllocateUninitializedArray<long>(nodeCount);
        Array.Fill(toSink, unreachable);
        toSink[nodeCount - 1] = 0;
        for (int v = nodeCount - 2; v >= 0; v--)
        {
            long best = unreachable;
            for (int p = firstOut[v]; p < firstOut[v + 1]; p++)
            {
                long d = toSink[arcs[p].Head];
                if (arcs[p].Capacity > 0 && d != unreachable && d + arcs[p].Cost < best) best = d + arcs[p].Cost;
            }
            toSink[v] = best;
        }
        var isSet = new bool[nodeCount];
        for (int v = 0; v < nodeCount; v++)
        {
            if (toSink[v] != unreachable) { potential[v] = -toSink[v]; isSet[v] = true; }
        }
        for (int v = 0; v < nodeCount; v++)
        {
            if (!isSet[v]) isSet[v] = true; // no in-arcs seen: any value is feasible, keep 0
            for (int p = firstOut[v]; p < firstOut[v + 1]; p++)
            {
                int w = arcs[p].Head;
                if (toSink[w] != unreachable || arcs[p].Capacity <= 0) continue;
                long candidate = potential[v] + arcs[p].Cost;
                if (!isSet[w] || candidate < potential[w]) { potential[w] = candidate; isSet[w] = true; }
            }
        }

        sink = nodeCount - 1;
        remaining = new long[nodeCount];
        for (int v = 0; v < nodeCount; v++) if (network.Supply[v] > 0) remaining[v] = network.Supply[v];
        level = new byte[nodeCount];
        order = GC.AllocateUninitializedArray<int>(nodeCount);
        low = GC.AllocateUninitializedArray<int>(nodeCount);
        pendingMark = GC.AllocateUninitializedArray<int>(nodeCount);
        busyForward = GC.AllocateUninitializedArray<int>(nodeCount);
        busyBackward = GC.AllocateUninitializedArray<int>(nodeCount);
        busySearch = GC.AllocateUninitializedArray<int>(nodeCount);
        levelStamp = new int[nodeCount]; // 0: no round yet
        currentForward = GC.AllocateUninitializedArray<int>(nodeCount);
        currentBackward = GC.AllocateUninitializedArray<int>(nodeCount);
        distance = GC.AllocateUninitializedArray<long>(nodeCount);
        Array.Fill(distance, long.MaxValue);
        state = new byte[nodeCount];
        heap = new IndexedHeap<ByDistance>(nodeCount, new ByDistance(distance));
        sources = new IndexedHeap<ByPotential>(nodeCount, new ByPotential(potential));
    }

    /// <summary>The arcs grouped by head (CSR): range starts per node, the arcs as the backward search reads them, and each arc's index among them.</summary>
    private static (int[] FirstIn, InArc[] InArcs, int[] InPosition) ArcsByHead(FlowArc[] arcs, int m, int nodeCount)
    {
        var firstIn = new int[nodeCount + 1];
        for (int p = 0; p < m; p++) firstIn[arcs[p].Head + 1]++;
        for (int v = 0; v < nodeCount; v++) firstIn[v + 1] += firstIn[v];
        var inArcs = GC.AllocateUninitializedArray<InArc>(m);
        var inPosition = GC.AllocateUninitializedArray<int>(m);
        var fill = (int[])firstIn.Clone();
        for (int p = 0; p < m; p++)
        {
            int i = fill[arcs[p].Head]++;
            inArcs[i] = new InArc { Cost = arcs[p].Cost, Tail = arcs[p].Tail, Room = arcs[p].Capacity };
            inPosition[p] = i;
        }
        return (firstIn, inArcs, inPosition);
    }

    public long Phases { get; private set; }
    public long Refreshes { get; private set; }
    public long BlockingRounds { get; private set; }
    public long Augmentations { get; private set; }
    public long SettledNodes { get; private set; }
    public long ZeroLengthPhases { get; private set; }
    public long BlockingPasses { get; private set; }
    public TimeSpan BlockingTime { get; private set; }
    public TimeSpan DijkstraTime { get; private set; }
    public TimeSpan RefreshTime { get; private set; }

    /// <summary>Routes every supply to the sink at minimum cost.</summary>
    public void Solve()
    {
        for (int v = 0; v < nodeCount; v++)
        {
            if (remaining[v] <= 0) continue;
            unrouted += remaining[v];
            sources.Add(v);
        }
        if (sources.Count == 0) return;
        int refreshAt = Math.Max(refreshMinBlocked, sources.Count / 8);
        superPotential = potential[sources.Top];
        while (true)
        {
            // Route along zero-reduced-cost paths from the sources the super-source reaches at reduced cost 0.
            tight.Clear();
            while (sources.Count > 0 && potential[sources.Top] == superPotential) tight.Add(sources.Pop());
            long start = Stopwatch.GetTimestamp();
            BlockingFlow();
            BlockingTime += Stopwatch.GetElapsedTime(start);
            int blocked = 0;
            foreach (int v in tight)
            {
                if (remaining[v] <= 0) continue;
                sources.Add(v);
                blocked++;
            }
            if (unrouted == 0) return;
            // Sources left behind stay at reduced distance 0 and would be searched again in every phase; exact
            // distances to the sink park each of them at its true marginal cost (which never decreases).
            // Measured at 30,000 and 100,000 people: refreshing when at least an eighth of all sources are left
            // behind, at most every 10 phases, takes about 40 % off the solve time (3-4 refreshes of 0.6 s each at
            // 100,000 people). Refreshing more often, or whenever the searches since the last refresh have touched
            // as many nodes as the network has, cost more than they saved at 100,000 and 500,000 people.
            if (blocked >= refreshAt && Phases - lastRefresh >= refreshMinPhases)
            {
                start = Stopwatch.GetTimestamp();
                RefreshPotentials();
                RefreshTime += Stopwatch.GetElapsedTime(start);
                lastRefresh = Phases;
                continue;
            }
            start = Stopwatch.GetTimestamp();
            ShortestPaths();
            DijkstraTime += Stopwatch.GetElapsedTime(start);
        }
    }

    /// <summary>Flow on input arc <paramref name="arc"/>.</summary>
    public int Flow(int arc) => arcs[sortedOf is null ? arc : sortedOf[arc]].Flow;

    /// <summary>
    /// After <see cref="Solve"/>: lowers input arc <paramref name="arc"/>'s capacity to <paramref name="capacity"/> and
    /// takes the flow above it off the arc, back to the arc's tail as supply, so that the next <see cref="Solve"/>
    /// routes it again from the current optimum instead of from nothing. The arc's head must be the sink, or a node
    /// whose one out-arc goes to the sink (the flow comes off that arc too). Returns false, and changes nothing, when
    /// taking flow off that arc would leave it with room at a negative reduced cost (a warm start would then not be
    /// optimal; the caller solves a new network instead).
    /// </summary>
    /// <remarks>
    /// Every other residual arc only loses room, so the potentials keep every reduced cost non-negative and the next
    /// Solve ends at a minimum-cost flow of the lowered network (docs/matching.md, "Groups").
    /// </remarks>
    public bool LowerCapacity(int arc, int capacity)
    {
        int p = sortedOf is null ? arc : sortedOf[arc];
        ref FlowArc a = ref arcs[p];
        if (capacity < 0 || capacity > a.Capacity) throw new ArgumentOutOfRangeException(nameof(capacity));
        int taken = Math.Max(0, a.Flow - capacity);
        int onward = -1;
        if (a.Head != sink)
        {
            if (firstOut[a.Head + 1] - firstOut[a.Head] != 1 || arcs[firstOut[a.Head]].Head != sink) return false;
            onward = firstOut[a.Head];
            ref FlowArc o = ref arcs[onward];
            if (taken > 0 && o.Cost + potential[o.Tail] - potential[sink] != 0) return false;
        }
        a.Capacity = capacity;
        inArcs[inPosition[p]].Room = capacity - a.Flow; // TakeFlow adds back what it takes off
        if (taken == 0) return true;
        TakeFlow(p, taken);
        if (onward >= 0) TakeFlow(onward, taken);
        remaining[a.Tail] += taken;
        return true;
    }

    private void TakeFlow(int p, int amount)
    {
        arcs[p].Flow -= amount;
        inArcs[inPosition[p]].Room += amount;
        if (arcs[p].Flow == 0) UnlinkCarrying(p);
    }

    private readonly int refreshMinBlocked;
    private readonly int refreshMinPhases;
    private long lastRefresh;

    /// <summary>
    /// Backward Dijkstra from the sink over the residual graph (reduced costs): π(v) −= dist(v → sink), which makes
    /// every node's cheapest route to the sink tight and keeps every reduced cost non-negative (nodes that cannot
    /// reach the sink drop by the largest distance found).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a few times with long loops: skip the tiers and on-stack replacement
    private void RefreshPotentials()
    {
        Refreshes++;
        // Most nodes already have a tight route to the sink (distance 0 from it), so nodes found at the distance
        // being settled go to a FIFO queue instead of the heap.
        // It reaches nearly every node, so its marks are cleared by whole-array passes at the end, not per node.
        distance[sink] = 0;
        state[sink] = 1;
        int queueHead = 0, queueTail = 0;
        refreshQueue[queueTail++] = sink;
        long level = 0;
        while (true)
        {
            int v;
            if (queueHead < queueTail) v = refreshQueue[queueHead++];
            else if (heap.Count > 0) { v = heap.Pop(); level = distance[v]; queueHead = queueTail = 0; }
            else break;
            if (state[v] == 2) continue;
            state[v] = 2;
            long pv = potential[v];
            // Residual arcs u → v: forward arcs into v with room, and backward ones (arcs v → u carrying flow).
            // The in-arcs are read in order, with their room kept up to date by Push: reading each arc's flow
            // from the CSR array instead was a cache miss per arc.
            for (int i = firstIn[v], end = firstIn[v + 1]; i < end; i++)
            {
                ref InArc a = ref inArcs[i];
                if (a.Room > 0) RelaxBackward(a.Tail, level + a.Cost - pv, level, ref queueTail);
            }
            for (int p = firstOut[v], end = firstOut[v + 1]; p < end; p++)
            {
                ref FlowArc a = ref arcs[p];
                if (a.Flow > 0) RelaxBackward(a.Head, level - a.Cost - pv, level, ref queueTail);
            }
        }
        for (int v = 0; v < nodeCount; v++) potential[v] -= state[v] == 2 ? distance[v] : level;
        Array.Fill(distance, long.MaxValue);
        Array.Clear(state);
        var all = new List<int>(sources.Count);
        while (sources.Count > 0) all.Add(sources.Pop());
        foreach (int v in all) sources.Add(v);
        superPotential = potential[sources.Top];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RelaxBackward(int u, long costMinusHeadPotential, long level, ref int queueTail)
    {
        byte s = state[u];
        if (s == 2) return;
        long candidate = costMinusHeadPotential + potential[u];
        if (candidate >= distance[u]) return;
        distance[u] = candidate;
        if (candidate == level)
        {
            if (s == 1 && heap.Contains(u)) heap.Remove(u);
            state[u] = 1;
            refreshQueue[queueTail++] = u;
        }
        else if (s == 0)
        {
            state[u] = 1;
            heap.Add(u);
        }
        else
        {
            heap.MovedUp(u);
        }
    }

    /// <summary>
    /// Multi-source Dijkstra from the super-source; stops when the sink is settled at distance D and sets
    /// π(v) += d(v) − D for settled nodes (and lowers the super-source's potential by D), which keeps every reduced
    /// cost non-negative and makes every shortest path to the sink consist of zero-reduced-cost arcs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private void ShortestPaths()
    {
        Phases++;
        long sinkDistance = -1;
        while (true)
        {
            bool takeSource = sources.Count > 0
                && (heap.Count == 0 || superPotential - potential[sources.Top] < distance[heap.Top]);
            if (takeSource)
            {
                int s = sources.Pop();
                poppedSources.Add(s);
                if (state[s] == 2) continue;
                long d = superPotential - potential[s];
                if (d >= distance[s]) continue;
                distance[s] = d;
                if (state[s] == 0)
                {
                    touched.Add(s);
                    state[s] = 1;
                    heap.Add(s);
                }
                else
                {
                    heap.MovedUp(s);
                }
                continue;
            }
            if (heap.Count == 0) throw new InvalidOperationException("no path from a supply to the sink; the network must give every source a route to the sink");
            int u = heap.Pop();
            state[u] = 2;
            settled.Add(u);
            if (sources.Contains(u))
            {
                sources.Remove(u); // its potential is about to change
                poppedSources.Add(u);
            }
            if (u == sink) { sinkDistance = distance[u]; break; }
            long du = distance[u] + potential[u];
            for (int p = firstOut[u], end = firstOut[u + 1]; p < end; p++)
            {
                if (arcs[p].Flow >= arcs[p].Capacity) continue;
                Relax(arcs[p].Head, du + arcs[p].Cost);
            }
            for (int p = carryingFirst[u]; p >= 0; p = carryingNext[p])
                Relax(arcs[p].Tail, du - arcs[p].Cost);
        }
        foreach (int v in settled) potential[v] += distance[v] - sinkDistance;
        superPotential -= sinkDistance;
        if (sinkDistance == 0) ZeroLengthPhases++; // a round is a complete blocking flow, so this should not happen
        foreach (int v in touched)
        {
            distance[v] = long.MaxValue;
            state[v] = 0;
        }
        SettledNodes += settled.Count;
        touched.Clear();
        settled.Clear();
        heap.Clear();
        foreach (int s in poppedSources) if (remaining[s] > 0 && !sources.Contains(s)) sources.Add(s);
        poppedSources.Clear();
    }

    /// <summary>
    /// Routes as much as possible from the tight sources along zero-reduced-cost residual arcs (any such path is a
    /// shortest path, so routing along it keeps every reduced cost non-negative). The round is a complete blocking
    /// flow: afterwards no tight source with supply left has a zero-reduced-cost path to the sink, so the next
    /// Dijkstra finds a positive length. (The previous rounds missed paths; at 100,000 people 121 of 277 Dijkstra
    /// phases found length 0, and each was followed by a whole new round over the tight region, up to 320,000 nodes.)
    /// Depth-first with current arcs. A node is dead for the round only when its search proves it cannot reach the
    /// sink: as with Tarjan's low links, a node whose search met a node still on the path (the zero-reduced-cost arcs
    /// form cycles, e.g. every arc with partial flow and its reverse) is pending until that path node is decided.
    /// Dead nodes stay dead while flow is added along paths they cannot reach. Nodes still pending when a path is
    /// found become suspects for the rest of the pass, and a further pass searches again from the sources with supply
    /// left. (Reviving them after every path found instead was tried: 13 M node visits in one round at 100,000
    /// people.) Residual arcs that appear during the round (the reverse of an arc that starts carrying flow, a
    /// saturated arc that gets room again) are put where their tail's scan resumes, so the round sees them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private void BlockingFlow()
    {
        BlockingRounds++;
        stamp++;
        while (true)
        {
            foreach (int s in tight)
            {
                while (remaining[s] > 0 && Augment(s) > 0)
                {
                }
            }
            if (suspects.Count == 0) return;
            // Some nodes were left undecided: search again from the sources with supply left, the suspects alive.
            bool anyLeft = false;
            foreach (int s in tight) anyLeft |= remaining[s] > 0 && level[s] != Dead;
            if (!anyLeft)
            {
                suspects.Clear();
                return;
            }
            BlockingPasses++;
            foreach (int u in suspects)
            {
                level[u] = Alive;
                Resume(u);
            }
            suspects.Clear();
        }
    }

    private const byte Alive = 0, OnPath = 1, Pending = 2, Suspect = 3, Dead = 4;

    /// <summary>The node's state in this round (the first touch resets its current arcs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte Touch(int v)
    {
        if (levelStamp[v] != stamp)
        {
            levelStamp[v] = stamp;
            level[v] = Alive;
            currentForward[v] = firstOut[v];
            currentBackward[v] = carryingFirst[v];
            busyForward[v] = -1;
            busyBackward[v] = -1;
            busySearch[v] = -1;
        }
        return level[v];
    }

    /// <summary>Moves the node's current arcs back to the first arcs it passed over because their heads were busy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private void Resume(int v)
    {
        if (busyForward[v] >= 0) currentForward[v] = busyForward[v];
        if (busyBackward[v] >= 0) currentBackward[v] = busyBackward[v];
        busyForward[v] = -1;
        busyBackward[v] = -1;
        busySearch[v] = -1;
    }

    /// <summary>Puts <paramref name="v"/> on the path: its preorder number in this search and its low link.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Enter(int v)
    {
        level[v] = OnPath;
        order[v] = nextOrder;
        low[v] = nextOrder++;
        pendingMark[v] = pending.Count;
    }

    /// <summary>One augmenting path from <paramref name="source"/> along zero-reduced-cost arcs; 0 if none is left this pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private int Augment(int source)
    {
        path.Clear();
        if (Touch(source) != Alive) return 0;
        search++;
        nextOrder = 0;
        Enter(source);
        int v = source;
        while (v != sink)
        {
            int code = NextAdmissible(v);
            if (code == int.MinValue && busySearch[v] >= 0 && busySearch[v] != search)
            {
                // An earlier search passed over arcs of v because their heads were busy then: look at them again.
                Resume(v);
                code = NextAdmissible(v);
            }
            if (code != int.MinValue)
            {
                path.Add(code);
                v = code >= 0 ? arcs[code].Head : arcs[~code].Tail;
                Enter(v);
                continue;
            }
            // v is exhausted. If its search met no busy node entered before it, nothing v reaches can reach the sink:
            // v and the nodes left pending since v entered are dead for the rest of the round. Otherwise v waits.
            if (low[v] >= order[v])
            {
                level[v] = Dead;
                for (int i = pendingMark[v]; i < pending.Count; i++) level[pending[i]] = Dead;
                pending.RemoveRange(pendingMark[v], pending.Count - pendingMark[v]);
            }
            else
            {
                level[v] = Pending;
                pending.Add(v);
            }
            if (path.Count == 0) break;
            int last = path[^1];
            path.RemoveAt(path.Count - 1);
            int parent = last >= 0 ? arcs[last].Tail : arcs[~last].Head;
            if (low[v] < low[parent]) low[parent] = low[v];
            v = parent;
        }
        // Nodes still pending may reach the sink through this search's path (or through suspects): they sit out the
        // rest of this pass as suspects and are searched again in the next one, instead of after every path.
        foreach (int u in pending) level[u] = Suspect;
        suspects.AddRange(pending);
        pending.Clear();
        if (v != sink) return 0;
        level[source] = Alive;
        foreach (int code in path) level[code >= 0 ? arcs[code].Head : arcs[~code].Tail] = Alive;
        return Push(source);
    }

    /// <summary>Sends as much as <see cref="path"/> (arc codes from <paramref name="source"/> to the sink) can carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private int Push(int source)
    {
        long bottleneck = remaining[source];
        foreach (int code in path)
            bottleneck = Math.Min(bottleneck, code >= 0 ? arcs[code].Capacity - arcs[code].Flow : arcs[~code].Flow);
        int amount = (int)bottleneck;
        foreach (int code in path)
        {
            if (code >= 0)
            {
                if (arcs[code].Flow == 0) LinkCarrying(code);
                arcs[code].Flow += amount;
                inArcs[inPosition[code]].Room -= amount;
            }
            else
            {
                int p = ~code;
                ref FlowArc a = ref arcs[p];
                // A saturated arc gets room again: move its tail's current arc back so this round still sees it.
                if (a.Flow == a.Capacity && levelStamp[a.Tail] == stamp && currentForward[a.Tail] > p) currentForward[a.Tail] = p;
                a.Flow -= amount;
                inArcs[inPosition[p]].Room += amount;
                if (a.Flow == 0) UnlinkCarrying(p);
            }
        }
        remaining[source] -= amount;
        unrouted -= amount;
        Augmentations++;
        return amount;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private int NextAdmissible(int u)
    {
        long pu = potential[u];
        for (int p = currentForward[u], end = firstOut[u + 1]; p < end; p++)
        {
            int v = arcs[p].Head;
            if (arcs[p].Flow < arcs[p].Capacity && arcs[p].Cost + pu - potential[v] == 0)
            {
                byte state = Touch(v);
                if (state == Alive)
                {
                    currentForward[u] = p;
                    return p;
                }
                if (state != Dead)
                {
                    Busy(u, v);
                    if (busyForward[u] < 0) busyForward[u] = p;
                }
            }
        }
        currentForward[u] = firstOut[u + 1];
        for (int p = currentBackward[u]; p >= 0; p = carryingNext[p])
        {
            int v = arcs[p].Tail;
            if (arcs[p].Flow > 0 && -arcs[p].Cost + pu - potential[v] == 0)
            {
                byte state = Touch(v);
                if (state == Alive)
                {
                    currentBackward[u] = p;
                    return ~p;
                }
                if (state != Dead)
                {
                    Busy(u, v);
                    if (busyBackward[u] < 0) busyBackward[u] = p;
                }
            }
        }
        currentBackward[u] = -1;
        return int.MinValue;
    }

    /// <summary>
    /// An arc u → v was passed over because v is busy: on the path or pending (u's fate depends on a node entered
    /// before it, as in Tarjan's low links), or a suspect of this pass (u's fate is open until the next pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Busy(int u, int v)
    {
        int dependsOn = level[v] == Suspect ? -1 : order[v];
        if (dependsOn < low[u]) low[u] = dependsOn;
        if (busySearch[u] < 0) busySearch[u] = search; // the search of the first such arc since the last resume
    }

    /// <summary>
    /// FlowArc p starts carrying flow, so its head gets a backward residual arc. When the head was searched this round,
    /// the arc goes where the head's scan resumes, so the round still sees it (a missed arc means a missed path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private void LinkCarrying(int p)
    {
        int head = arcs[p].Head;
        int next = levelStamp[head] == stamp ? currentBackward[head] : carryingFirst[head];
        int prev = next >= 0 ? carryingPrev[next] : carryingLast[head];
        carryingNext[p] = next;
        carryingPrev[p] = prev;
        if (prev >= 0) carryingNext[prev] = p; else carryingFirst[head] = p;
        if (next >= 0) carryingPrev[next] = p; else carryingLast[head] = p;
        if (levelStamp[head] == stamp) currentBackward[head] = p;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private void UnlinkCarrying(int p)
    {
        int head = arcs[p].Head;
        int next = carryingNext[p], prev = carryingPrev[p];
        if (prev >= 0) carryingNext[prev] = next; else carryingFirst[head] = next;
        if (next >= 0) carryingPrev[next] = prev; else carryingLast[head] = prev;
        if (levelStamp[head] == stamp)
        {
            if (currentBackward[head] == p) currentBackward[head] = next;
            if (busyBackward[head] == p) busyBackward[head] = next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: the first JIT tier stayed in use for a long time in short runs
    private void Relax(int v, long costPlusTailPotential)
    {
        byte s = state[v];
        if (s == 2) return;
        long candidate = costPlusTailPotential - potential[v];
        // A node no closer than the sink's tentative distance would be settled after the sink (which wins ties): skip it.
        if (candidate >= distance[v] || candidate >= distance[sink]) return;
        distance[v] = candidate;
        if (s == 0)
        {
            touched.Add(v);
            state[v] = 1;
            heap.Add(v);
        }
        else
        {
            heap.MovedUp(v);
        }
    }

    /// <summary>Dijkstra order: smaller distance first; on ties the higher id (the sink is last, shares just before it), so a zero-length route ends the search early.</summary>
    private readonly struct ByDistance(long[] distance) : INodeOrder
    {
        public bool Before(int a, int b)
        {
            long da = distance[a], db = distance[b];
            return da < db || (da == db && a > b);
        }
    }

    /// <summary>Sources closest to the super-source first: highest potential, then lowest id.</summary>
    private readonly struct ByPotential(long[] potential) : INodeOrder
    {
        public bool Before(int a, int b) => potential[a] > potential[b] || (potential[a] == potential[b] && a < b);
    }

    /// <summary>An arc as the backward search sees it: from its tail, at its cost, with the room left on it.</summary>
    private struct InArc
    {
        public long Cost;
        public int Tail;
        public int Room;
    }

}
