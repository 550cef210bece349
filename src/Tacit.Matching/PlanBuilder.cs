using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tacit.Matching;

/// <summary>Turns the optimal flow into sessions with reasons, unmet wants with reasons, and summary figures.</summary>
internal static class PlanBuilder
{
    public const int OneToOneMinutes = 30;
    public const int GroupMinutes = 60;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once with long loops: skip the tiers and on-stack replacement
    public static MatchPlan Build(CompiledInstance instance, MatchingNetwork built, int[] flow, int? relaxationServed = null, int groupCompositionCuts = 0)
    {
        var network = built.Network;
        var arcs = network.Arcs;

        Int128 objective = 0;
        for (int a = 0; a < network.ArcCount; a++)
        {
            int f = flow[a];
            if (f != 0) objective += (Int128)f * arcs[a].Cost;
        }

        // Decompose the flow into want → share assignments. Hub nodes pass wants on in arrival order, so the
        // decomposition is deterministic; any decomposition has the same cost because every want reaching a hub
        // may use every share below it (wants with exclusions never enter a hub above an excluded share).
        var shareOfWant = new int[instance.WantCount];
        Array.Fill(shareOfWant, -1);
        var queues = new HubQueues(built, flow);
        for (int w = 0; w < instance.WantCount; w++)
        {
            int wn = built.WantNode[w];
            if (wn < 0 || flow[built.WantArc[w]] == 0) continue;
            for (int a = built.OutArcStart[wn]; a < built.OutArcEnd[wn]; a++)
                if (flow[a] > 0) Route(built, arcs[a].Head, w, shareOfWant, queues);
        }
        for (int v = 0; v < network.NodeCount; v++) // arcs go up in id, so a hub has all its wants when its turn comes
        {
            int next = queues.Start[v];
            if (next == queues.Start[v + 1]) continue;
            if (queues.Fill[v] != queues.Start[v + 1]) throw new InvalidOperationException("flow decomposition lost a unit at a hub");
            for (int a = built.OutArcStart[v]; a < built.OutArcEnd[v]; a++)
                for (int f = flow[a]; f > 0; f--) Route(built, arcs[a].Head, queues.Wants[next++], shareOfWant, queues);
        }

        // Check the objective against its lexicographic components: this ties the exported network to the plan.
        var assignedPerShare = new List<int>?[instance.ShareCount];
        var sessionsOfLearner = new int[instance.PersonCount];
        var score = new int[instance.WantCount]; // pair score of each met want, computed once
        long priorityWeight = 0, scoreTotal = 0;
        int wantsMet = 0, high = 0, medium = 0, low = 0, cross = 0;
        for (int w = 0; w < instance.WantCount; w++)
        {
            int s = shareOfWant[w];
            if (s < 0) continue;
            (assignedPerShare[s] ??= []).Add(w);
            int l = instance.WantLearner[w];
            sessionsOfLearner[l]++;
            wantsMet++;
            priorityWeight += instance.PriorityWeight(instance.WantPriority[w]);
            score[w] = instance.PairScore(w, s);
            scoreTotal += score[w];
            switch (instance.WantPriority[w])
            {
                case Priority.High: high++; break;
                case Priority.Medium: medium++; break;
                default: low++; break;
            }
            if (instance.PersonDepartment[l] != instance.PersonDepartment[instance.ShareTeacher[s]]) cross++;
        }
        long groupOverflow = 0;
        for (int s = 0; s < instance.ShareCount; s++)
        {
            int n = assignedPerShare[s]?.Count ?? 0;
            if (n > instance.ShareLearnerCapacity(s)) throw new InvalidOperationException("share over capacity");
            groupOverflow += Math.Max(0, n - instance.ShareSessions[s]);
        }
        int learnersWithWants = 0, served = 0, servedWithBonus = 0;
        var hasWant = new bool[instance.PersonCount];
        foreach (int l in instance.WantLearner) hasWant[l] = true;
        for (int p = 0; p < instance.PersonCount; p++)
        {
            if (sessionsOfLearner[p] > instance.MaxSessions[p]) throw new InvalidOperationException("learner over capacity");
            if (!hasWant[p]) continue;
            learnersWithWants++;
            if (sessionsOfLearner[p] == 0) continue;
            served++;
            if (instance.AlreadyServed is null || !instance.AlreadyServed[p]) servedWithBonus++;
        }
        long groupPenaltyTotal = groupOverflow * instance.Weights.GroupPenalty;
        Int128 expected = -(Int128)built.FirstSessionBonus * servedWithBonus
            - (Int128)built.PriorityMultiplier * priorityWeight - scoreTotal + groupPenaltyTotal;
        if (expected != objective)
            throw new InvalidOperationException($"objective {objective} does not match its components {expected}");

        // Sessions and explanations are independent per share and per unmet want: two halves are built at once (the
        // machine has two cores) and joined in order, so the plan is the same as a sequential build. Every share is
        // packed first: a share that cannot pack its learners ends the build before any session or explanation is
        // written (the matcher cuts it and solves again, so writing this flow's texts would be wasted).
        const int parts = 2; // part 0 here, part 1 on the thread pool
        var sessionSizes = new List<int>?[instance.ShareCount];
        var unpackedParts = new List<UnpackedShare>[parts];
        InHalves(part => unpackedParts[part] = PackShares(instance, assignedPerShare, score, sessionSizes,
            instance.ShareCount * part / parts, instance.ShareCount * (part + 1) / parts));
        var value = new LexicographicValue(servedWithBonus, priorityWeight, scoreTotal - groupPenaltyTotal);
        if (unpackedParts[0].Count + unpackedParts[1].Count > 0) throw new GroupPackingException([.. unpackedParts[0], .. unpackedParts[1]], value);
        var sessionParts = new List<PlannedSession>[parts];
        InHalves(part => sessionParts[part] = MakeSessions(instance, assignedPerShare, sessionSizes, score, new ReasonTexts(instance),
            instance.ShareCount * part / parts, instance.ShareCount * (part + 1) / parts));
        var unmetReasons = new UnmetReasons(instance, shareOfWant, built.HasTeacherNode);
        var unmetParts = new List<UnmetWant>[parts];
        InHalves(part =>
        {
            var unmetPart = new List<UnmetWant>();
            for (int w = instance.WantCount * part / parts, end = instance.WantCount * (part + 1) / parts; w < end; w++)
                if (shareOfWant[w] < 0) unmetPart.Add(unmetReasons.Explain(w));
            unmetParts[part] = unmetPart;
        });
        var sessions = new List<PlannedSession>(sessionParts.Sum(part => part.Count));
        foreach (var part in sessionParts) sessions.AddRange(part);
        var unmet = new List<UnmetWant>(unmetParts.Sum(part => part.Count));
        foreach (var part in unmetParts) unmet.AddRange(part);
        int oneToOne = 0, groups = 0, inGroups = 0;
        foreach (var session in sessions)
        {
            if (session.Kind == SessionKind.OneToOne) { oneToOne++; continue; }
            groups++;
            inGroups += session.Learners.Count;
        }

        return new MatchPlan
        {
            Objective = objective,
            Value = value,
            Summary = new PlanSummary
            {
                People = instance.PersonCount,
                LearnersWithWants = learnersWithWants,
                LearnersServed = served,
                RelaxationLearnersServedUpperBound = relaxationServed ?? served,
                GroupCompositionCuts = groupCompositionCuts,
                Wants = instance.WantCount,
                WantsMet = wantsMet,
                HighPriorityWantsMet = high,
                MediumPriorityWantsMet = medium,
                LowPriorityWantsMet = low,
                Sessions = sessions.Count,
                OneToOneSessions = oneToOne,
                GroupSessions = groups,
                LearnersInGroups = inGroups,
                CrossDepartmentAssignments = cross,
                CrossDepartmentPerMille = wantsMet == 0 ? 0 : (int)(cross * 1000L / wantsMet),
                PriorityWeightMet = priorityWeight,
                PairScoreTotal = scoreTotal,
                GroupPenaltyTotal = groupPenaltyTotal,
                FirstSessionBonus = built.FirstSessionBonus,
                PriorityMultiplier = built.PriorityMultiplier,
                NetworkNodes = network.NodeCount,
                NetworkArcs = network.ArcCount,
            },
            Sessions = sessions,
            UnmetWants = unmet,
        };
    }

