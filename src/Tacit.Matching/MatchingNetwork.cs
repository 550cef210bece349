using System.Runtime.CompilerServices;

namespace Tacit.Matching;

/// <summary>Role of a node in the matching network (see docs/matching.md, "The network").</summary>
internal enum NodeRole : byte
{
    Learner,
    LearnerSessions,
    Want,
    LearnerClass,
    TeacherClass,
    Share,
    Sink,
}

/// <summary>
/// Builds the sparse min-cost flow network of docs/matching.md from a compiled instance:
/// learner → want → (learner class hub → teacher class hub | teacher class hub | share) → share → sink,
/// plus learner → sink arcs for unused sessions. Node ids increase along every arc.
/// </summary>
internal sealed class MatchingNetwork
{
    private readonly CompiledInstance instance;

    public FlowNetwork Network { get; }
    public int Sink { get; }
    public long FirstSessionBonus { get; }
    public long PriorityMultiplier { get; }
    public long InfiniteCapacity { get; }

    public int[] LearnerNode { get; }      // per person, -1 when not a learner this cycle
    public int[] LearnerCapacity { get; }  // per person: min(maxLearnerSessions, wants)
    public int[] SessionsNode { get; }     // per person: node whose in-arcs carry the first-session bonus
    public int[] WantNode { get; }         // per want, -1 when the learner takes no sessions
    public int[] WantArc { get; }          // per want: the learner → want arc
    public int[] ShareNode { get; }        // per share, -1 when inactive
    public int[] ShareOfNode { get; }      // per node: share index for share nodes, else -1
    public NodeRole[] Role { get; }
    /// <summary>Out-arcs of each node that the flow decomposition walks (want and hub nodes), as contiguous ranges.</summary>
    public int[] OutArcStart { get; }
    public int[] OutArcEnd { get; }

    /// <summary>Active shares of each skill ordered by teacher class (department, authority, teacher).</summary>
    public int[][] SkillShares { get; }
    /// <summary>Forbidden shares (hard exclusions) per want, for explanations.</summary>
    public int[] ForbiddenShareCount { get; }

