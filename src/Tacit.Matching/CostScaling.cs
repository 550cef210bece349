namespace Tacit.Matching;

/// <summary>
/// Exact min-cost flow by cost scaling with push–relabel (Goldberg–Tarjan; the heuristics of Goldberg's CS2: global
/// price updates and push look-ahead). Costs are multiplied by n + 1, so a flow that is 1-optimal in scaled units is
/// optimal; each <c>Refine(ε)</c> turns an αε-optimal flow into an ε-optimal one. The topology (tails, heads) is fixed
/// at construction; <see cref="Solve"/> may be called several times with different capacities, costs and supplies.
/// Residual arcs are stored in a CSR array per node (forward arcs first), each paired with its sister arc.
/// Everything is single-threaded and processes nodes in a fixed order, so the same input gives the same flow.
/// </summary>
internal sealed class CostScalingSolver
{
    private static readonly int Alpha = int.Parse(Environment.GetEnvironmentVariable("CS_ALPHA") ?? "10");
    private const long MaxScaledCost = 1L << 55;
    private const long MaxPrice = 1L << 61;

    private readonly int nodeCount;
    private readonly int arcCount;
    private readonly int[] first;      // per node: first slot; first[n] = slot count
    private readonly int[] slotHead;
    private readonly int[] slotSister;
    private readonly int[] forwardSlot; // per input arc
    private readonly int[] resCap;
    private readonly long[] slotCost;  // scaled
    private readonly int[] current;
    private readonly long[] excess;
    private readonly long[] price;
    private readonly int[] queue;      // FIFO ring of active nodes
    private int queueHead, queueCount;

    // Global price update: bucket-based Dijkstra backwards from deficits.
    private readonly int[] bucketFirst;
    private readonly int[] bucketNext;
    private readonly int[] bucketPrev;
    private readonly int[] rank;
    private readonly int bucketLimit;

    private long epsilon;
    private long relabelsSinceUpdate;
    private readonly long updateEvery;

    public static Action<string>? Trace { get; set; }
    public static long[]? DebugRelabels;
    public static Func<int, string>? DebugRole;
    private int debugPrinted;
    private static readonly bool LookAhead = Environment.GetEnvironmentVariable("CS_NOLA") is null;
    public long Refines { get; private set; }
    public long Pushes { get; private set; }
    public long Relabels { get; private set; }
    public long PriceUpdates { get; private set; }

