using System.Globalization;
using CsCheck;
using Tacit.Matching;
using static Tacit.Matching.Tests.TestInstances;

namespace Tacit.Matching.Tests;

/// <summary>
/// A facilitator's pins obey every hard rule: each refusal on a small organisation, and on random organisations with random
/// pins and exclusions an independent reading of the rules (written here, sharing no code with the engine) decides which pins
/// hold and why the others do not, and no pair of the pins plus the plan breaks a rule.
/// </summary>
public sealed class PinTests
{
    // ceo ← vp ← ada, vp ← cy; bo elsewhere. Everyone wants and shares excel.
    private static InstanceDocument Organisation() => new()
    {
        People = [Person("ceo"), Person("vp", manager: "ceo"), Person("ada", manager: "vp"), Person("cy", manager: "vp"), Person("bo", "Sales"), Person("idle", maxSessions: 0)],
        Skills = Skills("excel", "sql"),
        Shares = [Share("ceo", "excel"), Share("vp", "excel"), Share("ada", "excel"), Share("cy", "excel"), Share("bo", "excel"), Share("bo", "sql", sessions: 0)],
        Wants = [Want("ada", "excel"), Want("ada", "sql"), Want("cy", "excel"), Want("bo", "excel"), Want("idle", "excel"), Want("ceo", "excel")],
        LastCyclePairs = [new PairRecord { LearnerId = "cy", TeacherId = "bo" }],
    };