    /// <summary>Runs <paramref name="build"/>(0) here and <paramref name="build"/>(1) on the thread pool, and waits for both.</summary>
    private static void InHalves(Action<int> build)
    {
        var second = Task.Run(() => build(1));
        build(0);
        second.GetAwaiter().GetResult(); // rethrows the part's own exception (e.g. an optimality violation)
    }

    /// <summary>A want leaving a want or hub node by arc into <paramref name="head"/>: assigned at a share, or queued at the next hub.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Route(MatchingNetwork built, int head, int want, int[] shareOfWant, HubQueues queues)
    {
        if (built.Role[head] == NodeRole.Share) { shareOfWant[want] = built.ShareOfNode[head]; return; }
        int at = queues.Fill[head]++;
        if (at >= queues.Start[head + 1]) throw new InvalidOperationException("flow decomposition lost a unit at a hub");
        queues.Wants[at] = want;
    }

    /// <summary>
    /// The wants waiting at each hub, in arrival order: hub v's are Wants[Start[v] .. Fill[v]). A hub receives exactly
    /// the units its out-arcs carry (flow conservation), so every slice is sized before the first want arrives and the
    /// whole decomposition uses three arrays instead of a list per hub.
    /// </summary>
    private sealed class HubQueues
    {
        public int[] Start { get; }
        public int[] Fill { get; }
        public int[] Wants { get; }

