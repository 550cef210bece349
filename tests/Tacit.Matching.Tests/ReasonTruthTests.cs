using CsCheck;
using Tacit.Matching;
using static Tacit.Matching.Tests.TestInstances;

namespace Tacit.Matching.Tests;

/// <summary>
/// Every reason given for an unmet want is true of the instance and the plan. The facts are checked here against an
/// independent reading of the rules (written on the instance's records, sharing no code with the engine) and against the
/// plan's sessions, pins and kept assignments: which constraint bound, which wants took the learner's sessions, which rule
/// rules out each sharer, and that every allowed sharer said to be booked has no room.
/// </summary>
public sealed class ReasonTruthTests
{
    [Fact]
    public void A_high_want_lost_to_another_learners_first_session_says_where_the_session_went()
    {
        // me wants excel (high) and sql (low) with one session. The only excel teacher's session goes to bo, whose only
        // want it is (a first session outranks priority); so me's session goes to sql, and the reason says so.
        var instance = new InstanceDocument
        {
            People = [Person("me", maxSessions: 1), Person("bo", "Sales", maxSessions: 1), Person("excelTeacher", "Legal"), Person("sqlTeacher", "Legal")],
            Skills = Skills("excel", "sql"),
            Shares = [Share("excelTeacher", "excel"), Share("sqlTeacher", "sql")],
            Wants = [Want("me", "excel", Priority.High), Want("me", "sql", Priority.Low), Want("bo", "excel", Priority.Low)],
        };
        var unmet = Assert.Single(Matcher.Match(instance).Plan.UnmetWants);
        Assert.Equal(("me", "excel", UnmetReason.LearnerAtSessionLimit), (unmet.LearnerId, unmet.SkillId, unmet.ReasonCode));
        Assert.Equal([new HeldWant("sql", Priority.Low, Placement.Matched)], unmet.SessionsWentTo);
        Assert.True(unmet.SharersBooked);
        Assert.Equal("learner at their session limit: their 1 session went to sql (low); everyone who shares it and may teach the learner is at capacity too", unmet.Reason);
    }