    public int SpecialWants { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once with long loops: skip the tiers and on-stack replacement
    public MatchingNetwork(CompiledInstance instance)
    {
        this.instance = instance;
        var weights = instance.Weights;
        int people = instance.PersonCount;

        var wantsPerLearner = new int[people];
        for (int w = 0; w < instance.WantCount; w++) wantsPerLearner[instance.WantLearner[w]]++;
        LearnerCapacity = new int[people];
        for (int p = 0; p < people; p++) LearnerCapacity[p] = Math.Min(instance.MaxSessions[p], wantsPerLearner[p]);

        // Active skills: wanted by someone who can take a session.
        var skillWanted = new bool[instance.SkillCount];
        for (int w = 0; w < instance.WantCount; w++)
            if (LearnerCapacity[instance.WantLearner[w]] > 0) skillWanted[instance.WantSkill[w]] = true;

        // Shares of active skills grouped by skill, then teacher class (department, authority), then teacher.
        var activeShares = new List<int>();
        for (int s = 0; s < instance.ShareCount; s++)
            if (instance.ShareSessions[s] > 0 && skillWanted[instance.ShareSkill[s]]) activeShares.Add(s);
        activeShares.Sort((a, b) =>
        {
            int c = instance.ShareSkill[a].CompareTo(instance.ShareSkill[b]);
            if (c != 0) return c;
            int ta = instance.ShareTeacher[a], tb = instance.ShareTeacher[b];
            c = instance.PersonDepartment[ta].CompareTo(instance.PersonDepartment[tb]);
            if (c != 0) return c;
            c = instance.Authority[ta].CompareTo(instance.Authority[tb]);
            return c != 0 ? c : ta.CompareTo(tb);
        });
        var perSkill = new List<int>[instance.SkillCount];
        for (int k = 0; k < perSkill.Length; k++) perSkill[k] = [];
        foreach (int s in activeShares) perSkill[instance.ShareSkill[s]].Add(s);
        SkillShares = [.. perSkill.Select(list => list.ToArray())];

        var positionInSkill = new int[instance.ShareCount];
        foreach (var list in SkillShares) for (int i = 0; i < list.Length; i++) positionInSkill[list[i]] = i;

        // Teacher classes per skill: runs of equal (department, authority) in SkillShares.
        var classOfShare = new int[instance.ShareCount];
        var classSkill = new List<int>();
        var classStart = new List<int>(); // index into SkillShares[skill]
        var classEnd = new List<int>();
        var skillFirstClass = new int[instance.SkillCount + 1];
        for (int k = 0; k < instance.SkillCount; k++)
        {
            skillFirstClass[k] = classSkill.Count;
            var list = SkillShares[k];
            for (int i = 0; i < list.Length; i++)
            {
                int t = instance.ShareTeacher[list[i]];
                bool fresh = i == 0
                    || instance.PersonDepartment[instance.ShareTeacher[list[i - 1]]] != instance.PersonDepartment[t]
                    || instance.Authority[instance.ShareTeacher[list[i - 1]]] != instance.Authority[t];
                if (fresh)
                {
                    if (classSkill.Count > skillFirstClass[k]) classEnd.Add(i);
                    classSkill.Add(k);
                    classStart.Add(i);
                }
                classOfShare[list[i]] = classSkill.Count - 1;
            }
            if (classSkill.Count > skillFirstClass[k]) classEnd.Add(list.Length);
        }
        skillFirstClass[instance.SkillCount] = classSkill.Count;
        int classCount = classSkill.Count;

        var shareByTeacherSkill = new Dictionary<long, int>(activeShares.Count);
        foreach (int s in activeShares) shareByTeacherSkill[CompiledInstance.PairKey(instance.ShareTeacher[s], instance.ShareSkill[s])] = s;

        // Shares per skill ordered by the teacher's Euler-tour entry time, to find a learner's whole subtree quickly.
        int[][]? skillSharesByTour = null;
        if (instance.WholeChain)
        {
            skillSharesByTour = new int[instance.SkillCount][];
            for (int k = 0; k < instance.SkillCount; k++)
            {
                var copy = (int[])SkillShares[k].Clone();
                Array.Sort(copy, (a, b) => instance.Enter[instance.ShareTeacher[a]].CompareTo(instance.Enter[instance.ShareTeacher[b]]));
                skillSharesByTour[k] = copy;
            }
        }

        // Special shares of each want: shares whose teacher is excluded, preferred, or a soft repeat.
        // Wants without any go through the shared learner-class hub; the others get their own arcs.
        var specialStart = new int[instance.WantCount + 1];
        var specialShares = new List<int>();
        var specialForbidden = new List<bool>();
        ForbiddenShareCount = new int[instance.WantCount];
        var scratch = new List<int>();
        for (int w = 0; w < instance.WantCount; w++)
        {
            specialStart[w] = specialShares.Count;
            if (LearnerCapacity[instance.WantLearner[w]] == 0) continue;
            CollectSpecialShares(w, shareByTeacherSkill, skillSharesByTour, scratch);
            foreach (int s in scratch)
            {
                bool forbidden = instance.Excluded(instance.WantLearner[w], instance.ShareTeacher[s]) != Exclusion.None;
                specialShares.Add(s);
                specialForbidden.Add(forbidden);
                if (forbidden) ForbiddenShareCount[w]++;
            }
        }
        specialStart[instance.WantCount] = specialShares.Count;

        // Learner classes (skill, department, authority) of every matchable want; each gets a range tree over its skill's teacher classes.
        var learnerClassIndex = new Dictionary<long, int>();
        var learnerClassKeys = new List<long>();
        int special = 0;
        for (int w = 0; w < instance.WantCount; w++)
        {
            int l = instance.WantLearner[w];
            if (LearnerCapacity[l] == 0 || SkillShares[instance.WantSkill[w]].Length == 0) continue;
            if (specialStart[w + 1] > specialStart[w]) special++;
            long key = LearnerClassKey(instance.WantSkill[w], instance.PersonDepartment[l], instance.Authority[l]);
            if (learnerClassIndex.TryAdd(key, 0)) learnerClassKeys.Add(key);
        }
        SpecialWants = special;
        learnerClassKeys.Sort();
        for (int i = 0; i < learnerClassKeys.Count; i++) learnerClassIndex[learnerClassKeys[i]] = i;

        // Node ids: learners, wants, learner-class trees, teacher-class trees, shares, sink (so every arc goes upwards).
        // A range tree over n items has n − 1 internal nodes, numbered in preorder; its leaves are the items themselves.
        LearnerNode = new int[people];
        int node = 0;
        for (int p = 0; p < people; p++) LearnerNode[p] = LearnerCapacity[p] > 0 ? node++ : -1;
        int firstSessionsNode = node;
        SessionsNode = new int[people];
        for (int p = 0; p < people; p++) SessionsNode[p] = LearnerCapacity[p] > 0 ? node++ : -1;
        WantNode = new int[instance.WantCount];
        for (int w = 0; w < instance.WantCount; w++) WantNode[w] = LearnerCapacity[instance.WantLearner[w]] > 0 ? node++ : -1;
        int firstLearnerClass = node;
        var learnerTreeBase = new int[learnerClassKeys.Count];
        for (int i = 0; i < learnerClassKeys.Count; i++)
        {
            int k = SplitLearnerClassKey(learnerClassKeys[i]).Skill;
            learnerTreeBase[i] = node;
            node += Math.Max(0, skillFirstClass[k + 1] - skillFirstClass[k] - 1);
        }
        int firstTeacherClass = node;
        var classTreeBase = new int[classCount];
        for (int c = 0; c < classCount; c++)
        {
            classTreeBase[c] = node;
            node += Math.Max(0, classEnd[c] - classStart[c] - 1);
        }
        ShareNode = new int[instance.ShareCount];
        Array.Fill(ShareNode, -1);
        int firstShareNode = node;
        for (int s = 0; s < instance.ShareCount; s++) if (instance.ShareSessions[s] > 0 && skillWanted[instance.ShareSkill[s]]) ShareNode[s] = node++;
        Sink = node++;
        int nodeCount = node;

        Role = new NodeRole[nodeCount];
        ShareOfNode = new int[nodeCount];
        Array.Fill(ShareOfNode, -1);
        for (int v = 0; v < nodeCount; v++)
        {
            Role[v] = v < firstLearnerClass ? NodeRole.Want
                : v < firstTeacherClass ? NodeRole.LearnerClass
                : v < firstShareNode ? NodeRole.TeacherClass
                : v == Sink ? NodeRole.Sink : NodeRole.Share;
        }
        for (int p = 0; p < people; p++) if (LearnerNode[p] >= 0) Role[LearnerNode[p]] = NodeRole.Learner;
        for (int p = 0; p < people; p++) if (SessionsNode[p] >= 0) Role[SessionsNode[p]] = NodeRole.LearnerSessions;
        for (int s = 0; s < instance.ShareCount; s++) if (ShareNode[s] >= 0) ShareOfNode[ShareNode[s]] = s;

        // Big-M constants (proof in docs/matching.md): F bounds the number of met wants in any feasible flow.
        long totalLearnerUnits = 0;
        for (int p = 0; p < people; p++) totalLearnerUnits += LearnerCapacity[p];
        long totalShareUnits = 0;
        foreach (int s in activeShares) totalShareUnits += instance.ShareLearnerCapacity(s);
        long flowBound = Math.Max(1, Math.Min(totalLearnerUnits, totalShareUnits));
        long scoreMax = weights.CrossDepartment + 9L * weights.PeerCloseness + weights.PreferredTeacher + 5L * weights.TeacherLevel;
        long scoreMin = weights.TeacherLevel - (instance.HardLastPairs ? 0 : weights.RepeatPairPenalty) - weights.GroupPenalty;
        long priorityMax = Math.Max(weights.HighPriority, Math.Max(weights.MediumPriority, weights.LowPriority));
        checked
        {
            PriorityMultiplier = flowBound * (Math.Max(0, scoreMax) - Math.Min(0, scoreMin)) + 1;
            FirstSessionBonus = flowBound * (PriorityMultiplier * priorityMax + Math.Max(0, scoreMax)) + 1;
            // Dijkstra sums a handful of such costs; keep a wide margin below long.MaxValue.
            if (FirstSessionBonus > long.MaxValue / 64) throw new InstanceValidationException("instance too large: the lexicographic big-M constants would overflow 64-bit costs");
        }
        InfiniteCapacity = Math.Max(1, Math.Min(int.MaxValue / 2, totalLearnerUnits));
        int infinite = (int)InfiniteCapacity;

        var network = new FlowNetwork(nodeCount);
        WantArc = new int[instance.WantCount];
        Array.Fill(WantArc, -1);
        OutArcStart = new int[nodeCount];
        OutArcEnd = new int[nodeCount];

        // Learner arcs: the learner's sessions either go unused (to the sink, free) or to the learner's sessions node,
        // where the first one earns the big first-session bonus; from there one arc per want carries its priority.
        var wantsOf = new List<int>[people];
        for (int w = 0; w < instance.WantCount; w++)
        {
            int l = instance.WantLearner[w];
            if (LearnerCapacity[l] == 0) continue;
            (wantsOf[l] ??= []).Add(w);
        }
        for (int p = 0; p < people; p++)
        {
            int ln = LearnerNode[p];
            if (ln < 0) continue;
            int xn = SessionsNode[p];
            int capacity = LearnerCapacity[p];
            bool bonus = instance.AlreadyServed is null || !instance.AlreadyServed[p];
            if (bonus)
            {
                network.AddArc(ln, xn, 1, -FirstSessionBonus);
                if (capacity > 1) network.AddArc(ln, xn, capacity - 1, 0);
            }
            else
            {
                network.AddArc(ln, xn, capacity, 0);
            }
            network.AddArc(ln, Sink, capacity, 0);
            foreach (int w in wantsOf[p]!)
                WantArc[w] = network.AddArc(xn, WantNode[w], 1, -PriorityMultiplier * instance.PriorityWeight(instance.WantPriority[w]));
            network.Supply[ln] = capacity;
            network.Supply[Sink] -= capacity;
        }

        // A teacher class is entered at its tree root, or directly at its share when it has only one.
        (int Node, long Cost) ClassEntry(int c)
        {
            if (classEnd[c] - classStart[c] >= 2) return (classTreeBase[c], 0);
            int s = SkillShares[classSkill[c]][classStart[c]];
            return (ShareNode[s], -(long)weights.TeacherLevel * instance.ShareLevel[s]);
        }
        (int Node, long Cost) LearnerTreeItem(int learnerClass, int j)
        {
            var (k, department, authority) = SplitLearnerClassKey(learnerClassKeys[learnerClass]);
            int c = skillFirstClass[k] + j;
            int teacher = instance.ShareTeacher[SkillShares[k][classStart[c]]];
            var (entry, extra) = ClassEntry(c);
            return (entry, extra - instance.ClassScore(department, authority, instance.PersonDepartment[teacher], instance.Authority[teacher]));
        }
        (int Node, long Cost) ClassTreeItem(int c, int j)
        {
            int s = SkillShares[classSkill[c]][classStart[c] + j];
            return (ShareNode[s], -(long)weights.TeacherLevel * instance.ShareLevel[s]);
        }

        // Want arcs. A plain want enters its learner-class tree at the root. A want with special shares enters the
        // canonical tree nodes covering exactly the shares it may use at the generic score (every share of the skill
        // except its special ones), and gets a direct arc to each allowed special share with its exact pair score.
        var excludedPositions = new List<int>();
        for (int w = 0; w < instance.WantCount; w++)
        {
            int wn = WantNode[w];
            if (wn < 0) continue;
            OutArcStart[wn] = network.ArcCount;
            int l = instance.WantLearner[w];
            int k = instance.WantSkill[w];
            int classes = skillFirstClass[k + 1] - skillFirstClass[k];
            if (classes > 0)
            {
                int lc = learnerClassIndex[LearnerClassKey(k, instance.PersonDepartment[l], instance.Authority[l])];
                void EmitWantArc(int head, long cost) => network.AddArc(wn, head, 1, cost);
                if (specialStart[w + 1] == specialStart[w])
                {
                    RangeTree.Cover(learnerTreeBase[lc], classes, 0, classes, 0, j => LearnerTreeItem(lc, j), EmitWantArc);
                }
                else
                {
                    excludedPositions.Clear();
                    for (int i = specialStart[w]; i < specialStart[w + 1]; i++) excludedPositions.Add(positionInSkill[specialShares[i]]);
                    excludedPositions.Sort();
                    int runStart = 0;
                    foreach (int position in excludedPositions.Append(SkillShares[k].Length))
                    {
                        int a = runStart;
                        while (a < position)
                        {
                            int c = classOfShare[SkillShares[k][a]];
                            if (a == classStart[c] && classEnd[c] <= position)
                            {
                                int last = c;
                                while (last + 1 < skillFirstClass[k + 1] && classEnd[last + 1] <= position) last++;
                                RangeTree.Cover(learnerTreeBase[lc], classes, c - skillFirstClass[k], last + 1 - skillFirstClass[k], 0, j => LearnerTreeItem(lc, j), EmitWantArc);
                                a = classEnd[last];
                            }
                            else
                            {
                                int end = Math.Min(position, classEnd[c]);
                                int teacher = instance.ShareTeacher[SkillShares[k][classStart[c]]];
                                int cc = c;
                                RangeTree.Cover(classTreeBase[c], classEnd[c] - classStart[c], a - classStart[c], end - classStart[c],
                                    -instance.ClassScore(l, teacher), j => ClassTreeItem(cc, j), EmitWantArc);
                                a = end;
                            }
                        }
                        runStart = position + 1;
                    }
                    for (int i = specialStart[w]; i < specialStart[w + 1]; i++)
                    {
                        if (specialForbidden[i]) continue;
                        int s = specialShares[i];
                        network.AddArc(wn, ShareNode[s], 1, -instance.PairScore(w, s));
                    }
                }
            }
            OutArcEnd[wn] = network.ArcCount;
        }

        // Learner-class trees: internal arcs free, leaf arcs carry the class part of the pair score.
        for (int i = 0; i < learnerClassKeys.Count; i++)
        {
            int k = SplitLearnerClassKey(learnerClassKeys[i]).Skill;
            int lc = i;
            RangeTree.Emit(network, learnerTreeBase[i], skillFirstClass[k + 1] - skillFirstClass[k], j => LearnerTreeItem(lc, j), infinite, OutArcStart, OutArcEnd);
        }

        // Teacher-class trees: leaf arcs carry the share part of the pair score (teacher level).
        for (int c = 0; c < classCount; c++)
        {
            int cc = c;
            RangeTree.Emit(network, classTreeBase[c], classEnd[c] - classStart[c], j => ClassTreeItem(cc, j), infinite, OutArcStart, OutArcEnd);
        }

        // Share → sink: one-to-one capacity free, group overflow (sessions × (groupSize − 1)) with the group penalty.
        for (int s = 0; s < instance.ShareCount; s++)
        {
            int zn = ShareNode[s];
            if (zn < 0) continue;
            network.AddArc(zn, Sink, instance.ShareSessions[s], 0);
            int overflow = instance.ShareLearnerCapacity(s) - instance.ShareSessions[s];
            if (overflow > 0) network.AddArc(zn, Sink, overflow, weights.GroupPenalty);
        }

        Network = network;
    }

    private static long LearnerClassKey(int skill, int department, int authority) => ((long)skill << 36) | ((long)department << 4) | (uint)authority;

    private static (int Skill, int Department, int Authority) SplitLearnerClassKey(long key) =>
        ((int)(key >> 36), (int)((key >> 4) & 0xFFFFFFFF), (int)(key & 0xF));

    private void CollectSpecialShares(int want, Dictionary<long, int> shareByTeacherSkill, int[][]? skillSharesByTour, List<int> result)
    {
        result.Clear();
        int l = instance.WantLearner[want];
        int k = instance.WantSkill[want];
        if (SkillShares[k].Length == 0) return;

        void Consider(int teacher)
        {
            if (teacher >= 0 && shareByTeacherSkill.TryGetValue(CompiledInstance.PairKey(teacher, k), out int s)) result.Add(s);
        }

        Consider(l);
        Consider(instance.Manager[l]);
        for (int i = instance.ReportsStart[l]; i < instance.ReportsStart[l + 1]; i++) Consider(instance.Reports[i]);
        if (skillSharesByTour is not null)
        {
            for (int a = instance.Manager[l]; a >= 0; a = instance.Manager[a]) Consider(a);
            var byTour = skillSharesByTour[k];
            int lo = 0, hi = byTour.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (instance.Enter[instance.ShareTeacher[byTour[mid]]] <= instance.Enter[l]) lo = mid + 1; else hi = mid;
            }
            for (int i = lo; i < byTour.Length && instance.Enter[instance.ShareTeacher[byTour[i]]] <= instance.Exit[l]; i++) result.Add(byTour[i]);
        }
        AddPairTeachers(instance.LastPairs, l, Consider);
        AddPairTeachers(instance.DeclinedPairs, l, Consider);
        Consider(instance.WantPreferred[want]);
        if (result.Count > 1)
        {
            result.Sort();
            int unique = 1;
            for (int i = 1; i < result.Count; i++) if (result[i] != result[unique - 1]) result[unique++] = result[i];
            result.RemoveRange(unique, result.Count - unique);
        }
    }