        public HubQueues(MatchingNetwork built, int[] flow)
        {
            int nodes = built.Network.NodeCount;
            Start = new int[nodes + 1];
            for (int v = 0; v < nodes; v++)
            {
                int units = 0;
                if (built.Role[v] is NodeRole.LearnerClass or NodeRole.TeacherClass)
                    for (int a = built.OutArcStart[v]; a < built.OutArcEnd[v]; a++) units += flow[a];
                Start[v + 1] = Start[v] + units;
            }
            Fill = Start[..nodes];
            Wants = new int[Start[nodes]];
        }
    }

    /// <summary>
    /// Packs each share's learners (shares [from, to)) into sessions: as many one-to-one as the teacher's sessions
    /// allow, the rest in groups. Orders each share's learners so that every session is a run of them and sets
    /// <paramref name="sessionSizes"/>[share] to the runs' lengths; returns the shares with no allowed packing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once with long loops: skip the tiers and on-stack replacement
    private static List<UnpackedShare> PackShares(CompiledInstance instance, List<int>?[] assignedPerShare, int[] score,
        List<int>?[] sessionSizes, int from, int to)
    {
        var unpacked = new List<UnpackedShare>();
        for (int s = from; s < to; s++)
        {
            var list = assignedPerShare[s];
            if (list is null) continue;
            list.Sort((a, b) =>
            {
                int c = instance.WantPriority[b].CompareTo(instance.WantPriority[a]);
                if (c != 0) return c;
                c = score[b].CompareTo(score[a]);
                return c != 0 ? c : a.CompareTo(b);
            });
            if (Packs(instance, s, list, out var sizes)) sessionSizes[s] = sizes;
            else unpacked.Add(new UnpackedShare(s, [.. list])); // no allowed packing: the caller cuts this share
        }
        return unpacked;
    }

    /// <summary>
    /// Whether the share's sessions can hold these learners in allowed groups: the even split first, else a search. On
    /// success <paramref name="wants"/> is ordered so that each session is a run of it, and <paramref name="sizes"/> are the runs' lengths.
    /// </summary>
    internal static bool Packs(CompiledInstance instance, int share, List<int> wants, out List<int> sizes)
    {
        int n = wants.Count;
        int sessionCount = instance.ShareSessions[share];
        int groupSize = instance.ShareGroupSize[share];
        int solo = n <= sessionCount ? n : MaxOneToOne(n, sessionCount, groupSize);
        sizes = new List<int>(solo + 1); // sizes of consecutive sessions over the (possibly reordered) list
        for (int i = 0; i < solo; i++) sizes.Add(1);
        int rest = n - solo;
        if (rest > 0)
        {
            int groupCount = (rest + groupSize - 1) / groupSize;
            for (int g = 0; g < groupCount; g++) sizes.Add(rest / groupCount + (g < rest % groupCount ? 1 : 0));
        }
        return GroupsAllowed(instance, share, wants, sizes) || GroupPacking.Pack(instance, share, wants, sessionCount, groupSize, sizes);
    }

    /// <summary>The sessions of shares [from, to), with their reasons, from the packing <see cref="PackShares"/> found.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once with long loops: skip the tiers and on-stack replacement
    private static List<PlannedSession> MakeSessions(CompiledInstance instance, List<int>?[] assignedPerShare, List<int>?[] sessionSizes,
        int[] score, ReasonTexts texts, int from, int to)
    {
        var sessions = new List<PlannedSession>();
        for (int s = from; s < to; s++)
        {
            if (sessionSizes[s] is not { } sizes) continue;
            var list = assignedPerShare[s]!;
            int index = 0;
            foreach (int size in sizes)
            {
                sessions.Add(MakeSession(instance, s, list, index, size, size == 1 ? SessionKind.OneToOne : SessionKind.Group, score, texts));
                index += size;
            }
        }
        return sessions;
    }

    /// <summary>Every group of consecutive learners (sizes <paramref name="parts"/>) is pairwise allowed and, in hard availability mode, has a common hour with the teacher.</summary>
    private static bool GroupsAllowed(CompiledInstance instance, int share, List<int> wants, List<int> parts)
    {
        int index = 0;
        Span<int> members = stackalloc int[101];
        foreach (int size in parts)
        {
            if (size > 1)
            {
                members[0] = instance.ShareTeacher[share];
                for (int i = 0; i < size; i++) members[i + 1] = instance.WantLearner[wants[index + i]];
                if (!GroupPacking.Allowed(instance, members[..(size + 1)])) return false;
            }
            index += size;
        }
        return true;
    }

