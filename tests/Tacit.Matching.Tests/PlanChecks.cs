using Tacit.Matching;

namespace Tacit.Matching.Tests;

/// <summary>
/// An independent reading of the rules (written from the issue text, sharing no code with the engine): hard-rule
/// checks of a plan, the plan's lexicographic value, and a brute-force optimum for tiny instances.
/// </summary>
internal static class PlanChecks
{
    public readonly record struct Value(int Served, long PriorityWeight, long NetScore) : IComparable<Value>
    {
        public int CompareTo(Value other)
        {
            int c = Served.CompareTo(other.Served);
            if (c != 0) return c;
            c = PriorityWeight.CompareTo(other.PriorityWeight);
            return c != 0 ? c : NetScore.CompareTo(other.NetScore);
        }
    }

    private sealed class Org
    {
        public required InstanceDocument Doc { get; init; }
        public required Dictionary<string, PersonRecord> People { get; init; }
        public required Dictionary<(string, string), ShareRecord> Shares { get; init; }
        public required Dictionary<(string, string), WantRecord> Wants { get; init; }
        public required HashSet<(string, string)> LastPairs { get; init; }

        public bool Above(string ancestor, string person)
        {
            for (string? m = People[person].ManagerId; m is not null; m = People[m].ManagerId)
                if (m == ancestor) return true;
            return false;
        }

        public bool Forbidden(string learner, string teacher)
        {
            if (learner == teacher) return true;
            if (People[learner].ManagerId == teacher || People[teacher].ManagerId == learner) return true;
            if (Doc.Settings.ExcludeWholeReportingChain && (Above(teacher, learner) || Above(learner, teacher))) return true;
            if (Doc.Settings.MaxAuthorityGap is { } gap && Math.Abs(People[learner].AuthorityLevel - People[teacher].AuthorityLevel) > gap) return true;
            if (Doc.Settings.Availability == AvailabilityRule.Hard && CommonHours([learner, teacher]) is { Count: 0 }) return true;
            return Doc.Settings.LastCyclePairs == LastCyclePairsRule.Hard && LastPairs.Contains((learner, teacher));
        }

        /// <summary>Hours every one of them gave (someone who gave none is free at any hour); null when nobody gave any.</summary>
        public List<int>? CommonHours(IEnumerable<string> persons)
        {
            List<int>? common = null;
            foreach (string p in persons)
            {
                var hours = People[p].Availability;
                if (hours is null || hours.Length == 0) continue;
                common = common is null ? [.. hours.Order()] : [.. common.Where(hours.Contains)];
            }
            return common;
        }

        /// <summary>Learners who may sit in one group: no manager and report (anyone in the chain with the whole-chain rule), and a common hour in hard mode.</summary>
        public bool GroupAllowed(string teacher, List<string> learners)
        {
            for (int i = 0; i < learners.Count; i++)
                for (int j = i + 1; j < learners.Count; j++)
                {
                    string a = learners[i], b = learners[j];
                    if (People[a].ManagerId == b || People[b].ManagerId == a) return false;
                    if (Doc.Settings.ExcludeWholeReportingChain && (Above(a, b) || Above(b, a))) return false;
                }
            return Doc.Settings.Availability == AvailabilityRule.Soft || CommonHours([teacher, .. learners]) is not { Count: 0 };
        }

        /// <summary>Sessions a share may give: its own, at most the teacher's cap across skills.</summary>
        public int Sessions(ShareRecord share) =>
            People[share.TeacherId!].MaxTeacherSessions is { } cap ? Math.Min(cap, share.Sessions) : share.Sessions;

        /// <summary>A capped teacher with two or more shares offering sessions takes at most cap learners across them (docs/matching.md); null otherwise.</summary>
        public int? LearnerCap(string teacher) =>
            People[teacher].MaxTeacherSessions is { } cap && Doc.Shares.Count(s => s.TeacherId == teacher && Sessions(s) > 0) >= 2 ? cap : null;

        public int PriorityWeight(Priority p)
        {
            var w = Doc.Settings.Weights;
            return p switch { Priority.High => w.HighPriority, Priority.Medium => w.MediumPriority, _ => w.LowPriority };
        }

        public int Score(WantRecord want, ShareRecord share)
        {
            var w = Doc.Settings.Weights;
            var l = People[want.LearnerId!];
            var t = People[share.TeacherId!];
            int score = (l.Department != t.Department ? w.CrossDepartment : 0)
                + w.PeerCloseness * (9 - Math.Abs(l.AuthorityLevel - t.AuthorityLevel))
                + w.TeacherLevel * share.Level;
            if (want.PreferredTeacherId == share.TeacherId) score += w.PreferredTeacher;
            if (Doc.Settings.LastCyclePairs == LastCyclePairsRule.Soft && LastPairs.Contains((l.Id!, t.Id!))) score -= w.RepeatPairPenalty;
            if (Doc.Settings.Availability == AvailabilityRule.Soft && CommonHours([l.Id!, t.Id!]) is { Count: 0 }) score -= w.NoCommonHourPenalty;
            return score;
        }