    public CostScalingSolver(int nodeCount, ReadOnlySpan<int> tails, ReadOnlySpan<int> heads)
    {
        this.nodeCount = nodeCount;
        arcCount = tails.Length;
        int m = arcCount;
        first = new int[nodeCount + 1];
        for (int i = 0; i < m; i++)
        {
            first[tails[i] + 1]++;
            first[heads[i] + 1]++;
        }
        for (int v = 0; v < nodeCount; v++) first[v + 1] += first[v];
        var fill = new int[nodeCount];
        Array.Copy(first, fill, nodeCount);
        slotHead = new int[2 * m];
        slotSister = new int[2 * m];
        forwardSlot = new int[m];
        // Forward arcs first within each node (the flow mostly moves towards the sink), then reverse arcs.
        for (int i = 0; i < m; i++) forwardSlot[i] = fill[tails[i]]++;
        for (int i = 0; i < m; i++)
        {
            int f = forwardSlot[i];
            int r = fill[heads[i]]++;
            slotHead[f] = heads[i];
            slotHead[r] = tails[i];
            slotSister[f] = r;
            slotSister[r] = f;
        }
        resCap = new int[2 * m];
        slotCost = new long[2 * m];
        current = new int[nodeCount];
        excess = new long[nodeCount];
        price = new long[nodeCount];
        queue = new int[nodeCount];
        bucketLimit = Math.Max(16, nodeCount);
        bucketFirst = new int[bucketLimit + 1];
        Array.Fill(bucketFirst, -1);
        bucketNext = new int[nodeCount];
        bucketPrev = new int[nodeCount];
        rank = new int[nodeCount];
        updateEvery = Math.Max(64, (long)(nodeCount * double.Parse(Environment.GetEnvironmentVariable("CS_UPD") ?? "0.5", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Computes a min-cost flow; throws when the supplies cannot be routed or the costs are too large for 64-bit prices.</summary>
    public void Solve(ReadOnlySpan<int> capacities, ReadOnlySpan<long> costs, ReadOnlySpan<long> supply)
    {
        long scale = nodeCount + 1L;
        long maxAbs = 0;
        for (int i = 0; i < arcCount; i++) maxAbs = Math.Max(maxAbs, Math.Abs(costs[i]));
        // Prices stay within a few path costs of zero in practice (checked after every refine); keep a wide margin.
        if (maxAbs > MaxScaledCost / scale)
            throw new InstanceValidationException("instance too large: scaled costs would overflow 64-bit prices");
        Array.Clear(resCap);
        long maxNegative = 0;
        for (int i = 0; i < arcCount; i++)
        {
            int f = forwardSlot[i];
            resCap[f] = capacities[i];
            long c = costs[i] * scale;
            slotCost[f] = c;
            slotCost[slotSister[f]] = -c;
            if (capacities[i] > 0) maxNegative = Math.Max(maxNegative, -c);
        }
        long total = 0;
        for (int v = 0; v < nodeCount; v++)
        {
            excess[v] = supply[v];
            total += supply[v];
            price[v] = 0;
        }
        if (total != 0) throw new InvalidOperationException("supplies do not balance");

        epsilon = Math.Max(1, maxNegative);
        do
        {
            epsilon = Math.Max(1, epsilon / Alpha);
            long p0 = Pushes, r0 = Relabels, u0 = PriceUpdates;
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            Refine();
            Trace?.Invoke($"refine eps={epsilon} pushes={Pushes - p0} relabels={Relabels - r0} updates={PriceUpdates - u0} ms={System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F0}");
            for (int v = 0; v < nodeCount; v++)
                if (price[v] > MaxPrice || price[v] < -MaxPrice) throw new InvalidOperationException("cost scaling: prices out of range");
        }
        while (epsilon > 1);
    }

    /// <summary>Flow on input arc <paramref name="arc"/> after <see cref="Solve"/>.</summary>
    public int Flow(int arc) => resCap[slotSister[forwardSlot[arc]]];

    private void Refine()
    {
        Refines++;
        long eps = epsilon;
        // Saturate every residual arc whose reduced cost is below −ε: the pseudoflow is then ε-optimal (saturating
        // every negative arc, as the textbook refine does, would needlessly move flow on the many tied arcs).
        for (int v = 0; v < nodeCount; v++)
        {
            long pv = price[v];
            for (int s = first[v], end = first[v + 1]; s < end; s++)
            {
                int r = resCap[s];
                if (r == 0) continue;
                int w = slotHead[s];
                if (slotCost[s] + pv - price[w] >= 0) continue;
                resCap[s] = 0;
                resCap[slotSister[s]] += r;
                excess[v] -= r;
                excess[w] += r;
            }
        }
        queueHead = 0;
        queueCount = 0;
        for (int v = 0; v < nodeCount; v++)
        {
            current[v] = first[v];
            if (excess[v] > 0) Enqueue(v);
        }
        if (queueCount == 0) return;
        PriceUpdate(eps);

        while (queueCount > 0)
        {
            int v = queue[queueHead];
            queueHead = queueHead + 1 == nodeCount ? 0 : queueHead + 1;
            queueCount--;
            Discharge(v, eps);
            if (relabelsSinceUpdate > updateEvery && queueCount > 0) PriceUpdate(eps);
        }
    }

    private void Enqueue(int v)
    {
        int tail = queueHead + queueCount;
        if (tail >= nodeCount) tail -= nodeCount;
        queue[tail] = v;
        queueCount++;
    }

    private void Discharge(int v, long eps)
    {
        while (excess[v] > 0)
        {
            long pv = price[v];
            int end = first[v + 1];
            int s = current[v];
            for (; s < end; s++)
            {
                int r = resCap[s];
                if (r == 0) continue;
                int w = slotHead[s];
                if (slotCost[s] + pv - price[w] >= 0) continue;
                // Look-ahead: a node without deficit and without an admissible arc would only send the flow back;
                // relabel it first and push only if the arc is still admissible.
                if (LookAhead && excess[w] >= 0 && !HasAdmissibleArc(w) && TryRelabel(w, eps))
                {
                    if (slotCost[s] + pv - price[w] >= 0) continue;
                }
                long delta = Math.Min(excess[v], r);
                resCap[s] = r - (int)delta;
                resCap[slotSister[s]] += (int)delta;
                excess[v] -= delta;
                bool wasActive = excess[w] > 0;
                excess[w] += delta;
                Pushes++;
                if (!wasActive && excess[w] > 0) Enqueue(w);
                if (excess[v] == 0) break;
            }
            if (excess[v] == 0)
            {
                current[v] = s;
                return;
            }
            if (!TryRelabel(v, eps)) throw new InvalidOperationException("a node with excess has no residual arc: the supplies cannot be routed");
        }
    }

    private bool HasAdmissibleArc(int w)
    {
        long pw = price[w];
        for (int s = current[w], end = first[w + 1]; s < end; s++)
        {
            if (resCap[s] > 0 && slotCost[s] + pw - price[slotHead[s]] < 0)
            {
                current[w] = s;
                return true;
            }
        }
        return false;
    }

    /// <summary>Sets p(v) = max over residual arcs (v, w) of p(w) − c(v, w), minus ε; false when v has no residual arc.</summary>
    private bool TryRelabel(int v, long eps)
    {
        long best = long.MinValue;
        for (int s = first[v], end = first[v + 1]; s < end; s++)
        {
            if (resCap[s] == 0) continue;
            long candidate = price[slotHead[s]] - slotCost[s];
            if (candidate > best) best = candidate;
        }
        if (best == long.MinValue) return false;
        if (DebugRole is not null && queueCount <= 3 && debugPrinted < 300) { debugPrinted++; Trace?.Invoke($"    relabel {v} {DebugRole(v)} drop {(price[v] - best + eps) / eps} excess {excess[v]} q {queueCount}"); }
        price[v] = best - eps;
        current[v] = first[v];
        Relabels++;
        if (DebugRelabels is not null && v < DebugRelabels.Length) DebugRelabels[v]++;
        relabelsSinceUpdate++;
        return true;
    }

    /// <summary>
    /// Lowers every price by ε times its distance to the nearest deficit, with arc length ⌊c_p/ε⌋ + 1 (≥ 0 by
    /// ε-optimality): ε-optimality is kept and every node with excess gets an admissible path to a deficit.
    /// Nodes not reached before every excess node is get the level at which the search stopped.
    /// </summary>
    private void PriceUpdate(long eps)
    {
        PriceUpdates++;
        Trace?.Invoke($"  relabels since last update {relabelsSinceUpdate} pushes {Pushes}");
        relabelsSinceUpdate = 0;
        const int unreached = int.MaxValue;
        const int scanned = -1;
        Array.Fill(rank, unreached);
        int activeLeft = 0;
        int maxLevel = 0;
        for (int v = 0; v < nodeCount; v++)
        {
            if (excess[v] > 0) activeLeft++;
            else if (excess[v] < 0) { rank[v] = 0; BucketInsert(v, 0); }
        }
        int level = 0;
        for (; level <= maxLevel && activeLeft > 0; level++)
        {
            while (bucketFirst[level] >= 0 && activeLeft > 0)
            {
                int w = bucketFirst[level];
                BucketRemove(w, level);
                rank[w] = scanned;
                price[w] -= level * eps;
                if (excess[w] > 0) activeLeft--;
                long pw = price[w] + level * eps; // the price before this update, as the other nodes still have
                for (int s = first[w], end = first[w + 1]; s < end; s++)
                {
                    int back = slotSister[s];
                    if (resCap[back] == 0) continue;
                    int v = slotHead[s];
                    int rv = rank[v];
                    if (rv == scanned) continue;
                    long reduced = slotCost[back] + price[v] - pw;
                    long length = reduced < 0 ? 0 : reduced / eps + 1;
                    long candidate = level + length;
                    if (candidate >= rv || candidate > bucketLimit) continue;
                    int c = (int)candidate;
                    if (rv != unreached) BucketRemove(v, rv);
                    rank[v] = c;
                    BucketInsert(v, c);
                    if (c > maxLevel) maxLevel = c;
                }
            }
            if (activeLeft == 0) break;
        }
        long drop = Math.Min(level, bucketLimit) * eps;
        for (int v = 0; v < nodeCount; v++)
        {
            if (rank[v] != scanned) price[v] -= drop;
            current[v] = first[v];
        }
        for (int b = 0; b <= maxLevel; b++) bucketFirst[b] = -1;
        if (Trace is not null)
        {
            int activeNodes = 0, stuck = 0, bad = 0;
            for (int v = 0; v < nodeCount; v++)
            {
                for (int s = first[v]; s < first[v + 1]; s++) if (resCap[s] > 0 && slotCost[s] + price[v] - price[slotHead[s]] < -eps) bad++;
                if (excess[v] <= 0) continue;
                activeNodes++;
                bool any = false;
                for (int s = first[v]; s < first[v + 1]; s++) if (resCap[s] > 0 && slotCost[s] + price[v] - price[slotHead[s]] < 0) any = true;
                if (!any) stuck++;
            }
            Trace($"  update: level {level} maxLevel {maxLevel} active {activeNodes} stuck {stuck} violations {bad}");
        }
    }

    private void BucketInsert(int v, int b)
    {
        int head = bucketFirst[b];
        bucketNext[v] = head;
        bucketPrev[v] = -1;
        if (head >= 0) bucketPrev[head] = v;
        bucketFirst[b] = v;
    }

    private void BucketRemove(int v, int b)
    {
        int next = bucketNext[v], prev = bucketPrev[v];
        if (prev >= 0) bucketNext[prev] = next; else bucketFirst[b] = next;
        if (next >= 0) bucketPrev[next] = prev;
    }
}