    public static TheoryData<string, string, string, bool, PinRefusal> Refusals() => new()
    {
        { "ada", "ada", "excel", false, PinRefusal.Self },
        { "ada", "vp", "excel", false, PinRefusal.Manager },
        { "vp", "ada", "excel", false, PinRefusal.DirectReport },
        { "ada", "ceo", "excel", true, PinRefusal.AboveInChain },
        { "ceo", "ada", "excel", true, PinRefusal.BelowInChain },
        { "cy", "bo", "excel", false, PinRefusal.LastCyclePair },
        { "bo", "cy", "excel", false, PinRefusal.Excluded },
        { "cy", "bo", "sql", false, PinRefusal.LastCyclePair },
        { "bo", "ada", "sql", false, PinRefusal.Excluded },
        { "ceo", "bo", "sql", false, PinRefusal.NotWanted },
        { "ada", "cy", "sql", false, PinRefusal.NotShared },
        { "idle", "bo", "excel", false, PinRefusal.LearnerTakesNoSessions },
        { "ada", "bo", "sql", false, PinRefusal.TeacherOffersNoSessions },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_pin_that_breaks_a_rule_is_skipped_with_that_rule(string learner, string teacher, string skill, bool wholeChain, PinRefusal reason)
    {
        var instance = Organisation();
        instance.Settings.ExcludeWholeReportingChain = wholeChain;
        ExcludedPair[] excluded = [new("bo", "cy"), new("bo", "ada")];
        var result = ConstrainedMatcher.Match(instance, excluded, [new PinnedPair(learner, teacher, skill)]);
        Assert.Empty(result.Honoured);
        Assert.Equal(reason, Assert.Single(result.Skipped).Reason);
        // Never forced: the plan does not hold the pair either.
        Assert.DoesNotContain(result.Result.Plan.Sessions, s => s.TeacherId == teacher && s.SkillId == skill && s.Learners.Any(l => l.LearnerId == learner));
    }

    [Fact]
    public void The_reason_names_the_reporting_line()
    {
        var instance = Organisation();
        instance.Settings.ExcludeWholeReportingChain = true;
        var check = ConstrainedMatcher.CheckPins(instance, [], [new PinnedPair("ada", "ceo", "excel"), new PinnedPair("ceo", "ada", "excel")]);
        string Name(string id) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(id);
        Assert.Equal(new[] { "ada", "vp", "ceo" }, check.Skipped[0].Chain);
        Assert.Equal("Ada reports to Ceo through Vp; the matching excludes the whole reporting chain", check.Skipped[0].Describe(Name, s => s));
        Assert.Equal("Ada reports to Ceo through Vp; the matching excludes the whole reporting chain", check.Skipped[1].Describe(Name, s => s));
        instance.Settings.ExcludeWholeReportingChain = false;
        Assert.Equal(2, ConstrainedMatcher.CheckPins(instance, [], [new PinnedPair("ada", "ceo", "excel"), new PinnedPair("ceo", "ada", "excel")]).Honoured.Count);
    }

    [Fact]
    public void Soft_last_cycle_pairs_may_be_pinned()
    {
        var instance = Organisation();
        instance.Settings.LastCyclePairs = LastCyclePairsRule.Soft;
        Assert.Single(ConstrainedMatcher.CheckPins(instance, [], [new PinnedPair("cy", "bo", "excel")]).Honoured);
    }

    [Fact]
    public void Earlier_pins_take_their_sessions_first()
    {
        var instance = Organisation();
        instance.People.Single(p => p.Id == "cy").MaxLearnerSessions = 1;
        var result = ConstrainedMatcher.Match(instance, [],
        [
            new PinnedPair("ada", "bo", "excel"), // takes bo's only excel session
            new PinnedPair("ada", "cy", "excel"), // ada's excel is pinned already
            new PinnedPair("cy", "bo", "excel"), // last cycle's pair: a rule comes before capacity
            new PinnedPair("ceo", "bo", "excel"), // bo's session is taken
            new PinnedPair("cy", "ada", "excel"), // holds: takes cy's one session
            new PinnedPair("bo", "ceo", "excel"), // holds
        ]);
        Assert.Equal(new[] { new PinnedPair("ada", "bo", "excel"), new PinnedPair("cy", "ada", "excel"), new PinnedPair("bo", "ceo", "excel") }, result.Honoured);
        Assert.Equal(new[] { PinRefusal.WantAlreadyPinned, PinRefusal.LastCyclePair, PinRefusal.TeacherSessionsTaken }, result.Skipped.Select(s => s.Reason));
        // The plan keeps to what the pins left: no session of bo's excel, none for cy, no second excel for ada.
        var plan = result.Result.Plan;
        Assert.DoesNotContain(plan.Sessions, s => s.TeacherId == "bo" && s.SkillId == "excel");
        Assert.DoesNotContain(plan.Sessions.SelectMany(s => s.Learners), l => l.LearnerId == "cy");
        Assert.DoesNotContain(plan.Sessions, s => s.SkillId == "excel" && s.Learners.Any(l => l.LearnerId == "ada"));
    }

    [Fact]
    public void The_learner_limit_counts_pins()
    {
        var instance = Organisation();
        instance.People.Single(p => p.Id == "ada").MaxLearnerSessions = 1;
        instance.Shares.Single(s => s.TeacherId == "bo" && s.SkillId == "sql").Sessions = 1;
        var check = ConstrainedMatcher.CheckPins(instance, [], [new PinnedPair("ada", "bo", "excel"), new PinnedPair("ada", "bo", "sql")]);
        Assert.Equal(PinRefusal.LearnerSessionsTaken, Assert.Single(check.Skipped).Reason);
        Assert.Equal(0, check.Remaining.People.Single(p => p.Id == "ada").MaxLearnerSessions);
        Assert.Equal(1, instance.People.Single(p => p.Id == "ada").MaxLearnerSessions); // the caller's instance is not changed
    }

    [Fact]
    public void Unknown_ids_are_refused_naming_the_pin()
    {
        var e = Assert.Throws<InstanceValidationException>(() => ConstrainedMatcher.CheckPins(Organisation(), [], [new PinnedPair("ada", "nobody", "excel")]));
        Assert.Equal("pins[0] (learnerId \"ada\", teacherId \"nobody\", skillId \"excel\"): unknown teacherId \"nobody\"", e.Message);
    }

    [Fact]
    public void Random_pins_on_random_organisations_keep_every_rule()
    {
        Gen.ULong.Sample(seed =>
        {
            var random = new Random((int)(seed % int.MaxValue));
            var instance = RandomTiny(seed);
            var (excluded, pins) = RandomRules(instance, random);
            MatchAndCheck(instance, excluded, pins);
        }, iter: 400);
    }

    [Fact]
    public void Random_pins_on_generated_organisations_keep_every_rule()
    {
        var reasons = new HashSet<PinRefusal>();
        foreach (ulong seed in new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
        {
            // Every hard rule a pin can break: the chain, last cycle's pairs, the authority gap, common hours (hard and
            // soft), the teacher's cap across skills.
            var instance = InstanceGenerator.Generate(new GeneratorOptions(300, 40, seed)
            {
                WholeChain = seed % 2 == 0, LastCyclePairs = seed % 3 == 0 ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
                TimeZones = (int)(seed % 4), Availability = seed == 5 ? AvailabilityRule.Soft : AvailabilityRule.Hard,
                TeacherCapFraction = seed % 2 == 1 ? 0.5 : 0, MaxAuthorityGap = seed % 3 == 1 ? 2 : null,
            });
            var random = new Random((int)seed);
            var (excluded, pins) = RandomRules(instance, random, pinCount: 60, excludeCount: 20);
            var result = MatchAndCheck(instance, excluded, pins);
            Assert.NotEmpty(result.Honoured);
            Assert.NotEmpty(result.Skipped);
            reasons.UnionWith(result.Skipped.Select(s => s.Reason));
        }
        // The organisations are made so that pins break each of these rules somewhere (or the test proves less than it says).
        Assert.Superset(new HashSet<PinRefusal> { PinRefusal.AuthorityGap, PinRefusal.NoCommonHour, PinRefusal.TeacherCycleCapTaken, PinRefusal.LastCyclePair, PinRefusal.AboveInChain }, reasons);
    }

    /// <summary>Matches with pins: the verdicts are those of the independent reading, and the pins plus the plan keep every rule.</summary>
    private static PinnedMatchResult MatchAndCheck(InstanceDocument instance, List<ExcludedPair> excluded, List<PinnedPair> pins)
    {
        var result = ConstrainedMatcher.Match(instance, excluded, pins);
        var expected = ExpectedVerdicts(instance, excluded, pins);
        Assert.Equal(expected.Where(v => v.Reason is null).Select(v => v.Pin), result.Honoured);
        Assert.Equal(expected.Where(v => v.Reason is not null).Select(v => (v.Pin, v.Reason!.Value)), result.Skipped.Select(s => (s.Pin, s.Reason)));
        CheckPinsAndPlan(instance, excluded, result);
        return result;
    }

    /// <summary>Pins: half a want with a random sharer of its skill (often valid), half any triple; exclusions: random pairs, some of a pinned pair.</summary>
    internal static (List<ExcludedPair> Excluded, List<PinnedPair> Pins) RandomRules(InstanceDocument instance, Random random, int pinCount = -1, int excludeCount = -1)
    {
        string AnyPerson() => instance.People[random.Next(instance.People.Count)].Id;
        var pins = new List<PinnedPair>();
        int count = pinCount >= 0 ? pinCount : random.Next(0, 6);
        for (int i = 0; i < count; i++)
        {
            if (random.Next(2) == 0 && instance.Wants.Count > 0)
            {
                var want = instance.Wants[random.Next(instance.Wants.Count)];
                var sharers = instance.Shares.Where(s => s.SkillId == want.SkillId).ToList();
                string teacher = sharers.Count > 0 ? sharers[random.Next(sharers.Count)].TeacherId : AnyPerson();
                pins.Add(new PinnedPair(want.LearnerId, teacher, want.SkillId));
            }
            else
            {
                pins.Add(new PinnedPair(AnyPerson(), AnyPerson(), instance.Skills[random.Next(instance.Skills.Count)].Id));
            }
        }
        pins = [.. pins.Distinct()];
        var excluded = new List<ExcludedPair>();
        int exclusions = excludeCount >= 0 ? excludeCount : random.Next(0, 3);
        for (int i = 0; i < exclusions; i++)
        {
            excluded.Add(pins.Count > 0 && random.Next(3) == 0
                ? new ExcludedPair(pins[random.Next(pins.Count)].LearnerId, pins[random.Next(pins.Count)].TeacherId)
                : new ExcludedPair(AnyPerson(), AnyPerson()));
        }
        return (excluded, pins);
    }

    /// <summary>The rule each pin breaks, in the documented order (docs/matching.md, "Pins"), or null when it holds.</summary>
    private static List<(PinnedPair Pin, PinRefusal? Reason)> ExpectedVerdicts(InstanceDocument instance, IReadOnlyList<ExcludedPair> excluded, IReadOnlyList<PinnedPair> pins)
    {
        var people = instance.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var sessionsLeft = instance.Shares.ToDictionary(s => (s.TeacherId, s.SkillId), s => s.Sessions);
        var learnerLeft = instance.People.ToDictionary(p => p.Id, p => p.MaxLearnerSessions, StringComparer.Ordinal);
        var capLeft = instance.People.ToDictionary(p => p.Id, p => p.MaxTeacherSessions, StringComparer.Ordinal);
        int gap = instance.Settings.MaxAuthorityGap ?? int.MaxValue;
        bool hardHours = instance.Settings.Availability == AvailabilityRule.Hard;
        var wants = instance.Wants.Select(w => (w.LearnerId, w.SkillId)).ToHashSet();
        var pinnedWants = new HashSet<(string, string)>();
        var verdicts = new List<(PinnedPair, PinRefusal?)>();
        foreach (var pin in pins)
        {
            var (l, t, k) = (pin.LearnerId, pin.TeacherId, pin.SkillId);
            bool shared = sessionsLeft.ContainsKey((t, k));
            PinRefusal? reason =
                l == t ? PinRefusal.Self
                : people[l].ManagerId == t ? PinRefusal.Manager
                : people[t].ManagerId == l ? PinRefusal.DirectReport
                : instance.Settings.ExcludeWholeReportingChain && Above(people, t, l) ? PinRefusal.AboveInChain
                : instance.Settings.ExcludeWholeReportingChain && Above(people, l, t) ? PinRefusal.BelowInChain
                : Math.Abs(people[l].AuthorityLevel - people[t].AuthorityLevel) > gap ? PinRefusal.AuthorityGap
                : hardHours && !ShareAnHour([people[l], people[t]]) ? PinRefusal.NoCommonHour
                : instance.Settings.LastCyclePairs == LastCyclePairsRule.Hard && instance.LastCyclePairs.Any(p => p.LearnerId == l && p.TeacherId == t) ? PinRefusal.LastCyclePair
                : excluded.Contains(new ExcludedPair(l, t)) ? PinRefusal.Excluded
                : !wants.Contains((l, k)) ? PinRefusal.NotWanted
                : !shared ? PinRefusal.NotShared
                : people[l].MaxLearnerSessions == 0 ? PinRefusal.LearnerTakesNoSessions
                : instance.Shares.Single(s => s.TeacherId == t && s.SkillId == k).Sessions == 0 ? PinRefusal.TeacherOffersNoSessions
                : pinnedWants.Contains((l, k)) ? PinRefusal.WantAlreadyPinned
                : learnerLeft[l] == 0 ? PinRefusal.LearnerSessionsTaken
                : capLeft[t] == 0 ? PinRefusal.TeacherCycleCapTaken
                : sessionsLeft[(t, k)] == 0 ? PinRefusal.TeacherSessionsTaken
                : null;
            if (reason is null)
            {
                sessionsLeft[(t, k)]--;
                learnerLeft[l]--;
                if (capLeft[t] is int cap) capLeft[t] = cap - 1;
                pinnedWants.Add((l, k));
            }
            verdicts.Add((pin, reason));
        }
        return verdicts;
    }

    /// <summary>Whether some hour is free for all of them (a person who gave no availability is free at any hour).</summary>
    private static bool ShareAnHour(IEnumerable<PersonRecord> people) =>
        people.Where(p => p.Availability is { Length: > 0 }).Select(p => (IEnumerable<int>)p.Availability!)
            .Aggregate(Enumerable.Range(0, 168), (common, hours) => common.Intersect(hours)).Any();

    private static bool Above(Dictionary<string, PersonRecord> people, string ancestor, string person)
    {
        for (string? m = people[person].ManagerId; m is not null; m = people[m].ManagerId)
            if (m == ancestor) return true;
        return false;
    }

    /// <summary>The honoured pins (one-to-one sessions) and the plan together keep every hard rule of the original instance and every exclusion.</summary>
    private static void CheckPinsAndPlan(InstanceDocument instance, IReadOnlyList<ExcludedPair> excluded, PinnedMatchResult result)
    {
        var people = instance.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var assignments = result.Honoured.Select(p => (p.LearnerId, p.TeacherId, p.SkillId))
            .Concat(result.Result.Plan.Sessions.SelectMany(s => s.Learners.Select(l => (l.LearnerId, s.TeacherId, s.SkillId)))).ToList();
        var sessions = result.Honoured.Select(p => (p.TeacherId, p.SkillId)).Concat(result.Result.Plan.Sessions.Select(s => (s.TeacherId, s.SkillId)));
        foreach (var (l, t, k) in assignments)
        {
            Assert.NotEqual(l, t);
            Assert.NotEqual(people[l].ManagerId, t);
            Assert.NotEqual(people[t].ManagerId, l);
            if (instance.Settings.ExcludeWholeReportingChain) Assert.False(Above(people, t, l) || Above(people, l, t), $"{l} ← {t} in one chain");
            if (instance.Settings.LastCyclePairs == LastCyclePairsRule.Hard) Assert.DoesNotContain(instance.LastCyclePairs, p => p.LearnerId == l && p.TeacherId == t);
            Assert.True(Math.Abs(people[l].AuthorityLevel - people[t].AuthorityLevel) <= (instance.Settings.MaxAuthorityGap ?? int.MaxValue), $"{l} ← {t} beyond the authority gap");
            Assert.DoesNotContain(new ExcludedPair(l, t), excluded);
            Assert.Contains(instance.Wants, w => w.LearnerId == l && w.SkillId == k);
        }
        Assert.Equal(assignments.Count, assignments.Select(a => (a.LearnerId, a.SkillId)).Distinct().Count());
        foreach (var group in assignments.GroupBy(a => a.LearnerId))
            Assert.True(group.Count() <= people[group.Key].MaxLearnerSessions, $"{group.Key} gets {group.Count()} sessions");
        foreach (var group in sessions.GroupBy(s => s))
            Assert.True(group.Count() <= instance.Shares.Single(s => (s.TeacherId, s.SkillId) == group.Key).Sessions, $"share {group.Key} over its sessions");
        // A teacher's cap counts sessions across skills (a group once), pins included.
        foreach (var group in sessions.GroupBy(s => s.TeacherId))
            Assert.True(group.Count() <= (people[group.Key].MaxTeacherSessions ?? int.MaxValue), $"{group.Key} teaches {group.Count()} sessions, over their cap");
        // In hard availability mode every session's teacher and learners share an hour: pins (one learner) and the plan's sessions.
        if (instance.Settings.Availability == AvailabilityRule.Hard)
        {
            foreach (var pin in result.Honoured) Assert.True(ShareAnHour([people[pin.LearnerId], people[pin.TeacherId]]), $"pin {pin} without a common hour");
            foreach (var session in result.Result.Plan.Sessions)
                Assert.True(ShareAnHour(session.Learners.Select(l => people[l.LearnerId]).Append(people[session.TeacherId])), $"session of {session.TeacherId} without a common hour");
        }
    }
}