        public int LearnerCapacity(ShareRecord share) => Sessions(share) * (share.AcceptsGroups ? share.MaxGroupSize : 1);

        /// <summary>The learners can be split into at most the share's sessions, groups of at most its size, every group allowed (exhaustive; tiny shares only).</summary>
        public bool Packable(ShareRecord share, List<string> learners)
        {
            int sessions = Sessions(share), size = share.AcceptsGroups ? share.MaxGroupSize : 1;
            var groups = new List<List<string>>();
            bool Place(int i)
            {
                if (i == learners.Count) return groups.All(g => g.Count == 1 || GroupAllowed(share.TeacherId!, g));
                for (int k = 0, open = groups.Count; k < open; k++)
                {
                    var g = groups[k];
                    if (g.Count >= size) continue;
                    g.Add(learners[i]);
                    if (Place(i + 1)) return true;
                    g.RemoveAt(g.Count - 1);
                }
                if (groups.Count >= sessions) return false;
                groups.Add([learners[i]]);
                if (Place(i + 1)) return true;
                groups.RemoveAt(groups.Count - 1);
                return false;
            }
            return Place(0);
        }
    }

    private static Org Load(InstanceDocument doc) => new()
    {
        Doc = doc,
        People = doc.People.ToDictionary(p => p.Id!, StringComparer.Ordinal),
        Shares = doc.Shares.ToDictionary(s => (s.TeacherId!, s.SkillId!)),
        Wants = doc.Wants.ToDictionary(w => (w.LearnerId!, w.SkillId!)),
        LastPairs = [.. doc.LastCyclePairs.Select(p => (p.LearnerId!, p.TeacherId!))],
    };

    /// <summary>Asserts every hard rule and returns the plan's lexicographic value recomputed from its sessions.</summary>
    public static Value CheckHardRules(InstanceDocument doc, MatchPlan plan)
    {
        var org = Load(doc);
        var sessionsPerShare = new Dictionary<(string, string), int>();
        var learnersPerShare = new Dictionary<(string, string), int>();
        var sessionsPerLearner = new Dictionary<string, int>(StringComparer.Ordinal);
        var metWants = new HashSet<(string, string)>();
        var teacherSessions = new Dictionary<string, int>(StringComparer.Ordinal);
        var teacherLearners = new Dictionary<string, int>(StringComparer.Ordinal);
        long priority = 0, score = 0;
        foreach (var session in plan.Sessions)
        {
            var key = (session.TeacherId, session.SkillId);
            Assert.True(org.Shares.TryGetValue(key, out var share), $"session uses a share that does not exist: {key}");
            sessionsPerShare[key] = sessionsPerShare.GetValueOrDefault(key) + 1;
            learnersPerShare[key] = learnersPerShare.GetValueOrDefault(key) + session.Learners.Count;
            Assert.NotEmpty(session.Learners);
            if (session.Kind == SessionKind.OneToOne)
            {
                Assert.Single(session.Learners);
                Assert.Equal(30, session.DurationMinutes);
            }
            else
            {
                Assert.True(share!.AcceptsGroups, $"group session for a share that does not accept groups: {key}");
                Assert.InRange(session.Learners.Count, 2, share.MaxGroupSize);
                Assert.Equal(60, session.DurationMinutes);
            }
            var members = session.Learners.Select(l => l.LearnerId).ToList();
            if (members.Count > 1) Assert.True(org.GroupAllowed(session.TeacherId, members), $"group not allowed: {session.TeacherId} with {string.Join(", ", members)}");
            var common = org.CommonHours([session.TeacherId, .. members]);
            Assert.Equal(common, session.CommonHours?.ToList());
            teacherSessions[session.TeacherId] = teacherSessions.GetValueOrDefault(session.TeacherId) + 1;
            teacherLearners[session.TeacherId] = teacherLearners.GetValueOrDefault(session.TeacherId) + members.Count;
            foreach (var learner in session.Learners)
            {
                Assert.False(org.Forbidden(learner.LearnerId, session.TeacherId), $"forbidden pair {learner.LearnerId} ← {session.TeacherId}");
                Assert.True(org.Wants.TryGetValue((learner.LearnerId, session.SkillId), out var want), $"{learner.LearnerId} does not want {session.SkillId}");
                Assert.True(metWants.Add((learner.LearnerId, session.SkillId)), $"want met twice: {learner.LearnerId} {session.SkillId}");
                sessionsPerLearner[learner.LearnerId] = sessionsPerLearner.GetValueOrDefault(learner.LearnerId) + 1;
                int pairScore = org.Score(want!, share!);
                Assert.Equal(pairScore, learner.PairScore);
                Assert.NotEmpty(learner.Reasons);
                priority += org.PriorityWeight(want!.Priority);
                score += pairScore;
            }
        }
        foreach (var (key, count) in sessionsPerShare)
            Assert.True(count <= org.Shares[key].Sessions, $"share {key} gives {count} sessions, offers {org.Shares[key].Sessions}");
        foreach (var (teacher, count) in teacherSessions)
        {
            if (org.People[teacher].MaxTeacherSessions is { } cap) Assert.True(count <= cap, $"{teacher} teaches {count} sessions, cap {cap}");
            if (org.LearnerCap(teacher) is { } learnerCap) Assert.True(teacherLearners[teacher] <= learnerCap, $"{teacher} teaches {teacherLearners[teacher]} learners over several shares, cap {learnerCap}");
        }
        foreach (var (learner, count) in sessionsPerLearner)
            Assert.True(count <= org.People[learner].MaxLearnerSessions, $"{learner} gets {count} sessions, limit {org.People[learner].MaxLearnerSessions}");
        long overflow = 0;
        foreach (var (key, learners) in learnersPerShare)
        {
            // One-to-one is preferred whenever capacity allows: a share runs groups only when its learners exceed its sessions.
            int groups = plan.Sessions.Count(s => (s.TeacherId, s.SkillId) == key && s.Kind == SessionKind.Group);
            if (learners <= org.Sessions(org.Shares[key])) Assert.Equal(0, groups);
            overflow += Math.Max(0, learners - org.Sessions(org.Shares[key]));
        }
        var unmet = plan.UnmetWants.Select(u => (u.LearnerId, u.SkillId)).ToList();
        Assert.Equal(unmet.Count, unmet.Distinct().Count());
        Assert.Empty(unmet.Intersect(metWants));
        Assert.Equal(doc.Wants.Count, metWants.Count + unmet.Count);
        foreach (var u in plan.UnmetWants) Assert.False(string.IsNullOrWhiteSpace(u.Reason));

        var value = new Value(sessionsPerLearner.Count, priority, score - overflow * doc.Settings.Weights.GroupPenalty);
        Assert.Equal(value.Served, plan.Summary.LearnersServed);
        Assert.Equal(value.PriorityWeight, plan.Summary.PriorityWeightMet);
        Assert.Equal(value.NetScore, plan.Summary.PairScoreTotal - plan.Summary.GroupPenaltyTotal);
        return value;
    }

