using System.Runtime.CompilerServices;

namespace Tacit.Matching;

/// <summary>Role of a node in the matching network (see docs/matching.md, "The network").</summary>
internal enum NodeRole : byte
{
    Learner,
    LearnerSessions,
    Want,
    /// <summary>A hub on the learners' side: a learner-class node, an entry node or a department-tree node.</summary>
    LearnerClass,
    TeacherClass,
    Share,
    /// <summary>A teacher with a cap across skills and several shares: all their shares' units pass through it.</summary>
    Teacher,
    Sink,
}

/// <summary>
/// Builds the sparse min-cost flow network of docs/matching.md from a compiled instance:
/// learner → want → (learner class or entry node → department tree → teacher class tree | teacher class tree | share) → share → sink,
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
    public int[] ShareOneToOneArc { get; } // per share: its one-to-one arc to the sink (or its teacher's node), -1 when inactive
    public int[] ShareOverflowArc { get; } // per share: its group-overflow arc, -1 when it has none
    public NodeRole[] Role { get; }
    /// <summary>Out-arcs of each node that the flow decomposition walks (want and hub nodes), as contiguous ranges.</summary>
    public int[] OutArcStart { get; }
    public int[] OutArcEnd { get; }

    /// <summary>Active shares of each skill ordered by teacher class (department, authority, teacher).</summary>
    public int[][] SkillShares { get; }

    public int SpecialWants { get; }
    /// <summary>Per person: true when the network routes their shares through a teacher node capped at maxTeacherSessions.</summary>
    public bool[] HasTeacherNode { get; }
    /// <summary>Entry nodes: (learner class, availability mask) pairs whose wants reach only some teacher classes, or some at a penalty.</summary>
    public int EntryNodes { get; }

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

        // Shares of active skills grouped by skill, then teacher class (department, authority), then teacher: bucketed
        // by skill, each bucket sorted on one 64-bit key (a comparison delegate over 300,000 shares was much slower).
        var activeShares = new List<int>();
        var skillShareCount = new int[instance.SkillCount];
        for (int s = 0; s < instance.ShareCount; s++)
        {
            if (instance.ShareSessions[s] <= 0 || !skillWanted[instance.ShareSkill[s]]) continue;
            activeShares.Add(s);
            skillShareCount[instance.ShareSkill[s]]++;
        }
        SkillShares = new int[instance.SkillCount][];
        for (int k = 0; k < instance.SkillCount; k++) SkillShares[k] = skillShareCount[k] == 0 ? [] : new int[skillShareCount[k]];
        Array.Clear(skillShareCount);
        foreach (int s in activeShares) SkillShares[instance.ShareSkill[s]][skillShareCount[instance.ShareSkill[s]]++] = s;
        // Teacher classes are (availability mask, department, authority): the pair score's class part and whether a
        // learner and the teacher share an hour are both decided by the class. Masks are ranked by their first hour, so
        // the classes a learner can meet tend to lie in few runs.
        var maskRank = MaskRanks(instance);
        int teacherBits = BitsFor(people), departmentBits = BitsFor(instance.DepartmentNames.Length), maskBits = BitsFor(instance.MaskCount);
        bool packed = maskBits + departmentBits + 4 + teacherBits <= 63;
        long[] classKeys = [];
        foreach (var list in SkillShares)
        {
            if (list.Length < 2) continue;
            if (!packed)
            {
                Array.Sort(list, (a, b) => TeacherClassOrder(maskRank, instance.ShareTeacher[a], instance.ShareTeacher[b]));
                continue;
            }
            if (classKeys.Length < list.Length) classKeys = new long[list.Length];
            for (int i = 0; i < list.Length; i++)
            {
                int t = instance.ShareTeacher[list[i]];
                classKeys[i] = ((((((long)maskRank[instance.PersonMask[t]] << departmentBits) | (uint)instance.PersonDepartment[t]) << 4)
                    | (uint)instance.Authority[t]) << teacherBits) | (uint)t;
            }
            Array.Sort(classKeys, list, 0, list.Length);
        }

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
                    || instance.Authority[instance.ShareTeacher[list[i - 1]]] != instance.Authority[t]
                    || instance.PersonMask[instance.ShareTeacher[list[i - 1]]] != instance.PersonMask[t];
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
        var classMask = new int[classCount];
        for (int c = 0; c < classCount; c++) classMask[c] = instance.PersonMask[instance.ShareTeacher[SkillShares[classSkill[c]][classStart[c]]]];
        // How a learner with availability mask m may reach teacher class c: freely, at the soft no-common-hour penalty, or not at all.
        HourAccess Access(int m, int c) =>
            instance.MasksMeet(m, classMask[c]) ? HourAccess.Free : instance.HardAvailability ? HourAccess.Forbidden : HourAccess.Penalised;
        long hourPenalty = weights.NoCommonHourPenalty;

        // Active shares of each teacher (a handful), to find a teacher's share of a skill: a scan of these is much
        // faster than a hash lookup of (teacher, skill), of which there are about ten a want.
        var teacherSharesStart = new int[people + 1];
        foreach (int s in activeShares) teacherSharesStart[instance.ShareTeacher[s] + 1]++;
        for (int p = 0; p < people; p++) teacherSharesStart[p + 1] += teacherSharesStart[p];
        var teacherShares = new int[activeShares.Count];
        var nextShare = (int[])teacherSharesStart.Clone();
        foreach (int s in activeShares) teacherShares[nextShare[instance.ShareTeacher[s]]++] = s;
        var sharesByTeacher = (teacherSharesStart, teacherShares);

        // Shares per skill ordered by the teacher's Euler-tour entry time, to find a learner's whole subtree quickly.
        int[][]? skillSharesByTour = null;
        if (instance.WholeChain)
        {
            skillSharesByTour = new int[instance.SkillCount][];
            for (int k = 0; k < instance.SkillCount; k++)
            {
                var copy = (int[])SkillShares[k].Clone();
                var entered = new int[copy.Length];
                for (int i = 0; i < copy.Length; i++) entered[i] = instance.Enter[instance.ShareTeacher[copy[i]]];
                Array.Sort(entered, copy);
                skillSharesByTour[k] = copy;
            }
        }

        // Special shares of each want: shares whose teacher is excluded, preferred, or a soft repeat.
        // Wants without any go through the shared learner-class hub; the others get their own arcs.
        var specialStart = new int[instance.WantCount + 1];
        var specialShares = new List<int>();
        var specialForbidden = new List<bool>();
        var scratch = new List<int>();
        // The exact group-composition search's branches rule out single (want, share) pairs: forbidden special shares.
        var branchShares = instance.BranchExcluded?.GroupBy(key => (int)(key >> 32), key => (int)(key & 0xFFFFFFFF))
            .ToDictionary(g => g.Key, g => g.ToArray());
        for (int w = 0; w < instance.WantCount; w++)
        {
            specialStart[w] = specialShares.Count;
            if (LearnerCapacity[instance.WantLearner[w]] == 0) continue;
            CollectSpecialShares(w, sharesByTeacher, skillSharesByTour, scratch);
            if (branchShares is not null && branchShares.TryGetValue(w, out var ruledOut))
            {
                foreach (int s in ruledOut) if (!scratch.Contains(s)) scratch.Add(s);
                scratch.Sort();
            }
            foreach (int s in scratch)
            {
                bool forbidden = instance.Excluded(instance.WantLearner[w], instance.ShareTeacher[s]) != Exclusion.None
                    || instance.IsBranchExcluded(w, s);
                specialShares.Add(s);
                specialForbidden.Add(forbidden);
            }
        }
        specialStart[instance.WantCount] = specialShares.Count;

        // Learner classes (skill, department, authority) of every matchable want; each gets a node that enters its department's trees.
        var learnerClassIndex = new Dictionary<long, int>();
        var learnerClassKeys = new List<long>();
        int special = 0;
        var wantClass = new int[instance.WantCount]; // the want's learner class (in first-seen order until the keys are sorted)
        Array.Fill(wantClass, -1);
        for (int w = 0; w < instance.WantCount; w++)
        {
            int l = instance.WantLearner[w];
            if (LearnerCapacity[l] == 0 || SkillShares[instance.WantSkill[w]].Length == 0) continue;
            if (specialStart[w + 1] > specialStart[w]) special++;
            long key = LearnerClassKey(instance.WantSkill[w], instance.PersonDepartment[l], instance.Authority[l]);
            if (!learnerClassIndex.TryGetValue(key, out int index))
            {
                index = learnerClassKeys.Count;
                learnerClassIndex.Add(key, index);
                learnerClassKeys.Add(key);
            }
            wantClass[w] = index;
        }
        SpecialWants = special;
        // Learner classes are numbered in key order (skill, department, authority).
        var byKey = new int[learnerClassKeys.Count];
        var sortedKeys = learnerClassKeys.ToArray();
        for (int i = 0; i < byKey.Length; i++) byKey[i] = i;
        Array.Sort(sortedKeys, byKey);
        var rank = new int[byKey.Length];
        for (int i = 0; i < byKey.Length; i++) rank[byKey[i]] = i;
        for (int w = 0; w < instance.WantCount; w++) if (wantClass[w] >= 0) wantClass[w] = rank[wantClass[w]];

        int learnerClassCount = sortedKeys.Length;
        var learnerClassSkill = new int[learnerClassCount];
        var learnerClassDepartment = new int[learnerClassCount];
        var learnerClassAuthority = new int[learnerClassCount];
        for (int i = 0; i < learnerClassCount; i++)
            (learnerClassSkill[i], learnerClassDepartment[i], learnerClassAuthority[i]) = SplitLearnerClassKey(sortedKeys[i]);

        // Each skill's teacher classes in authority order (then mask rank and department, their order in SkillShares).
        // The class score is linear in the teacher's authority on either side of the learner's, so the classes a
        // learner reaches on one side at one access form a run (see docs/matching.md, "Department trees").
        var classAuthority = new int[classCount];
        var classDepartment = new int[classCount];
        for (int c = 0; c < classCount; c++)
        {
            int teacher = instance.ShareTeacher[SkillShares[classSkill[c]][classStart[c]]];
            classAuthority[c] = instance.Authority[teacher];
            classDepartment[c] = instance.PersonDepartment[teacher];
        }
        var authorityOrder = new int[classCount]; // per skill, from skillFirstClass: its classes by authority
        var orderKeys = new long[classCount];
        for (int c = 0; c < classCount; c++)
        {
            authorityOrder[c] = c;
            orderKeys[c] = ((long)classAuthority[c] << 32) | (uint)c; // ties keep the SkillShares order
        }
        for (int k = 0; k < instance.SkillCount; k++)
            Array.Sort(orderKeys, authorityOrder, skillFirstClass[k], skillFirstClass[k + 1] - skillFirstClass[k]);
        orderKeys = [];

        // Union of the masks of each learner class's learners (hard mode): a mask meets one of several masks iff it
        // meets their union, so a teacher class whose mask misses the union is reached by no want of the class.
        var unionBits = new ulong[instance.HardAvailability ? learnerClassCount * CompiledInstance.MaskWords : 0];
        if (instance.HardAvailability)
        {
            for (int w = 0; w < instance.WantCount; w++)
            {
                if (wantClass[w] < 0) continue;
                int u = wantClass[w] * CompiledInstance.MaskWords, m = instance.PersonMask[instance.WantLearner[w]] * CompiledInstance.MaskWords;
                unionBits[u] |= instance.MaskBits[m];
                unionBits[u + 1] |= instance.MaskBits[m + 1];
                unionBits[u + 2] |= instance.MaskBits[m + 2];
            }
        }
        // Whether a want of learner class lc with mask m (−1: the learner-class node itself) may reach teacher class c,
        // and at what cost; partial marks classes a special want reaches share by share instead.
        HourAccess ClassAccess(int lc, int m, int c, bool[]? partial)
        {
            if (!instance.AuthorityAllowed(learnerClassAuthority[lc], classAuthority[c]) || (partial is not null && partial[c])) return HourAccess.Forbidden;
            if (m >= 0) return Access(m, c);
            if (!instance.HardAvailability) return HourAccess.Free;
            int u = lc * CompiledInstance.MaskWords, b = classMask[c] * CompiledInstance.MaskWords;
            return ((unionBits[u] & instance.MaskBits[b]) | (unionBits[u + 1] & instance.MaskBits[b + 1]) | (unionBits[u + 2] & instance.MaskBits[b + 2])) != 0
                ? HourAccess.Free : HourAccess.Forbidden;
        }

        // Department trees: for each (skill, learner department) with learners, one range tree over the teacher classes
        // above the learners' authorities and one over those below, in authority order. A leaf arc carries the part of
        // −classScore that depends on the teacher (±peerCloseness × authority, −crossDepartment when the departments
        // differ); the entry arc carries the part that depends on the learner. Learner classes of one group are adjacent.
        var learnerClassGroup = new int[learnerClassCount];
        var trees = new List<DepartmentTree>();
        for (int lc = 0; lc < learnerClassCount; lc++)
        {
            int k = learnerClassSkill[lc], d = learnerClassDepartment[lc];
            if (lc > 0 && learnerClassSkill[lc - 1] == k && learnerClassDepartment[lc - 1] == d)
            {
                learnerClassGroup[lc] = learnerClassGroup[lc - 1];
                continue;
            }
            int last = lc;
            while (last + 1 < learnerClassCount && learnerClassSkill[last + 1] == k && learnerClassDepartment[last + 1] == d) last++;
            learnerClassGroup[lc] = trees.Count / 2;
            int lowest = learnerClassAuthority[lc], highest = learnerClassAuthority[last];
            int gap = Math.Min(instance.MaxAuthorityGap, 10);
            trees.Add(TreeOver(k, d, +1, lowest, highest + gap));
            trees.Add(TreeOver(k, d, -1, lowest - gap, highest - 1));
        }
        // The tree over the classes of skill k with authority in [from, to], a run of its authority order.
        DepartmentTree TreeOver(int k, int d, int sign, int from, int to)
        {
            int first = skillFirstClass[k], end = skillFirstClass[k + 1], lo = first;
            while (lo < end && classAuthority[authorityOrder[lo]] < from) lo++;
            int hi = lo;
            while (hi < end && classAuthority[authorityOrder[hi]] <= to) hi++;
            return new DepartmentTree(k, d, sign, lo, hi - lo);
        }

        // A plain want whose learner cannot meet every teacher class its learner-class node reaches freely enters
        // through an entry node of (learner class, mask), shared by all such wants, that covers the classes it may
        // reach (at the penalty in soft mode). Index −1: the want enters at its learner-class node.
        var entryIndex = new Dictionary<long, int>();
        var entryKeys = new List<(int LearnerClass, int Mask)>();
        var wantEntry = new int[instance.WantCount];
        Array.Fill(wantEntry, -1);
        if (instance.MaskCount > 1)
        {
            for (int w = 0; w < instance.WantCount; w++)
            {
                int m = instance.PersonMask[instance.WantLearner[w]];
                if (wantClass[w] < 0 || m == 0 || specialStart[w + 1] > specialStart[w]) continue;
                int lc = wantClass[w];
                long key = ((long)lc << 32) | (uint)m;
                if (!entryIndex.TryGetValue(key, out int e))
                {
                    bool free = true;
                    int k = learnerClassSkill[lc];
                    for (int c = skillFirstClass[k]; c < skillFirstClass[k + 1] && free; c++)
                        free = ClassAccess(lc, -1, c, null) == HourAccess.Forbidden || Access(m, c) == HourAccess.Free;
                    e = free ? -1 : entryKeys.Count;
                    entryIndex.Add(key, e);
                    if (!free) entryKeys.Add((lc, m));
                }
                wantEntry[w] = e;
            }
        }
        EntryNodes = entryKeys.Count;

        var layout = new ClassLayout
        {
            Instance = instance,
            SkillShares = SkillShares,
            ClassSkill = [.. classSkill],
            ClassStart = [.. classStart],
            ClassEnd = [.. classEnd],
            ClassAuthority = classAuthority,
            ClassDepartment = classDepartment,
            AuthorityOrder = authorityOrder,
            Trees = [.. trees],
            TreeBase = new int[trees.Count],
            ClassTreeBase = new int[classCount],
            ShareNode = new int[instance.ShareCount],
        };

        // Node ids: learners, wants, entry nodes, learner-class nodes, department trees, teacher-class trees, shares,
        // teacher nodes, sink (so every arc goes upwards). A range tree over n items has n − 1 internal nodes, numbered
        // in preorder; its leaves are the items themselves.
        LearnerNode = new int[people];
        int node = 0;
        for (int p = 0; p < people; p++) LearnerNode[p] = LearnerCapacity[p] > 0 ? node++ : -1;
        SessionsNode = new int[people];
        for (int p = 0; p < people; p++) SessionsNode[p] = LearnerCapacity[p] > 0 ? node++ : -1;
        WantNode = new int[instance.WantCount];
        for (int w = 0; w < instance.WantCount; w++) WantNode[w] = LearnerCapacity[instance.WantLearner[w]] > 0 ? node++ : -1;
        int firstEntry = node;
        node += entryKeys.Count;
        int firstLearnerClass = node;
        node += learnerClassCount;
        for (int t = 0; t < trees.Count; t++)
        {
            layout.TreeBase[t] = node;
            node += Math.Max(0, trees[t].Count - 1);
        }
        int firstTeacherClass = node;
        for (int c = 0; c < classCount; c++)
        {
            layout.ClassTreeBase[c] = node;
            node += Math.Max(0, classEnd[c] - classStart[c] - 1);
        }
        ShareNode = layout.ShareNode;
        Array.Fill(ShareNode, -1);
        int firstShareNode = node;
        for (int s = 0; s < instance.ShareCount; s++) if (instance.ShareSessions[s] > 0 && skillWanted[instance.ShareSkill[s]]) ShareNode[s] = node++;
        // A capped teacher whose active shares could take more learners than the cap gets a node of that capacity.
        var teacherLoad = new long[people];
        var teacherOfferingShares = new int[people];
        foreach (int s in activeShares) teacherLoad[instance.ShareTeacher[s]] += instance.ShareLearnerCapacity(s);
        // The rule counts every share that offers sessions (docs/matching.md), wanted this cycle or not.
        for (int s = 0; s < instance.ShareCount; s++) if (instance.ShareSessions[s] > 0) teacherOfferingShares[instance.ShareTeacher[s]]++;
        HasTeacherNode = new bool[people];
        var teacherNode = new int[people];
        int firstTeacherNode = node;
        for (int p = 0; p < people; p++)
        {
            teacherNode[p] = -1;
            if (instance.TeacherCap[p] < 0 || teacherOfferingShares[p] < 2 || teacherLoad[p] <= instance.TeacherCap[p]) continue;
            HasTeacherNode[p] = true;
            teacherNode[p] = node++;
        }
        Sink = node++;
        int nodeCount = node;

        Role = new NodeRole[nodeCount];
        ShareOfNode = new int[nodeCount];
        Array.Fill(ShareOfNode, -1);
        for (int v = 0; v < nodeCount; v++)
        {
            Role[v] = v < firstEntry ? NodeRole.Want
                : v < firstTeacherClass ? NodeRole.LearnerClass // entry nodes, learner-class nodes and department trees: hubs
                : v < firstShareNode ? NodeRole.TeacherClass
                : v == Sink ? NodeRole.Sink
                : v >= firstTeacherNode ? NodeRole.Teacher : NodeRole.Share;
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
        long scoreMin = weights.TeacherLevel - (instance.HardLastPairs ? 0 : weights.RepeatPairPenalty)
            - (instance.HardAvailability ? 0 : weights.NoCommonHourPenalty) - weights.GroupPenalty;
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

        // Arcs are added in order of their tail node, so the solver needs no sort to lay them out by tail. Room for
        // them is reserved up front (growing the arrays by doubling copied them a dozen times at 100,000 people): at
        // most 3 a learner, 1 a want from the learner, 2 a tree node or share, 1 a plain want; a want with special
        // shares, an entry node and a learner-class node cover a few runs with a few tree nodes each.
        long arcEstimate = 3L * people + instance.WantCount + 2L * (nodeCount - firstLearnerClass) + (instance.WantCount - special) + 24L * special
            + 24L * (entryKeys.Count + learnerClassCount);
        var network = new FlowNetwork(nodeCount, (int)Math.Min(arcEstimate, Array.MaxLength));
        WantArc = new int[instance.WantCount];
        Array.Fill(WantArc, -1);
        OutArcStart = new int[nodeCount];
        OutArcEnd = new int[nodeCount];

        // Learner arcs: the learner's sessions either go unused (to the sink, free) or to the learner's sessions node,
        // where the first one earns the big first-session bonus; from there one arc per want carries its priority.
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
            network.Supply[ln] = capacity;
            network.Supply[Sink] -= capacity;
        }
        var wantsStart = new int[people + 1];
        for (int w = 0; w < instance.WantCount; w++) wantsStart[instance.WantLearner[w] + 1]++;
        for (int p = 0; p < people; p++) wantsStart[p + 1] += wantsStart[p];
        var wantsOf = new int[instance.WantCount]; // wants grouped by learner, in input order
        var fill = (int[])wantsStart.Clone();
        for (int w = 0; w < instance.WantCount; w++) wantsOf[fill[instance.WantLearner[w]]++] = w;
        for (int p = 0; p < people; p++)
        {
            int xn = SessionsNode[p];
            if (xn < 0) continue;
            for (int i = wantsStart[p]; i < wantsStart[p + 1]; i++)
            {
                int w = wantsOf[i];
                WantArc[w] = network.AddArc(xn, WantNode[w], 1, -PriorityMultiplier * instance.PriorityWeight(instance.WantPriority[w]));
            }
        }

        // Want arcs. A plain want enters its entry node or its learner-class node. A want with special shares covers
        // the classes it reaches whole through the department trees itself, the other shares of the classes that hold
        // its special shares through those classes' trees at the exact class score, and gets a direct arc to each
        // allowed special share with its exact pair score.
        var specialPositions = new List<int>();
        var partialClasses = new List<int>();
        var partial = new bool[classCount];
        for (int w = 0; w < instance.WantCount; w++)
        {
            int wn = WantNode[w];
            if (wn < 0) continue;
            OutArcStart[wn] = network.ArcCount;
            int l = instance.WantLearner[w];
            int lc = wantClass[w];
            if (lc >= 0)
            {
                if (wantEntry[w] >= 0)
                {
                    network.AddArc(wn, firstEntry + wantEntry[w], 1, 0);
                }
                else if (specialStart[w + 1] == specialStart[w])
                {
                    network.AddArc(wn, firstLearnerClass + lc, 1, 0);
                }
                else
                {
                    specialPositions.Clear();
                    partialClasses.Clear();
                    for (int i = specialStart[w]; i < specialStart[w + 1]; i++)
                    {
                        int s = specialShares[i];
                        specialPositions.Add(positionInSkill[s]);
                        if (!partial[classOfShare[s]]) { partial[classOfShare[s]] = true; partialClasses.Add(classOfShare[s]); }
                    }
                    int mask = instance.PersonMask[l];
                    CoverClasses(network, wn, lc, mask, partial, 1);
                    // Classes are numbered in SkillShares order, so sorted classes take the sorted positions in turn.
                    specialPositions.Sort();
                    partialClasses.Sort();
                    int next = 0;
                    foreach (int c in partialClasses)
                    {
                        partial[c] = false;
                        var access = ClassAccess(lc, mask, c, null);
                        long entry = (access == HourAccess.Penalised ? hourPenalty : 0)
                            - instance.ClassScore(instance.PersonDepartment[l], instance.Authority[l], classDepartment[c], classAuthority[c]);
                        var items = new ClassTreeItems(layout, c);
                        int size = classEnd[c] - classStart[c], from = 0;
                        for (; next < specialPositions.Count && specialPositions[next] < classEnd[c]; next++)
                        {
                            int position = specialPositions[next] - classStart[c];
                            if (access != HourAccess.Forbidden) RangeTree.Cover(network, wn, layout.ClassTreeBase[c], size, from, position, entry, items);
                            from = position + 1;
                        }
                        if (access != HourAccess.Forbidden) RangeTree.Cover(network, wn, layout.ClassTreeBase[c], size, from, size, entry, items);
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

        // Entry nodes: the classes their mask reaches, free or (soft mode) at the penalty. Learner-class nodes: the
        // classes any of their wants may reach (hard mode: whose mask meets the union of the learners' masks).
        for (int e = 0; e < entryKeys.Count; e++)
        {
            OutArcStart[firstEntry + e] = network.ArcCount;
            CoverClasses(network, firstEntry + e, entryKeys[e].LearnerClass, entryKeys[e].Mask, null, infinite);
            OutArcEnd[firstEntry + e] = network.ArcCount;
        }
        for (int lc = 0; lc < learnerClassCount; lc++)
        {
            OutArcStart[firstLearnerClass + lc] = network.ArcCount;
            CoverClasses(network, firstLearnerClass + lc, lc, -1, null, infinite);
            OutArcEnd[firstLearnerClass + lc] = network.ArcCount;
        }

        // Department trees: internal arcs free, leaf arcs carry the teacher's part of the class score.
        for (int t = 0; t < trees.Count; t++)
            RangeTree.Emit(network, layout.TreeBase[t], trees[t].Count, new DepartmentTreeItems(layout, t), infinite, OutArcStart, OutArcEnd);

        // Teacher-class trees: leaf arcs carry the share part of the pair score (teacher level).
        for (int c = 0; c < classCount; c++)
            RangeTree.Emit(network, layout.ClassTreeBase[c], classEnd[c] - classStart[c], new ClassTreeItems(layout, c), infinite, OutArcStart, OutArcEnd);

        // Covers, from tail, the teacher classes learner class lc may reach with mask m (−1: as its learner-class node),
        // except those marked partial: each maximal run of one side (teacher authority ≥ or < the learner's) and one
        // access through that side's department tree. The entry arc carries the learner's part of −classScore:
        // −9·peerCloseness ∓ peerCloseness × the learner's authority (+ the penalty on a penalised run), so a path to a
        // class costs −classScore whichever canonical node it enters.
        void CoverClasses(FlowNetwork network, int tail, int lc, int m, bool[]? partial, int capacity)
        {
            int k = learnerClassSkill[lc], a = learnerClassAuthority[lc];
            int end = skillFirstClass[k + 1];
            long step = weights.PeerCloseness;
            for (int i = skillFirstClass[k]; i < end;)
            {
                int c = authorityOrder[i];
                var access = ClassAccess(lc, m, c, partial);
                bool above = classAuthority[c] >= a;
                int j = i + 1;
                while (j < end && classAuthority[authorityOrder[j]] >= a == above && ClassAccess(lc, m, authorityOrder[j], partial) == access) j++;
                if (access != HourAccess.Forbidden)
                {
                    int t = 2 * learnerClassGroup[lc] + (above ? 0 : 1);
                    var tree = layout.Trees[t];
                    if (i < tree.First || j > tree.First + tree.Count) throw new InvalidOperationException("a learner class covers classes outside its department tree");
                    long entry = -9 * step + (above ? -step * a : step * a) + (access == HourAccess.Penalised ? hourPenalty : 0);
                    RangeTree.Cover(network, tail, layout.TreeBase[t], tree.Count, i - tree.First, j - tree.First, entry, new DepartmentTreeItems(layout, t), capacity);
                }
                i = j;
            }
        }

        // Share → sink (or → its teacher's node): one-to-one capacity free, group overflow (sessions × (groupSize − 1)) with the group penalty.
        ShareOneToOneArc = new int[instance.ShareCount];
        ShareOverflowArc = new int[instance.ShareCount];
        Array.Fill(ShareOneToOneArc, -1);
        Array.Fill(ShareOverflowArc, -1);
        for (int s = 0; s < instance.ShareCount; s++)
        {
            int zn = ShareNode[s];
            if (zn < 0) continue;
            int head = teacherNode[instance.ShareTeacher[s]] >= 0 ? teacherNode[instance.ShareTeacher[s]] : Sink;
            int oneToOne = Math.Min(instance.ShareSessions[s], instance.ShareLearnerCapacity(s));
            ShareOneToOneArc[s] = network.AddArc(zn, head, oneToOne, 0);
            int overflow = instance.ShareLearnerCapacity(s) - oneToOne;
            if (overflow > 0) ShareOverflowArc[s] = network.AddArc(zn, head, overflow, weights.GroupPenalty);
        }
        // Teacher → sink: the cap across skills (see docs/matching.md on what it counts).
        for (int p = 0; p < people; p++)
            if (teacherNode[p] >= 0) network.AddArc(teacherNode[p], Sink, instance.TeacherCap[p], 0);

        Network = network;
    }

    private enum HourAccess : byte
    {
        Free,
        Penalised,
        Forbidden,
    }

    private static int BitsFor(int count) => count <= 1 ? 1 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(count - 1));

    /// <summary>Rank of each availability mask in the teacher-class order: "any time" first, then by first hour, then by id.</summary>
    private static int[] MaskRanks(CompiledInstance instance)
    {
        int count = instance.MaskCount;
        var ids = new int[count];
        var firstHour = new int[count];
        for (int m = 0; m < count; m++)
        {
            ids[m] = m;
            int w = m * CompiledInstance.MaskWords;
            ulong a = instance.MaskBits[w], b = instance.MaskBits[w + 1], c = instance.MaskBits[w + 2];
            firstHour[m] = m == 0 ? -1
                : a != 0 ? System.Numerics.BitOperations.TrailingZeroCount(a)
                : b != 0 ? 64 + System.Numerics.BitOperations.TrailingZeroCount(b)
                : 128 + System.Numerics.BitOperations.TrailingZeroCount(c);
        }
        Array.Sort(ids, (x, y) => firstHour[x] != firstHour[y] ? firstHour[x].CompareTo(firstHour[y]) : x.CompareTo(y));
        var rank = new int[count];
        for (int i = 0; i < count; i++) rank[ids[i]] = i;
        return rank;
    }

    private int TeacherClassOrder(int[] maskRank, int a, int b)
    {
        int c = maskRank[instance.PersonMask[a]].CompareTo(maskRank[instance.PersonMask[b]]);
        if (c == 0) c = instance.PersonDepartment[a].CompareTo(instance.PersonDepartment[b]);
        if (c == 0) c = instance.Authority[a].CompareTo(instance.Authority[b]);
        return c != 0 ? c : a.CompareTo(b);
    }

    private static long LearnerClassKey(int skill, int department, int authority) => ((long)skill << 36) | ((long)department << 4) | (uint)authority;

    private static (int Skill, int Department, int Authority) SplitLearnerClassKey(long key) =>
        ((int)(key >> 36), (int)((key >> 4) & 0xFFFFFFFF), (int)(key & 0xF));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called for every want while the methods are still being tiered up
    private void CollectSpecialShares(int want, (int[] Start, int[] Shares) sharesByTeacher, int[][]? skillSharesByTour, List<int> result)
    {
        result.Clear();
        int l = instance.WantLearner[want];
        int k = instance.WantSkill[want];
        if (SkillShares[k].Length == 0) return;

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
        for (int i = FirstPairOf(instance.LastPairs, l); i < instance.LastPairs.Length && (instance.LastPairs[i] >> 32) == l; i++)
            Consider((int)(instance.LastPairs[i] & 0xFFFFFFFF));
        for (int i = FirstPairOf(instance.DeclinedPairs, l); i < instance.DeclinedPairs.Length && (instance.DeclinedPairs[i] >> 32) == l; i++)
            Consider((int)(instance.DeclinedPairs[i] & 0xFFFFFFFF));
        Consider(instance.WantPreferred[want]);
        if (result.Count > 1)
        {
            result.Sort();
            int unique = 1;
            for (int i = 1; i < result.Count; i++) if (result[i] != result[unique - 1]) result[unique++] = result[i];
            result.RemoveRange(unique, result.Count - unique);
        }

        // A local function called directly (never turned into a delegate), so there is no allocation per want.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        void Consider(int teacher)
        {
            if (teacher < 0) return;
            for (int i = sharesByTeacher.Start[teacher]; i < sharesByTeacher.Start[teacher + 1]; i++)
                if (instance.ShareSkill[sharesByTeacher.Shares[i]] == k) result.Add(sharesByTeacher.Shares[i]);
        }
    }

    /// <summary>Index of the first (learner, ·) key in sorted pair keys.</summary>
    private static int FirstPairOf(long[] sortedPairs, int learner)
    {
        if (sortedPairs.Length == 0) return 0;
        int i = Array.BinarySearch(sortedPairs, CompiledInstance.PairKey(learner, 0));
        return i < 0 ? ~i : i;
    }
}

/// <summary>The teacher classes of a network, its department trees, and where their range trees start.</summary>
internal sealed class ClassLayout
{
    public required CompiledInstance Instance { get; init; }
    public required int[][] SkillShares { get; init; }
    public required int[] ClassSkill { get; init; }
    public required int[] ClassStart { get; init; } // index into SkillShares[skill]
    public required int[] ClassEnd { get; init; }
    public required int[] ClassAuthority { get; init; }
    public required int[] ClassDepartment { get; init; }
    /// <summary>Each skill's teacher classes in authority order, in the skill's range of class ids.</summary>
    public required int[] AuthorityOrder { get; init; }
    public required DepartmentTree[] Trees { get; init; }
    public required int[] TreeBase { get; init; }
    public required int[] ClassTreeBase { get; init; }
    public required int[] ShareNode { get; init; }

    /// <summary>A teacher class is entered at its tree root, or directly at its share when it has only one.</summary>
    public (int Node, long Cost) ClassEntry(int c)
    {
        if (ClassEnd[c] - ClassStart[c] >= 2) return (ClassTreeBase[c], 0);
        return ShareItem(SkillShares[ClassSkill[c]][ClassStart[c]]);
    }

    /// <summary>A share as a leaf of its class tree: the arc into it carries the share part of the pair score.</summary>
    public (int Node, long Cost) ShareItem(int share) =>
        (ShareNode[share], -(long)Instance.Weights.TeacherLevel * Instance.ShareLevel[share]);
}

/// <summary>
/// A range tree over the teacher classes AuthorityOrder[First .. First + Count) of a skill, for the learners of one
/// department on one side: Sign +1 over teachers of their authority or above, −1 below.
/// </summary>
internal readonly record struct DepartmentTree(int Skill, int Department, int Sign, int First, int Count);

/// <summary>The leaves of a range tree: item j's node and the cost of the arc into it; node −1 when the tree has no arc to item j.</summary>
internal interface IRangeItems
{
    (int Node, long Cost) Item(int j);
}

/// <summary>
/// Leaves of a department tree: its teacher classes, entered with the teacher's part of −classScore,
/// Sign × peerCloseness × authority − crossDepartment when the teacher's department differs from the learners'.
/// </summary>
internal readonly struct DepartmentTreeItems(ClassLayout layout, int tree) : IRangeItems
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Node, long Cost) Item(int j)
    {
        var t = layout.Trees[tree];
        int c = layout.AuthorityOrder[t.First + j];
        var weights = layout.Instance.Weights;
        var (entry, extra) = layout.ClassEntry(c);
        return (entry, extra + t.Sign * (long)weights.PeerCloseness * layout.ClassAuthority[c]
            - (layout.ClassDepartment[c] != t.Department ? weights.CrossDepartment : 0));
    }
}

