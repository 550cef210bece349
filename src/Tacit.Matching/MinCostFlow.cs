namespace Tacit.Matching;

/// <summary>A growable list of arcs (tail, head, capacity, cost) plus node supplies: the network exactly as exported to DIMACS.</summary>
internal sealed class FlowNetwork
{
    private int[] tails = new int[1024];
    private int[] heads = new int[1024];
    private int[] capacities = new int[1024];
    private long[] costs = new long[1024];

    public FlowNetwork(int nodeCount)
    {
        NodeCount = nodeCount;
        Supply = new long[nodeCount];
    }

    public int NodeCount { get; }
    public int ArcCount { get; private set; }
    public long[] Supply { get; }
    public ReadOnlySpan<int> Tails => tails.AsSpan(0, ArcCount);
    public ReadOnlySpan<int> Heads => heads.AsSpan(0, ArcCount);
    public ReadOnlySpan<int> Capacities => capacities.AsSpan(0, ArcCount);
    public ReadOnlySpan<long> Costs => costs.AsSpan(0, ArcCount);

    public int AddArc(int tail, int head, int capacity, long cost)
    {
        if (ArcCount == tails.Length)
        {
            int grown = tails.Length * 2;
            Array.Resize(ref tails, grown);
            Array.Resize(ref heads, grown);
            Array.Resize(ref capacities, grown);
            Array.Resize(ref costs, grown);
        }
        tails[ArcCount] = tail;
        heads[ArcCount] = head;
        capacities[ArcCount] = capacity;
        costs[ArcCount] = cost;
        return ArcCount++;
    }
}

/// <summary>
/// Exact min-cost flow by successive shortest paths with node potentials, inserting supply one source at a time
/// (the Jonker–Volgenant "augmenting row" scheme generalised to networks). Invariant: every residual arc has a
/// non-negative reduced cost, so the flow is optimal for the supplies inserted so far; inserting a unit at a
/// source and sending it along a shortest path to the sink keeps the invariant. Dijkstra stops as soon as the sink
/// is settled and only settled nodes get new potentials, so each insertion touches a local neighbourhood.
/// Forward arcs live in a CSR array by tail; backward residual arcs are kept per head in a linked list of the arcs
/// that currently carry flow, so a share wanted by thousands never scans thousands of empty backward arcs.
/// Arcs must go from lower to higher node ids in the input network (it is a DAG), which gives initial potentials in one pass.
/// </summary>
internal sealed class MinCostFlowSolver
{
    private readonly int nodeCount;
    private readonly int[] firstOut;   // CSR over arcs sorted by tail
    private readonly int[] arcTail;
    private readonly int[] arcHead;
    private readonly long[] arcCost;
    private readonly int[] arcCapacity;
    private readonly int[] arcFlow;
    private readonly int[] sortedOf;    // input arc → CSR position
    private readonly int[] carryingFirst; // per node: first arc into it that carries flow, -1 if none
    private readonly int[] carryingNext;
    private readonly int[] carryingPrev;
    private readonly long[] potential;
    private readonly long[] distance;
    private readonly int[] parentArc; // CSR position p (forward) or ~p (backward)
    private readonly byte[] state; // 0 untouched, 1 in heap, 2 settled
    private readonly int[] heap;
    private readonly int[] heapIndex;
    private int heapSize;
    private readonly List<int> touched = [];
    private readonly List<int> settled = [];

    public MinCostFlowSolver(FlowNetwork network)
    {
        nodeCount = network.NodeCount;
        int m = network.ArcCount;
        var tails = network.Tails;
        var heads = network.Heads;
        var caps = network.Capacities;
        var costs = network.Costs;
        firstOut = new int[nodeCount + 1];
        for (int i = 0; i < m; i++)
        {
            if (tails[i] >= heads[i]) throw new InvalidOperationException("network arcs must go from lower to higher node ids");
            firstOut[tails[i] + 1]++;
        }
        for (int v = 0; v < nodeCount; v++) firstOut[v + 1] += firstOut[v];
        var fill = (int[])firstOut.Clone();
        arcTail = new int[m];
        arcHead = new int[m];
        arcCost = new long[m];
        arcCapacity = new int[m];
        arcFlow = new int[m];
        sortedOf = new int[m];
        for (int i = 0; i < m; i++)
        {
            int p = fill[tails[i]]++;
            arcTail[p] = tails[i];
            arcHead[p] = heads[i];
            arcCost[p] = costs[i];
            arcCapacity[p] = caps[i];
            sortedOf[i] = p;
        }
        carryingFirst = new int[nodeCount];
        Array.Fill(carryingFirst, -1);
        carryingNext = new int[m];
        carryingPrev = new int[m];

        // Initial potentials: minus the shortest distance to the sink (the last node), so that every node's cheapest
        // route to the sink has reduced cost 0 and the first insertions settle almost nothing. Arcs go upwards in id,
        // so a descending pass is a topological order. Nodes that cannot reach the sink get the tightest value their
        // in-arcs allow, which keeps every reduced cost non-negative.
        potential = new long[nodeCount];
        const long unreachable = long.MaxValue;
        var toSink = new long[nodeCount];
        Array.Fill(toSink, unreachable);
        toSink[nodeCount - 1] = 0;
        for (int v = nodeCount - 2; v >= 0; v--)
        {
            long best = unreachable;
            for (int p = firstOut[v]; p < firstOut[v + 1]; p++)
            {
                long d = toSink[arcHead[p]];
                if (arcCapacity[p] > 0 && d != unreachable && d + arcCost[p] < best) best = d + arcCost[p];
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
                int w = arcHead[p];
                if (toSink[w] != unreachable || arcCapacity[p] <= 0) continue;
                long candidate = potential[v] + arcCost[p];
                if (!isSet[w] || candidate < potential[w]) { potential[w] = candidate; isSet[w] = true; }
            }
        }

        distance = new long[nodeCount];
        Array.Fill(distance, long.MaxValue);
        parentArc = new int[nodeCount];
        state = new byte[nodeCount];
        heap = new int[nodeCount];
        heapIndex = new int[nodeCount];
    }