    /// <summary>Largest one-to-one count o with o + ceil((n − o) / groupSize) ≤ sessions; the flow guarantees n ≤ sessions × groupSize.</summary>
    internal static int MaxOneToOne(int learners, int sessions, int groupSize)
    {
        for (int solo = Math.Min(learners, sessions); solo >= 0; solo--)
        {
            int groupsNeeded = (learners - solo + groupSize - 1) / groupSize;
            if (solo + groupsNeeded <= sessions) return solo;
        }
        throw new InvalidOperationException("share over capacity");
    }

    private static PlannedSession MakeSession(CompiledInstance instance, int share, List<int> wants, int first, int count, SessionKind kind, int[] score, ReasonTexts texts)
    {
        var learners = new List<PlannedAssignment>(count);
        for (int i = first; i < first + count; i++)
        {
            int w = wants[i];
            learners.Add(new PlannedAssignment
            {
                LearnerId = instance.PersonIds[instance.WantLearner[w]],
                Priority = instance.WantPriority[w],
                PairScore = score[w],
                Reasons = Reasons(instance, w, share, kind, count, texts),
            });
        }
        Span<int> members = stackalloc int[count + 1];
        members[0] = instance.ShareTeacher[share];
        for (int i = 0; i < count; i++) members[i + 1] = instance.WantLearner[wants[first + i]];
        return new PlannedSession
        {
            CommonHours = instance.CommonHours(members),
            TeacherId = instance.PersonIds[instance.ShareTeacher[share]],
            SkillId = instance.SkillIds[instance.ShareSkill[share]],
            Kind = kind,
            DurationMinutes = kind == SessionKind.OneToOne ? OneToOneMinutes : GroupMinutes,
            Learners = learners,
        };
    }

    private static List<string> Reasons(CompiledInstance instance, int want, int share, SessionKind kind, int groupSize, ReasonTexts texts)
    {
        int l = instance.WantLearner[want];
        int t = instance.ShareTeacher[share];
        var reasons = new List<string>(7)
        {
            texts.Departments(instance.PersonDepartment[l], instance.PersonDepartment[t]),
            texts.LevelGap(Math.Abs(instance.Authority[l] - instance.Authority[t])),
            instance.WantPriority[want] switch
            {
                Priority.High => "high priority",
                Priority.Medium => "medium priority",
                _ => "low priority",
            },
        };
        if (instance.WantPreferred[want] == t) reasons.Add("preferred teacher");
        reasons.Add(texts.TeacherLevel(instance.ShareLevel[share]));
        if (!instance.HardLastPairs && instance.IsLastPair(l, t)) reasons.Add("repeats last cycle's pair (penalised)");
        if (kind == SessionKind.Group) reasons.Add(texts.Group(groupSize));
        return reasons;
    }
}

/// <summary>
/// The reason sentences of one part of a plan, each distinct text built once: a plan repeats a few dozen texts
/// hundreds of thousands of times, and formatting each again was most of the time spent on explanations.
/// </summary>
internal sealed class ReasonTexts(CompiledInstance instance)
{
    private readonly Dictionary<long, string> departments = [];
    private readonly Dictionary<int, string> groups = [];
    private readonly string?[] levelGaps = new string?[10];
    private readonly string?[] teacherLevels = new string?[6];

    public string Departments(int from, int to)
    {
        long key = ((long)from << 32) | (uint)to;
        if (departments.TryGetValue(key, out string? text)) return text;
        string fromName = instance.DepartmentNames[from], toName = instance.DepartmentNames[to];
        text = from == to ? $"same department: {fromName}" : $"crosses departments: {fromName} → {toName}";
        departments.Add(key, text);
        return text;
    }

    public string LevelGap(int gap) =>
        levelGaps[gap] ??= string.Create(CultureInfo.InvariantCulture, $"level gap {gap}{(gap <= 1 ? " (peers)" : "")}");

    public string TeacherLevel(int level) =>
        teacherLevels[level] ??= string.Create(CultureInfo.InvariantCulture, $"teacher level {level}");

    public string Group(int size)
    {
        if (groups.TryGetValue(size, out string? text)) return text;
        text = string.Create(CultureInfo.InvariantCulture, $"group of {size}: more learners were matched with this teacher than one-to-one sessions allow");
        groups.Add(size, text);
        return text;
    }
}
