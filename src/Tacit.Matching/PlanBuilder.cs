using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tacit.Matching;

/// <summary>Turns the optimal flow into sessions with reasons, unmet wants with reasons, and summary figures.</summary>
internal static class PlanBuilder
{
    public const int OneToOneMinutes = 30;
    public const int GroupMinutes = 60;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once with long loops: skip the tiers and on-stack replacement
    public static MatchPlan Build(CompiledInstance instance, MatchingNetwork built, int[] flow)
    {
        var network = built.Network;
        var heads = network.Heads.ToArray();
        var costs = network.Costs;

        Int128 objective = 0;
        for (int a = 0; a < network.ArcCount; a++)
        {
            int f = flow[a];
            if (f != 0) objective += (Int128)f * costs[a];
        }

        // Decompose the flow into want → share assignments. Hub nodes pass wants on in arrival order, so the
        // decomposition is deterministic; any decomposition has the same cost because every want reaching a hub
        // may use every share below it (wants with exclusions never enter a hub above an excluded share).
        var shareOfWant = new int[instance.WantCount];
        Array.Fill(shareOfWant, -1);
        var hubQueue = new List<int>?[network.NodeCount];
        void Route(int want, int arc)
        {
            int head = heads[arc];
            if (built.Role[head] == NodeRole.Share) shareOfWant[want] = built.ShareOfNode[head];
            else (hubQueue[head] ??= []).Add(want);
        }
        for (int w = 0; w < instance.WantCount; w++)
        {
            int wn = built.WantNode[w];
            if (wn < 0 || flow[built.WantArc[w]] == 0) continue;
            for (int a = built.OutArcStart[wn]; a < built.OutArcEnd[wn]; a++)
                if (flow[a] > 0) Route(w, a);
        }
        for (int v = 0; v < network.NodeCount; v++)
        {
            if (built.Role[v] is not (NodeRole.LearnerClass or NodeRole.TeacherClass)) continue;
            var queue = hubQueue[v];
            if (queue is null) continue;
            int next = 0;
            for (int a = built.OutArcStart[v]; a < built.OutArcEnd[v]; a++)
                for (int f = flow[a]; f > 0; f--) Route(queue[next++], a);
            if (next != queue.Count) throw new InvalidOperationException("flow decomposition lost a unit at a hub");
        }

        // Check the objective against its lexicographic components: this ties the exported network to the plan.
        var assignedPerShare = new List<int>?[instance.ShareCount];
        var sessionsOfLearner = new int[instance.PersonCount];
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
            scoreTotal += instance.PairScore(w, s);
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

        // Pack each share's learners into sessions: as many one-to-one as the teacher's sessions allow, the rest in groups.
        var sessions = new List<PlannedSession>();
        int oneToOne = 0, groups = 0, inGroups = 0;
        for (int s = 0; s < instance.ShareCount; s++)
        {
            var list = assignedPerShare[s];
            if (list is null) continue;
            list.Sort((a, b) =>
            {
                int c = instance.WantPriority[b].CompareTo(instance.WantPriority[a]);
                if (c != 0) return c;
                c = instance.PairScore(b, s).CompareTo(instance.PairScore(a, s));
                return c != 0 ? c : a.CompareTo(b);
            });
            int n = list.Count;
            int sessionCount = instance.ShareSessions[s];
            int groupSize = instance.ShareGroupSize[s];
            int solo = n <= sessionCount ? n : MaxOneToOne(n, sessionCount, groupSize);
            for (int i = 0; i < solo; i++)
                sessions.Add(MakeSession(instance, s, [list[i]], SessionKind.OneToOne));
            oneToOne += solo;
            int rest = n - solo;
            if (rest > 0)
            {
                int groupCount = (rest + groupSize - 1) / groupSize;
                int index = solo;
                for (int g = 0; g < groupCount; g++)
                {
                    int size = rest / groupCount + (g < rest % groupCount ? 1 : 0);
                    sessions.Add(MakeSession(instance, s, list.GetRange(index, size), SessionKind.Group));
                    index += size;
                }
                groups += groupCount;
                inGroups += rest;
            }
        }

        var unmet = new List<UnmetWant>();
        var spareShares = new List<int>[instance.SkillCount];
        for (int k = 0; k < instance.SkillCount; k++)
        {
            spareShares[k] = [];
            foreach (int s in built.SkillShares[k])
                if ((assignedPerShare[s]?.Count ?? 0) < instance.ShareLearnerCapacity(s)) spareShares[k].Add(s);
        }
        for (int w = 0; w < instance.WantCount; w++)
        {
            if (shareOfWant[w] >= 0) continue;
            unmet.Add(ExplainUnmet(instance, built, w, sessionsOfLearner, spareShares));
        }

        return new MatchPlan
        {
            Objective = objective,
            Summary = new PlanSummary
            {
                People = instance.PersonCount,
                LearnersWithWants = learnersWithWants,
                LearnersServed = served,
                RelaxationLearnersServedUpperBound = served,
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

    private static PlannedSession MakeSession(CompiledInstance instance, int share, List<int> wants, SessionKind kind) => new()
    {
        TeacherId = instance.PersonIds[instance.ShareTeacher[share]],
        SkillId = instance.SkillIds[instance.ShareSkill[share]],
        Kind = kind,
        DurationMinutes = kind == SessionKind.OneToOne ? OneToOneMinutes : GroupMinutes,
        Learners = [.. wants.Select(w => new PlannedAssignment
        {
            LearnerId = instance.PersonIds[instance.WantLearner[w]],
            Priority = instance.WantPriority[w],
            PairScore = instance.PairScore(w, share),
            Reasons = Reasons(instance, w, share, kind, wants.Count),
        })],
    };

    private static List<string> Reasons(CompiledInstance instance, int want, int share, SessionKind kind, int groupSize)
    {
        int l = instance.WantLearner[want];
        int t = instance.ShareTeacher[share];
        var reasons = new List<string>();
        string from = instance.DepartmentNames[instance.PersonDepartment[l]];
        string to = instance.DepartmentNames[instance.PersonDepartment[t]];
        reasons.Add(from == to ? $"same department: {from}" : $"crosses departments: {from} → {to}");
        int gap = Math.Abs(instance.Authority[l] - instance.Authority[t]);
        reasons.Add(string.Create(CultureInfo.InvariantCulture, $"level gap {gap}{(gap <= 1 ? " (peers)" : "")}"));
        reasons.Add(instance.WantPriority[want] switch
        {
            Priority.High => "high priority",
            Priority.Medium => "medium priority",
            _ => "low priority",
        });
        if (instance.WantPreferred[want] == t) reasons.Add("preferred teacher");
        reasons.Add(string.Create(CultureInfo.InvariantCulture, $"teacher level {instance.ShareLevel[share]}"));
        if (!instance.HardLastPairs && instance.IsLastPair(l, t)) reasons.Add("repeats last cycle's pair (penalised)");
        if (kind == SessionKind.Group)
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"group of {groupSize}: more learners chose this teacher than one-to-one sessions allow"));
        return reasons;
    }

    private static UnmetWant ExplainUnmet(CompiledInstance instance, MatchingNetwork built, int want, int[] sessionsOfLearner, List<int>[] spareShares)
    {
        int l = instance.WantLearner[want];
        int k = instance.WantSkill[want];
        int sharers = built.SkillShares[k].Length;
        UnmetReason code;
        string text;
        if (instance.MaxSessions[l] == 0)
        {
            code = UnmetReason.LearnerAtSessionLimit;
            text = "learner at their session limit (maxLearnerSessions is 0)";
        }
        else if (sharers == 0)
        {
            code = UnmetReason.NoSharers;
            text = "nobody shares this skill this cycle";
        }
        else if (built.ForbiddenShareCount[want] == sharers)
        {
            code = UnmetReason.OnlyExcludedSharers;
            var relations = built.SkillShares[k]
                .Select(s => instance.ShareTeacher[s])
                .Select(t => (Teacher: t, Relation: RelationName(instance.Excluded(l, t))))
                .GroupBy(x => x.Relation, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({string.Join(", ", g.Take(3).Select(x => instance.PersonIds[x.Teacher]))}{(g.Count() > 3 ? ", …" : "")})");
            text = "the only sharers are " + string.Join(", ", relations);
        }
        else if (sessionsOfLearner[l] >= instance.MaxSessions[l])
        {
            code = UnmetReason.LearnerAtSessionLimit;
            text = string.Create(CultureInfo.InvariantCulture, $"learner at their session limit ({sessionsOfLearner[l]} of {instance.MaxSessions[l]} sessions planned for wants that rank higher)");
        }
        else
        {
            foreach (int s in spareShares[k])
            {
                // An allowed share with room and a learner below their limit is an improving path: the flow was not optimal.
                if (instance.Excluded(l, instance.ShareTeacher[s]) == Exclusion.None)
                    throw new InvalidOperationException($"optimality violated: want {want} could use share {s}");
            }
            code = UnmetReason.SharersAtCapacity;
            text = string.Create(CultureInfo.InvariantCulture, $"everyone who shares it and may teach you is at capacity ({sharers - built.ForbiddenShareCount[want]} sharers)");
        }
        return new UnmetWant
        {
            LearnerId = instance.PersonIds[l],
            SkillId = instance.SkillIds[k],
            Priority = instance.WantPriority[want],
            ReasonCode = code,
            Reason = text,
        };
    }

    private static string RelationName(Exclusion exclusion) => exclusion switch
    {
        Exclusion.Self => "yourself",
        Exclusion.Manager => "your manager",
        Exclusion.DirectReport => "your report",
        Exclusion.AboveInChain => "above you in your reporting chain",
        Exclusion.BelowInChain => "below you in your reporting chain",
        Exclusion.LastCycleTeacher => "last cycle's teacher",
        Exclusion.Declined => "a teacher who declined you",
        _ => "allowed",
    };
}
