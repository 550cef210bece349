using System.Globalization;
using System.Text;
using Tacit.Matching;

namespace Tacit.Matching.Tests;

/// <summary>
/// An independent min-cost flow formulation of the matching rules, written from docs/matching.md and sharing no code with
/// the engine: one arc per allowed (want, share) pair (no classes, no range trees), the teacher cap across skills as a
/// node, and the engine's big-M constants taken from the plan's summary. Its glpsol optimum must equal the plan's objective.
/// </summary>
internal static class DenseNetwork
{
    public static string Dimacs(InstanceDocument doc, long firstSessionBonus, long priorityMultiplier)
    {
        var settings = doc.Settings;
        var w = settings.Weights;
        var people = doc.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var last = doc.LastCyclePairs.Select(p => (p.LearnerId, p.TeacherId)).ToHashSet();

        bool Above(string ancestor, string person)
        {
            for (string? m = people[person].ManagerId; m is not null; m = people[m].ManagerId)
                if (m == ancestor) return true;
            return false;
        }
        bool Meet(string a, string b)
        {
            int[]? x = people[a].Availability, y = people[b].Availability;
            return x is null || x.Length == 0 || y is null || y.Length == 0 || x.Intersect(y).Any();
        }
        bool Allowed(string l, string t)
        {
            if (l == t || people[l].ManagerId == t || people[t].ManagerId == l) return false;
            if (settings.ExcludeWholeReportingChain && (Above(l, t) || Above(t, l))) return false;
            if (settings.MaxAuthorityGap is { } gap && Math.Abs(people[l].AuthorityLevel - people[t].AuthorityLevel) > gap) return false;
            if (settings.Availability == AvailabilityRule.Hard && !Meet(l, t)) return false;
            return !(settings.LastCyclePairs == LastCyclePairsRule.Hard && last.Contains((l, t)));
        }
        int Score(WantRecord want, ShareRecord share)
        {
            var l = people[want.LearnerId];
            var t = people[share.TeacherId];
            int score = (l.Department != t.Department ? w.CrossDepartment : 0) + w.PeerCloseness * (9 - Math.Abs(l.AuthorityLevel - t.AuthorityLevel))
                + w.TeacherLevel * share.Level + (want.PreferredTeacherId == t.Id ? w.PreferredTeacher : 0);
            if (settings.LastCyclePairs == LastCyclePairsRule.Soft && last.Contains((l.Id, t.Id))) score -= w.RepeatPairPenalty;
            if (settings.Availability == AvailabilityRule.Soft && !Meet(l.Id, t.Id)) score -= w.NoCommonHourPenalty;
            return score;
        }
        int Sessions(ShareRecord s) => people[s.TeacherId].MaxTeacherSessions is { } cap ? Math.Min(cap, s.Sessions) : s.Sessions;
        int Priority(Priority p) => p switch { Tacit.Matching.Priority.High => w.HighPriority, Tacit.Matching.Priority.Medium => w.MediumPriority, _ => w.LowPriority };

        int nodes = 0;
        var arcs = new List<(int Tail, int Head, long Cap, long Cost)>();
        var supply = new Dictionary<int, long>();
        int sink = ++nodes;
        var shareNode = new Dictionary<ShareRecord, int>();
        var teacherNode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var share in doc.Shares)
        {
            if (Sessions(share) <= 0) continue;
            int z = shareNode[share] = ++nodes;
            string teacher = share.TeacherId;
            int head = sink;
            // A capped teacher with two or more shares offering sessions: all their learners pass a node of capacity cap.
            if (people[teacher].MaxTeacherSessions is { } cap && doc.Shares.Count(s => s.TeacherId == teacher && Sessions(s) > 0) >= 2)
            {
                if (!teacherNode.TryGetValue(teacher, out head))
                {
                    head = teacherNode[teacher] = ++nodes;
                    arcs.Add((head, sink, cap, 0));
                }
            }
            int groupSize = share.AcceptsGroups ? share.MaxGroupSize : 1;
            arcs.Add((z, head, Sessions(share), 0));
            if (groupSize > 1) arcs.Add((z, head, (long)Sessions(share) * (groupSize - 1), w.GroupPenalty));
        }
        foreach (var person in doc.People)
        {
            var wants = doc.Wants.Where(x => x.LearnerId == person.Id).ToList();
            int capacity = Math.Min(person.MaxLearnerSessions, wants.Count);
            if (capacity <= 0) continue;
            int learner = ++nodes, sessions = ++nodes;
            supply[learner] = capacity;
            supply[sink] = supply.GetValueOrDefault(sink) - capacity;
            arcs.Add((learner, sink, capacity, 0));
            arcs.Add((learner, sessions, 1, -firstSessionBonus));
            if (capacity > 1) arcs.Add((learner, sessions, capacity - 1, 0));
            foreach (var want in wants)
            {
                int wn = ++nodes;
                arcs.Add((sessions, wn, 1, -priorityMultiplier * Priority(want.Priority)));
                foreach (var share in doc.Shares)
                    if (share.SkillId == want.SkillId && shareNode.TryGetValue(share, out int z) && Allowed(person.Id, share.TeacherId))
                        arcs.Add((wn, z, 1, -Score(want, share)));
            }
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"p min {nodes} {arcs.Count}\n");
        foreach (var (node, amount) in supply) if (amount != 0) text.Append(CultureInfo.InvariantCulture, $"n {node} {amount}\n");
        foreach (var (tail, head, cap, cost) in arcs) text.Append(CultureInfo.InvariantCulture, $"a {tail} {head} 0 {cap} {cost}\n");
        return text.ToString();
    }
}