    private static void AddPairTeachers(long[] sortedPairs, int learner, Action<int> consider)
    {
        if (sortedPairs.Length == 0) return;
        int i = Array.BinarySearch(sortedPairs, CompiledInstance.PairKey(learner, 0));
        if (i < 0) i = ~i;
        for (; i < sortedPairs.Length && (sortedPairs[i] >> 32) == learner; i++) consider((int)(sortedPairs[i] & 0xFFFFFFFF));
    }
}

/// <summary>
/// Range trees over n items: n − 1 internal nodes numbered in preorder from a base id (parents before children, so
/// arcs go upwards in id); an internal node covering one item links straight to the item. Any item range is the
/// union of O(log n) canonical nodes.
/// </summary>
internal static class RangeTree
{
    public static void Emit(FlowNetwork network, int baseId, int count, Func<int, (int Node, long Cost)> item, int capacity, int[] outStart, int[] outEnd)
    {
        if (count >= 2) EmitNode(network, 0, count, baseId, item, capacity, outStart, outEnd);
    }

    private static void EmitNode(FlowNetwork network, int lo, int hi, int id, Func<int, (int Node, long Cost)> item, int capacity, int[] outStart, int[] outEnd)
    {
        int mid = (lo + hi) >> 1;
        int leftId = id + 1;
        int rightId = id + 1 + Math.Max(0, mid - lo - 1);
        outStart[id] = network.ArcCount;
        if (mid - lo == 1) { var (node, cost) = item(lo); network.AddArc(id, node, capacity, cost); }
        else network.AddArc(id, leftId, capacity, 0);
        if (hi - mid == 1) { var (node, cost) = item(mid); network.AddArc(id, node, capacity, cost); }
        else network.AddArc(id, rightId, capacity, 0);
        outEnd[id] = network.ArcCount;
        if (mid - lo >= 2) EmitNode(network, lo, mid, leftId, item, capacity, outStart, outEnd);
        if (hi - mid >= 2) EmitNode(network, mid, hi, rightId, item, capacity, outStart, outEnd);
    }

    /// <summary>Calls <paramref name="emit"/>(node, entryCost + item cost if the node is an item) for the canonical cover of items [from, to).</summary>
    public static void Cover(int baseId, int count, int from, int to, long entryCost, Func<int, (int Node, long Cost)> item, Action<int, long> emit)
    {
        if (from >= to) return;
        CoverNode(0, count, baseId, from, to, entryCost, item, emit);
    }

    private static void CoverNode(int lo, int hi, int id, int from, int to, long entryCost, Func<int, (int Node, long Cost)> item, Action<int, long> emit)
    {
        if (to <= lo || hi <= from) return;
        if (hi - lo == 1)
        {
            var (node, cost) = item(lo);
            emit(node, entryCost + cost);
            return;
        }
        if (from <= lo && hi <= to)
        {
            emit(id, entryCost);
            return;
        }
        int mid = (lo + hi) >> 1;
        CoverNode(lo, mid, id + 1, from, to, entryCost, item, emit);
        CoverNode(mid, hi, id + 1 + Math.Max(0, mid - lo - 1), from, to, entryCost, item, emit);
    }
}