    /// <summary>The lexicographic optimum by exhaustive search over every want's choice (unmet or any allowed share).</summary>
    /// <param name="packed">When true, a choice counts only if every share's learners can be packed into allowed groups (the rule itself); when false, the capacity relaxation.</param>
    public static Value BruteForce(InstanceDocument doc, bool packed = false)
    {
        var org = Load(doc);
        var wants = doc.Wants.Where(w => org.People[w.LearnerId!].MaxLearnerSessions > 0).ToList();
        var options = wants.Select(w => doc.Shares
            .Where(s => s.SkillId == w.SkillId && org.Sessions(s) > 0 && !org.Forbidden(w.LearnerId!, s.TeacherId!))
            .ToList()).ToList();
        var learnerCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var shareCount = new Dictionary<ShareRecord, int>();
        var teacherCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var chosen = new ShareRecord?[wants.Count];
        Value best = new(0, 0, 0);
        long priority = 0, score = 0;

        void Search(int i)
        {
            if (i == wants.Count)
            {
                if (packed)
                {
                    foreach (var share in shareCount.Keys)
                    {
                        var learners = wants.Where((_, j) => chosen[j] == share).Select(w => w.LearnerId!).ToList();
                        if (learners.Count > 0 && !org.Packable(share, learners)) return;
                    }
                }
                long overflow = shareCount.Sum(kv => Math.Max(0, kv.Value - org.Sessions(kv.Key)));
                var value = new Value(learnerCount.Count(kv => kv.Value > 0), priority, score - overflow * doc.Settings.Weights.GroupPenalty);
                if (value.CompareTo(best) > 0) best = value;
                return;
            }
            Search(i + 1);
            var want = wants[i];
            string learner = want.LearnerId!;
            if (learnerCount.GetValueOrDefault(learner) >= org.People[learner].MaxLearnerSessions) return;
            foreach (var share in options[i])
            {
                if (shareCount.GetValueOrDefault(share) >= org.LearnerCapacity(share)) continue;
                if (org.LearnerCap(share.TeacherId!) is { } cap && teacherCount.GetValueOrDefault(share.TeacherId!) >= cap) continue;
                learnerCount[learner] = learnerCount.GetValueOrDefault(learner) + 1;
                shareCount[share] = shareCount.GetValueOrDefault(share) + 1;
                teacherCount[share.TeacherId!] = teacherCount.GetValueOrDefault(share.TeacherId!) + 1;
                chosen[i] = share;
                priority += org.PriorityWeight(want.Priority);
                int s = org.Score(want, share);
                score += s;
                Search(i + 1);
                score -= s;
                priority -= org.PriorityWeight(want.Priority);
                chosen[i] = null;
                teacherCount[share.TeacherId!]--;
                shareCount[share]--;
                learnerCount[learner]--;
            }
        }

        Search(0);
        return best;
    }
}
