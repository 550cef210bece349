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
    /// <summary>A teacher with a cap across skills and several shares: all their shares' units pass through it.</summary>
    Teacher,
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
        // Learner l may use no share of teacher class c: the class is beyond the authority gap or, in hard mode, shares no hour with l.
        bool ClassForbidden(int l, int c) =>
            Access(instance.PersonMask[l], c) == HourAccess.Forbidden
            || !instance.AuthorityAllowed(instance.Authority[l], instance.Authority[instance.ShareTeacher[SkillShares[classSkill[c]][classStart[c]]]]);

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
        ForbiddenShareCount = new int[instance.WantCount];
        var scratch = new List<int>();
        for (int w = 0; w < instance.WantCount; w++)
        {
            specialStart[w] = specialShares.Count;
            if (LearnerCapacity[instance.WantLearner[w]] == 0) continue;
            CollectSpecialShares(w, sharesByTeacher, skillSharesByTour, scratch);
            foreach (int s in scratch)
            {
                bool forbidden = instance.Excluded(instance.WantLearner[w], instance.ShareTeacher[s]) != Exclusion.None;
                specialShares.Add(s);
                specialForbidden.Add(forbidden);
                // Shares of classes the learner may not use at all are counted per class below.
                if (forbidden && !ClassForbidden(instance.WantLearner[w], classOfShare[s])) ForbiddenShareCount[w]++;
            }
        }
        // Whole teacher classes beyond the authority gap or (hard mode) without a common hour: counted once per (skill, authority, mask).
        if (instance.MaxAuthorityGap != int.MaxValue || (instance.HardAvailability && instance.MaskCount > 1))
        {
            var classForbiddenShares = new Dictionary<(int Skill, int Authority, int Mask), int>();
            for (int w = 0; w < instance.WantCount; w++)
            {
                int l = instance.WantLearner[w];
                int k = instance.WantSkill[w];
                if (LearnerCapacity[l] == 0) continue;
                var key = (k, instance.Authority[l], instance.PersonMask[l]);
                if (!classForbiddenShares.TryGetValue(key, out int count))
                {
                    for (int c = skillFirstClass[k]; c < skillFirstClass[k + 1]; c++)
                        if (ClassForbidden(l, c)) count += classEnd[c] - classStart[c];
                    classForbiddenShares.Add(key, count);
                }
                ForbiddenShareCount[w] += count;
            }
        }
        specialStart[instance.WantCount] = specialShares.Count;

        // Learner classes (skill, department, authority) of every matchable want; each gets a range tree over its skill's teacher classes.
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

        // The teacher classes a learner class's tree spans: only those some want of the class may use at all, i.e.
        // within the authority gap and, in hard mode, meeting the union of its learners' masks (a mask meets one of
        // several masks iff it meets their union). The others lie under no entry point of any want, so leaving them
        // out changes no path; with masks splitting teacher classes this keeps each tree to the classes its learners
        // can meet (see docs/matching.md, "Availability and the authority gap without dense arcs").
        int learnerClassCount = sortedKeys.Length;
        var unionBits = new ulong[learnerClassCount * CompiledInstance.MaskWords];
        for (int w = 0; w < instance.WantCount; w++)
        {
            if (wantClass[w] < 0) continue;
            int u = wantClass[w] * CompiledInstance.MaskWords, m = instance.PersonMask[instance.WantLearner[w]] * CompiledInstance.MaskWords;
            unionBits[u] |= instance.MaskBits[m];
            unionBits[u + 1] |= instance.MaskBits[m + 1];
            unionBits[u + 2] |= instance.MaskBits[m + 2];
        }
        var treeClassStart = new int[learnerClassCount + 1];
        var treeClassList = new List<int>();
        for (int i = 0; i < learnerClassCount; i++)
        {
            treeClassStart[i] = treeClassList.Count;
            var (k, _, authority) = SplitLearnerClassKey(sortedKeys[i]);
            int u = i * CompiledInstance.MaskWords;
            for (int c = skillFirstClass[k]; c < skillFirstClass[k + 1]; c++)
            {
                if (!instance.AuthorityAllowed(authority, instance.Authority[instance.ShareTeacher[SkillShares[k][classStart[c]]]])) continue;
                int m = classMask[c] * CompiledInstance.MaskWords;
                if (instance.HardAvailability
                    && ((unionBits[u] & instance.MaskBits[m]) | (unionBits[u + 1] & instance.MaskBits[m + 1]) | (unionBits[u + 2] & instance.MaskBits[m + 2])) == 0) continue;
                treeClassList.Add(c);
            }
        }
        treeClassStart[learnerClassCount] = treeClassList.Count;
        var treeClasses = treeClassList.ToArray();
        treeClassList = null;
        int TreeSize(int lc) => treeClassStart[lc + 1] - treeClassStart[lc];
        // Position in a learner class's tree of the first spanned teacher class ≥ c.
        int TreePosition(int lc, int c)
        {
            int i = Array.BinarySearch(treeClasses, treeClassStart[lc], TreeSize(lc), c);
            return (i < 0 ? ~i : i) - treeClassStart[lc];
        }

        // A plain want whose learner cannot meet every teacher class of its learner-class tree freely enters through an
        // entry node of (learner class, mask), shared by all such wants, that covers the classes it may reach (at the
        // penalty in soft mode). Index −1: the mask meets every class of the tree freely, so the want enters at the root.
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
                    for (int i = treeClassStart[lc]; i < treeClassStart[lc + 1] && free; i++) free = Access(m, treeClasses[i]) == HourAccess.Free;
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
            SkillFirstClass = skillFirstClass,
            LearnerClassSkill = new int[sortedKeys.Length],
            LearnerClassDepartment = new int[sortedKeys.Length],
            LearnerClassAuthority = new int[sortedKeys.Length],
            LearnerTreeBase = new int[sortedKeys.Length],
            TreeClassStart = treeClassStart,
            TreeClasses = treeClasses,
            ClassTreeBase = new int[classCount],
            ShareNode = new int[instance.ShareCount],
        };
        for (int i = 0; i < sortedKeys.Length; i++)
            (layout.LearnerClassSkill[i], layout.LearnerClassDepartment[i], layout.LearnerClassAuthority[i]) = SplitLearnerClassKey(sortedKeys[i]);

        // Node ids: learners, wants, learner-class trees, teacher-class trees, shares, sink (so every arc goes upwards).
        // A range tree over n items has n − 1 internal nodes, numbered in preorder; its leaves are the items themselves.
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
        for (int i = 0; i < sortedKeys.Length; i++)
        {
            layout.LearnerTreeBase[i] = node;
            node += Math.Max(0, TreeSize(i) - 1);
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
            Role[v] = v < firstLearnerClass ? NodeRole.Want
                : v < firstTeacherClass ? NodeRole.LearnerClass
                : v < firstShareNode ? NodeRole.TeacherClass
                : v == Sink ? NodeRole.Sink
                : v >= firstTeacherNode ? NodeRole.Teacher : NodeRole.Share;
        }
        for (int p = 0; p < people; p++) if (LearnerNode[p] >= 0) Role[LearnerNode[p]] = NodeRole.Learner;
        for (int p = 0; p < people; p++) if (SessionsNode[p] >= 0) Role[SessionsNode[p]] = NodeRole.LearnerSessions;
        for (int s = 0; s < instance.ShareCount; s++) if (ShareNode[s] >= 0) ShareOfNode[ShareNode[s]] = s;
        for (int e = 0; e < entryKeys.Count; e++) Role[firstEntry + e] = NodeRole.LearnerClass; // a hub like the learner-class trees

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
        // shares covers the runs between them with a few tree nodes each (about 13 arcs on generated organisations).
        long arcEstimate = 3L * people + instance.WantCount + 2L * (nodeCount - firstLearnerClass) + (instance.WantCount - special) + 14L * special
            + 14L * entryKeys.Count;
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
                int lc = wantClass[w];
                var learnerTree = new LearnerTreeItems(layout, lc);
                if (wantEntry[w] >= 0)
                {
                    network.AddArc(wn, firstEntry + wantEntry[w], 1, 0);
                }
                else if (specialStart[w + 1] == specialStart[w])
                {
                    RangeTree.Cover(network, wn, layout.LearnerTreeBase[lc], TreeSize(lc), 0, TreeSize(lc), 0, learnerTree);
                }
                else
                {
                    excludedPositions.Clear();
                    for (int i = specialStart[w]; i < specialStart[w + 1]; i++) excludedPositions.Add(positionInSkill[specialShares[i]]);
                    excludedPositions.Sort();
                    excludedPositions.Add(SkillShares[k].Length);
                    int runStart = 0;
                    foreach (int position in excludedPositions)
                    {
                        int a = runStart;
                        while (a < position)
                        {
                            int c = classOfShare[SkillShares[k][a]];
                            var access = Access(instance.PersonMask[l], c);
                            long entry = access == HourAccess.Penalised ? hourPenalty : 0;
                            if (a == classStart[c] && classEnd[c] <= position)
                            {
                                // Whole classes the learner reaches alike, through their learner-class tree (which leaves out
                                // classes beyond the authority gap).
                                int last = c;
                                while (last + 1 < skillFirstClass[k + 1] && classEnd[last + 1] <= position && Access(instance.PersonMask[l], last + 1) == access) last++;
                                if (access != HourAccess.Forbidden)
                                    RangeTree.Cover(network, wn, layout.LearnerTreeBase[lc], TreeSize(lc), TreePosition(lc, c), TreePosition(lc, last + 1), entry, learnerTree);
                                a = classEnd[last];
                            }
                            else
                            {
                                int end = Math.Min(position, classEnd[c]);
                                int teacher = instance.ShareTeacher[SkillShares[k][classStart[c]]];
                                if (access != HourAccess.Forbidden && instance.AuthorityAllowed(instance.Authority[l], instance.Authority[teacher]))
                                    RangeTree.Cover(network, wn, layout.ClassTreeBase[c], classEnd[c] - classStart[c], a - classStart[c], end - classStart[c],
                                        entry - instance.ClassScore(l, teacher), new ClassTreeItems(layout, c));
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

        // Entry nodes: runs of teacher classes the mask reaches alike, covered in the learner-class tree (hub capacity).
        for (int e = 0; e < entryKeys.Count; e++)
        {
            int en = firstEntry + e;
            var (lc, m) = entryKeys[e];
            int classes = TreeSize(lc), first = treeClassStart[lc];
            var learnerTree = new LearnerTreeItems(layout, lc);
            OutArcStart[en] = network.ArcCount;
            for (int from = 0; from < classes;)
            {
                var access = Access(m, treeClasses[first + from]);
                int to = from + 1;
                while (to < classes && Access(m, treeClasses[first + to]) == access) to++;
                if (access != HourAccess.Forbidden)
                    RangeTree.Cover(network, en, layout.LearnerTreeBase[lc], classes, from, to, access == HourAccess.Penalised ? hourPenalty : 0, learnerTree, infinite);
                from = to;
            }
            OutArcEnd[en] = network.ArcCount;
        }

        // Learner-class trees: internal arcs free, leaf arcs carry the class part of the pair score.
        for (int i = 0; i < sortedKeys.Length; i++)
        {
            RangeTree.Emit(network, layout.LearnerTreeBase[i], TreeSize(i), new LearnerTreeItems(layout, i), infinite, OutArcStart, OutArcEnd);
        }

        // Teacher-class trees: leaf arcs carry the share part of the pair score (teacher level).
        for (int c = 0; c < classCount; c++)
            RangeTree.Emit(network, layout.ClassTreeBase[c], classEnd[c] - classStart[c], new ClassTreeItems(layout, c), infinite, OutArcStart, OutArcEnd);

        // Share → sink (or → its teacher's node): one-to-one capacity free, group overflow (sessions × (groupSize − 1)) with the group penalty.
        for (int s = 0; s < instance.ShareCount; s++)
        {
            int zn = ShareNode[s];
            if (zn < 0) continue;
            int head = teacherNode[instance.ShareTeacher[s]] >= 0 ? teacherNode[instance.ShareTeacher[s]] : Sink;
            int oneToOne = Math.Min(instance.ShareSessions[s], instance.ShareLearnerCapacity(s));
            network.AddArc(zn, head, oneToOne, 0);
            int overflow = instance.ShareLearnerCapacity(s) - oneToOne;
            if (overflow > 0) network.AddArc(zn, head, overflow, weights.GroupPenalty);
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

/// <summary>The teacher classes and learner classes of a network, and where their range trees start.</summary>
internal sealed class ClassLayout
{
    public required CompiledInstance Instance { get; init; }
    public required int[][] SkillShares { get; init; }
    public required int[] ClassSkill { get; init; }
    public required int[] ClassStart { get; init; } // index into SkillShares[skill]
    public required int[] ClassEnd { get; init; }
    public required int[] SkillFirstClass { get; init; }
    public required int[] LearnerClassSkill { get; init; }
    public required int[] LearnerClassDepartment { get; init; }
    public required int[] LearnerClassAuthority { get; init; }
    public required int[] LearnerTreeBase { get; init; }
    /// <summary>The teacher classes each learner-class tree spans (CSR over learner classes, in skill class order): those its wants may use at all.</summary>
    public required int[] TreeClassStart { get; init; }
    public required int[] TreeClasses { get; init; }
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

/// <summary>The leaves of a range tree: item j's node and the cost of the arc into it; node −1 when the tree has no arc to item j.</summary>
internal interface IRangeItems
{
    (int Node, long Cost) Item(int j);
}

/// <summary>Leaves of a learner-class tree: the skill's teacher classes, entered with the class part of the pair score.</summary>
internal readonly struct LearnerTreeItems(ClassLayout layout, int learnerClass) : IRangeItems
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Node, long Cost) Item(int j)
    {
        int c = layout.TreeClasses[layout.TreeClassStart[learnerClass] + j];
        var instance = layout.Instance;
        int teacher = instance.ShareTeacher[layout.SkillShares[layout.ClassSkill[c]][layout.ClassStart[c]]];
        if (!instance.AuthorityAllowed(layout.LearnerClassAuthority[learnerClass], instance.Authority[teacher])) return (-1, 0); // beyond the gap: no leaf
        var (entry, extra) = layout.ClassEntry(c);
        return (entry, extra - instance.ClassScore(layout.LearnerClassDepartment[learnerClass], layout.LearnerClassAuthority[learnerClass],
            instance.PersonDepartment[teacher], instance.Authority[teacher]));
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