/// <summary>Leaves of a teacher-class tree: the class's shares.</summary>
internal readonly struct ClassTreeItems(ClassLayout layout, int teacherClass) : IRangeItems
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Node, long Cost) Item(int j) =>
        layout.ShareItem(layout.SkillShares[layout.ClassSkill[teacherClass]][layout.ClassStart[teacherClass] + j]);
}

/// <summary>
/// Range trees over n items: n − 1 internal nodes numbered in preorder from a base id (parents before children, so
/// arcs go upwards in id); an internal node covering one item links straight to the item. Any item range is the
/// union of O(log n) canonical nodes. Items come from a struct, so the calls are direct (no delegate per want).
/// </summary>
internal static class RangeTree
{
    public static void Emit<TItems>(FlowNetwork network, int baseId, int count, TItems items, int capacity, int[] outStart, int[] outEnd)
        where TItems : struct, IRangeItems
    {
        if (count >= 2) EmitNode(network, 0, count, baseId, items, capacity, outStart, outEnd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // recursive, so never inlined: skip the slow first tier
    private static void EmitNode<TItems>(FlowNetwork network, int lo, int hi, int id, TItems items, int capacity, int[] outStart, int[] outEnd)
        where TItems : struct, IRangeItems
    {
        int mid = (lo + hi) >> 1;
        int leftId = id + 1;
        int rightId = id + 1 + Math.Max(0, mid - lo - 1);
        outStart[id] = network.ArcCount;
        if (mid - lo == 1) { var (node, cost) = items.Item(lo); if (node >= 0) network.AddArc(id, node, capacity, cost); }
        else network.AddArc(id, leftId, capacity, 0);
        if (hi - mid == 1) { var (node, cost) = items.Item(mid); if (node >= 0) network.AddArc(id, node, capacity, cost); }
        else network.AddArc(id, rightId, capacity, 0);
        outEnd[id] = network.ArcCount;
        if (mid - lo >= 2) EmitNode(network, lo, mid, leftId, items, capacity, outStart, outEnd);
        if (hi - mid >= 2) EmitNode(network, mid, hi, rightId, items, capacity, outStart, outEnd);
    }

    /// <summary>Adds an arc tail → node (the given capacity, 1 by default; entryCost + the item's cost if the node is an item) for each node of the canonical cover of items [from, to).</summary>
    public static void Cover<TItems>(FlowNetwork network, int tail, int baseId, int count, int from, int to, long entryCost, TItems items, int capacity = 1)
        where TItems : struct, IRangeItems
    {
        if (from >= to) return;
        CoverNode(network, tail, 0, count, baseId, from, to, entryCost, items, capacity);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // recursive, so never inlined: skip the slow first tier
    private static void CoverNode<TItems>(FlowNetwork network, int tail, int lo, int hi, int id, int from, int to, long entryCost, TItems items, int capacity)
        where TItems : struct, IRangeItems
    {
        if (to <= lo || hi <= from) return;
        if (hi - lo == 1)
        {
            var (node, cost) = items.Item(lo);
            if (node >= 0) network.AddArc(tail, node, capacity, entryCost + cost);
            return;
        }
        if (from <= lo && hi <= to)
        {
            network.AddArc(tail, id, capacity, entryCost);
            return;
        }
        int mid = (lo + hi) >> 1;
        CoverNode(network, tail, lo, mid, id + 1, from, to, entryCost, items, capacity);
        CoverNode(network, tail, mid, hi, id + 1 + Math.Max(0, mid - lo - 1), from, to, entryCost, items, capacity);
    }
}