    public long ZeroPaths, ZeroSettled, PosSettled;
    public HashSet<long> Distinct = new();
    public long Augmentations { get; private set; }
    public long SettledNodes { get; private set; }

    /// <summary>Inserts <paramref name="amount"/> units of supply at <paramref name="source"/> and routes them optimally to <paramref name="sink"/>.</summary>
    public void Insert(int source, int sink, int amount)
    {
        while (amount > 0)
        {
            long sinkDistance = ShortestPath(source, sink);
            int bottleneck = amount;
            for (int v = sink; v != source;)
            {
                int code = parentArc[v];
                if (code >= 0)
                {
                    bottleneck = Math.Min(bottleneck, arcCapacity[code] - arcFlow[code]);
                    v = arcTail[code];
                }
                else
                {
                    bottleneck = Math.Min(bottleneck, arcFlow[~code]);
                    v = arcHead[~code];
                }
            }
            for (int v = sink; v != source;)
            {
                int code = parentArc[v];
                if (code >= 0)
                {
                    if (arcFlow[code] == 0) LinkCarrying(code);
                    arcFlow[code] += bottleneck;
                    v = arcTail[code];
                }
                else
                {
                    int p = ~code;
                    arcFlow[p] -= bottleneck;
                    if (arcFlow[p] == 0) UnlinkCarrying(p);
                    v = arcHead[p];
                }
            }
            if (sinkDistance == 0) { ZeroPaths++; ZeroSettled += settled.Count; } else { PosSettled += settled.Count; Distinct.Add(sinkDistance); }
            foreach (int v in settled) potential[v] += distance[v] - sinkDistance;
            foreach (int v in touched)
            {
                distance[v] = long.MaxValue;
                state[v] = 0;
            }
            SettledNodes += settled.Count;
            touched.Clear();
            settled.Clear();
            heapSize = 0;
            amount -= bottleneck;
            Augmentations++;
        }
    }

    /// <summary>Flow on input arc <paramref name="arc"/>.</summary>
    public int Flow(int arc) => arcFlow[sortedOf[arc]];

    private void LinkCarrying(int p)
    {
        int head = arcHead[p];
        int first = carryingFirst[head];
        carryingNext[p] = first;
        carryingPrev[p] = -1;
        if (first >= 0) carryingPrev[first] = p;
        carryingFirst[head] = p;
    }

    private void UnlinkCarrying(int p)
    {
        int next = carryingNext[p], prev = carryingPrev[p];
        if (prev >= 0) carryingNext[prev] = next; else carryingFirst[arcHead[p]] = next;
        if (next >= 0) carryingPrev[next] = prev;
    }

    private long ShortestPath(int source, int sink)
    {
        distance[source] = 0;
        touched.Add(source);
        Push(source);
        while (heapSize > 0)
        {
            int u = PopMin();
            state[u] = 2;
            settled.Add(u);
            if (u == sink) return distance[u];
            long du = distance[u] + potential[u];
            for (int p = firstOut[u], end = firstOut[u + 1]; p < end; p++)
            {
                if (arcFlow[p] >= arcCapacity[p]) continue;
                Relax(arcHead[p], du + arcCost[p], p);
            }
            for (int p = carryingFirst[u]; p >= 0; p = carryingNext[p])
                Relax(arcTail[p], du - arcCost[p], ~p);
        }
        throw new InvalidOperationException("no path from an inserted supply to the sink; the network must give every source a route to the sink");
    }

    private void Relax(int v, long costPlusTailPotential, int code)
    {
        byte s = state[v];
        if (s == 2) return;
        long candidate = costPlusTailPotential - potential[v];
        if (candidate >= distance[v]) return;
        distance[v] = candidate;
        parentArc[v] = code;
        if (s == 0)
        {
            touched.Add(v);
            state[v] = 1;
            Push(v);
        }
        else
        {
            SiftUp(heapIndex[v]);
        }
    }
    private bool Less(int a, int b)
    {
        long da = distance[a], db = distance[b];
        // On ties settle the higher id first: the sink is last and shares come just before it, so a zero-distance
        // route to the sink ends the search without settling every other zero-distance node.
        return da < db || (da == db && a > b);
    }

    private void Push(int v)
    {
        heap[heapSize] = v;
        heapIndex[v] = heapSize;
        heapSize++;
        SiftUp(heapSize - 1);
    }

    private int PopMin()
    {
        int top = heap[0];
        heapSize--;
        if (heapSize > 0)
        {
            heap[0] = heap[heapSize];
            heapIndex[heap[0]] = 0;
            SiftDown(0);
        }
        return top;
    }

    private void SiftUp(int i)
    {
        int v = heap[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            int pv = heap[parent];
            if (!Less(v, pv)) break;
            heap[i] = pv;
            heapIndex[pv] = i;
            i = parent;
        }
        heap[i] = v;
        heapIndex[v] = i;
    }

    private void SiftDown(int i)
    {
        int v = heap[i];
        while (true)
        {
            int child = (i << 2) + 1;
            if (child >= heapSize) break;
            int best = child;
            int last = Math.Min(child + 4, heapSize);
            for (int c = child + 1; c < last; c++) if (Less(heap[c], heap[best])) best = c;
            if (!Less(heap[best], v)) break;
            heap[i] = heap[best];
            heapIndex[heap[i]] = i;
            i = best;
        }
        heap[i] = v;
        heapIndex[v] = i;
    }
}