    [Fact]
    public void After_a_decline_a_colleague_whose_sessions_are_taken_is_booked_not_missing()
    {
        // ada's excel teacher declines; the only other excel teacher's one session is held by cy, so nobody is free.
        var instance = new InstanceDocument
        {
            People = [Person("ada"), Person("cy", "Sales"), Person("first", "Legal", authority: 9), Person("second", "Legal")],
            Skills = Skills("excel"),
            Shares = [Share("first", "excel"), Share("second", "excel")],
            Wants = [Want("ada", "excel", Priority.High), Want("cy", "excel")],
        };
        var plan = Matcher.Match(instance).Plan;
        string teacher = plan.Sessions.Single(s => s.Learners[0].LearnerId == "ada").TeacherId;
        var result = Matcher.Rematch(instance, plan, [new AssignmentRef("ada", teacher, "excel")]);
        var unmet = Assert.Single(result.UnmetWants);
        Assert.Equal((UnmetReason.SharersAtCapacity, true), (unmet.ReasonCode, unmet.SharersBooked));

        // Had nobody else shared it, the decline is the rule that rules the only sharer out, without naming who declined.
        instance.Shares.RemoveAll(s => s.TeacherId != teacher);
        instance.Wants.RemoveAll(w => w.LearnerId == "cy");
        plan = Matcher.Match(instance).Plan;
        unmet = Assert.Single(Matcher.Rematch(instance, plan, [new AssignmentRef("ada", teacher, "excel")]).UnmetWants);
        Assert.Equal(UnmetReason.OnlyExcludedSharers, unmet.ReasonCode);
        Assert.Equal([Exclusion.Declined], unmet.ExcludedBy);
        Assert.DoesNotContain(teacher, unmet.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_on_random_organisations_with_pins_and_exclusions_are_true()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        Gen.ULong.Sample(seed =>
        {
            var instance = RandomTiny(seed);
            var (excluded, pins) = PinTests.RandomRules(instance, new Random((int)(seed % int.MaxValue)));
            var result = ConstrainedMatcher.Match(instance, excluded, pins);
            var plan = result.Result.Plan;
            var held = Placements(plan.Sessions, Placement.Matched);
            foreach (var pin in result.Honoured) held.Add((pin.LearnerId, pin.TeacherId, pin.SkillId, Placement.Pinned));
            var sessionsTaken = result.Honoured.GroupBy(p => (p.TeacherId, p.SkillId)).ToDictionary(g => g.Key, g => g.Count());
            Check(instance, excluded, [], plan.UnmetWants, held, plan.Sessions, sessionsTaken, instance.Wants.Count - held.Count, plan.Summary.GroupCompositionCuts > 0);
            foreach (var unmet in plan.UnmetWants) seen[Kind(unmet)] = true;
        }, iter: 1500);
        // The sample reaches every reason, so none of the checks above is vacuous.
        Assert.Superset(new HashSet<string> { "LearnerAtSessionLimit", "LearnerAtSessionLimit none", "NoSharers", "OnlyExcludedSharers", "SharersAtCapacity" },
            seen.Keys.ToHashSet());
    }

    [Fact]
    public void Reasons_on_generated_organisations_and_after_rematching_are_true()
    {
        var seen = new HashSet<string>();
        foreach (ulong seed in new ulong[] { 11, 12, 13, 14 })
        {
            var instance = InstanceGenerator.Generate(new GeneratorOptions(150, 25, seed)
            {
                WholeChain = seed % 2 == 0, LastCyclePairs = seed % 3 == 0 ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
            });
            // Tighter limits than the generator's make the session limit and full teachers bind often.
            foreach (var person in instance.People) person.MaxLearnerSessions = Math.Min(person.MaxLearnerSessions, (int)(seed % 3));
            var plan = Matcher.Match(instance).Plan;
            var placed = Placements(plan.Sessions, Placement.Matched);
            Check(instance, [], [], plan.UnmetWants, placed, plan.Sessions, [], instance.Wants.Count - placed.Count, plan.Summary.GroupCompositionCuts > 0);
            seen.UnionWith(plan.UnmetWants.Select(Kind));

            var all = plan.Sessions.SelectMany(s => s.Learners.Select(l => new AssignmentRef(l.LearnerId, s.TeacherId, s.SkillId))).ToList();
            var declined = all.Where((_, i) => i % 4 == 0).ToList();
            var random = new Random((int)seed);
            List<ExcludedPair> excluded = [.. Enumerable.Range(0, 30).Select(_ => new ExcludedPair(
                instance.People[random.Next(instance.People.Count)].Id, instance.People[random.Next(instance.People.Count)].Id))];
            var result = Matcher.Rematch(instance, plan, declined, excluded);

            // The kept plan: every session but the declined places (a session emptied by declines frees its slot).
            var kept = plan.Sessions.Select(s => new PlannedSession
            {
                TeacherId = s.TeacherId, SkillId = s.SkillId, Kind = s.Kind,
                Learners = [.. s.Learners.Where(l => !declined.Contains(new AssignmentRef(l.LearnerId, s.TeacherId, s.SkillId)))],
            }).Where(s => s.Learners.Count > 0).ToList();
            var held = Placements(kept, Placement.Kept).Concat(Placements(result.NewSessions, Placement.Matched)).ToList();
            var sessionsTaken = kept.GroupBy(s => (s.TeacherId, s.SkillId)).ToDictionary(g => g.Key, g => g.Count());
            var affected = declined.Select(d => d.LearnerId).ToHashSet(StringComparer.Ordinal);
            int expectedUnmet = instance.Wants.Count(w => affected.Contains(w.LearnerId) && !held.Any(h => h.Learner == w.LearnerId && h.Skill == w.SkillId));
            Check(instance, excluded, declined, result.UnmetWants, held, result.NewSessions, sessionsTaken, expectedUnmet);
            seen.UnionWith(result.UnmetWants.Select(u => "rematch " + Kind(u)));
        }
        // The seeds are fixed: the limit binds in a match and in a rematch, there also with every teacher booked.
        Assert.Superset(new HashSet<string> { "LearnerAtSessionLimit", "OnlyExcludedSharers", "rematch LearnerAtSessionLimit", "rematch LearnerAtSessionLimit booked" }, seen);
    }

    private static string Kind(UnmetWant unmet) => unmet switch
    {
        { ReasonCode: UnmetReason.LearnerAtSessionLimit, SessionsWentTo: [] } => "LearnerAtSessionLimit none",
        { ReasonCode: UnmetReason.LearnerAtSessionLimit, SharersBooked: true } => "LearnerAtSessionLimit booked",
        _ => unmet.ReasonCode.ToString(),
    };

    private static List<(string Learner, string Teacher, string Skill, Placement How)> Placements(IEnumerable<PlannedSession> sessions, Placement how) =>
        [.. sessions.SelectMany(s => s.Learners.Select(l => (l.LearnerId, s.TeacherId, s.SkillId, how)))];

    /// <summary>
    /// Checks each unmet want's code and facts. <paramref name="held"/>: every (learner, teacher, skill) holding a session in
    /// the end; <paramref name="solved"/>: the sessions of this solve, which filled what <paramref name="sessionsTaken"/>
    /// (pins, kept sessions) left of each share.
    /// </summary>
    private static void Check(InstanceDocument instance, IReadOnlyList<ExcludedPair> excluded, IReadOnlyList<AssignmentRef> declined,
        List<UnmetWant> unmetWants, List<(string Learner, string Teacher, string Skill, Placement How)> held, IReadOnlyList<PlannedSession> solved,
        Dictionary<(string, string), int> sessionsTaken, int expectedCount, bool groupCuts = false)
    {
        var people = instance.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var priority = instance.Wants.ToDictionary(w => (w.LearnerId, w.SkillId), w => w.Priority);
        bool Above(string ancestor, string person)
        {
            for (string? m = people[person].ManagerId; m is not null; m = people[m].ManagerId)
                if (m == ancestor) return true;
            return false;
        }
        // The hard rules in the documented order: the first that holds is the one named.
        Exclusion Rule(string learner, string teacher)
        {
            if (learner == teacher) return Exclusion.Self;
            if (people[learner].ManagerId == teacher) return Exclusion.Manager;
            if (people[teacher].ManagerId == learner) return Exclusion.DirectReport;
            if (instance.Settings.ExcludeWholeReportingChain && Above(teacher, learner)) return Exclusion.AboveInChain;
            if (instance.Settings.ExcludeWholeReportingChain && Above(learner, teacher)) return Exclusion.BelowInChain;
            if (instance.Settings.LastCyclePairs == LastCyclePairsRule.Hard
                && instance.LastCyclePairs.Any(p => p.LearnerId == learner && p.TeacherId == teacher)) return Exclusion.LastCycleTeacher;
            if (excluded.Contains(new ExcludedPair(learner, teacher))) return Exclusion.ExcludedByFacilitator;
            if (declined.Any(d => d.LearnerId == learner && d.TeacherId == teacher)) return Exclusion.Declined;
            return Exclusion.None;
        }
        bool Full(ShareRecord share)
        {
            int sessionsLeft = share.Sessions - sessionsTaken.GetValueOrDefault((share.TeacherId, share.SkillId));
            int learners = solved.Where(s => s.TeacherId == share.TeacherId && s.SkillId == share.SkillId).Sum(s => s.Learners.Count);
            // After a group-composition cut (docs/matching.md) a share whose sessions are all in use may have no group left
            // that could take one more learner without putting a manager with their report, so it counts as full.
            return learners >= sessionsLeft * (share.AcceptsGroups ? share.MaxGroupSize : 1) || (groupCuts && learners >= sessionsLeft);
        }

        Assert.Equal(expectedCount, unmetWants.Count);
        foreach (var unmet in unmetWants)
        {
            string l = unmet.LearnerId, k = unmet.SkillId;
            Assert.DoesNotContain(held, h => h.Learner == l && h.Skill == k);
            Assert.Equal(priority[(l, k)], unmet.Priority);
            var sharers = instance.Shares.Where(s => s.SkillId == k && s.Sessions > 0).ToList();
            var allowed = sharers.Where(s => Rule(l, s.TeacherId) == Exclusion.None).ToList();
            var mine = held.Where(h => h.Learner == l).Select(h => new HeldWant(h.Skill, priority[(l, h.Skill)], h.How)).ToList();
            string what = $"{l} wants {k}: {unmet.ReasonCode} ({unmet.Reason})";
            switch (unmet.ReasonCode)
            {
                case UnmetReason.NoSharers:
                    Assert.True(sharers.Count == 0, what);
                    break;
                case UnmetReason.OnlyExcludedSharers:
                    Assert.True(sharers.Count > 0 && allowed.Count == 0, what);
                    Assert.Equal(sharers.Select(s => Rule(l, s.TeacherId)).Distinct().Order(), unmet.ExcludedBy!);
                    Assert.DoesNotContain(sharers.Where(s => Rule(l, s.TeacherId) == Exclusion.Declined), s => unmet.Reason.Contains(s.TeacherId, StringComparison.Ordinal));
                    break;
                case UnmetReason.LearnerAtSessionLimit when unmet.SessionsWentTo is [] :
                    Assert.True(people[l].MaxLearnerSessions == 0, what);
                    break;
                case UnmetReason.LearnerAtSessionLimit:
                    Assert.True(sharers.Count > 0 && allowed.Count > 0, what);
                    Assert.True(mine.Count == people[l].MaxLearnerSessions, what);
                    Assert.Equal(mine.OrderBy(h => h.SkillId, StringComparer.Ordinal), unmet.SessionsWentTo!.OrderBy(h => h.SkillId, StringComparer.Ordinal));
                    foreach (var h in unmet.SessionsWentTo!) Assert.Contains($"{h.SkillId} (", unmet.Reason, StringComparison.Ordinal);
                    Assert.Equal(allowed.All(Full), unmet.SharersBooked);
                    // Priority per person: a lower want the engine matched keeps a session over this one only when this one
                    // had no free teacher (a pin, or a match a rematch keeps, was never the engine's to trade).
                    if (!unmet.SharersBooked)
                        Assert.All(unmet.SessionsWentTo!, h => Assert.True(h.Priority >= unmet.Priority || h.Placement != Placement.Matched, what));
                    break;
                default:
                    Assert.Equal(UnmetReason.SharersAtCapacity, unmet.ReasonCode);
                    Assert.True(mine.Count < people[l].MaxLearnerSessions, what);
                    Assert.True(allowed.Count > 0 && allowed.All(Full), what);
                    Assert.True(unmet.SharersBooked, what);
                    break;
            }
            if (unmet.ReasonCode != UnmetReason.LearnerAtSessionLimit) Assert.Null(unmet.SessionsWentTo);
            if (unmet.ReasonCode != UnmetReason.OnlyExcludedSharers) Assert.Null(unmet.ExcludedBy);
        }
    }
}
