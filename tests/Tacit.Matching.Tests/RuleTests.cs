using Tacit.Matching;
using static Tacit.Matching.Tests.TestInstances;

namespace Tacit.Matching.Tests;

public sealed class RuleTests
{
    [Fact]
    public void Everyone_learns_something_before_anyone_learns_twice()
    {
        // One teacher, one session: the learner with a single low-priority want beats a second session for the keen learner.
        var instance = new InstanceDocument
        {
            People = [Person("t", "Sales"), Person("keen", maxSessions: 2), Person("quiet", maxSessions: 1), Person("t2", "Legal")],
            Skills = Skills("excel", "sql"),
            Shares = [Share("t", "excel", sessions: 1), Share("t2", "sql", sessions: 1)],
            Wants = [Want("keen", "excel", Priority.High), Want("keen", "sql", Priority.High), Want("quiet", "excel", Priority.Low)],
        };
        var plan = Matcher.Match(instance).Plan;
        var learners = plan.Sessions.SelectMany(s => s.Learners.Select(l => (l.LearnerId, s.SkillId))).ToList();
        Assert.Contains(("quiet", "excel"), learners);
        Assert.Contains(("keen", "sql"), learners);
        Assert.Equal(2, plan.Summary.LearnersServed);
    }

    [Fact]
    public void Higher_priority_wins_when_served_count_ties()
    {
        var instance = new InstanceDocument
        {
            People = [Person("t", "Sales"), Person("a", maxSessions: 1), Person("b", maxSessions: 1), Person("t2", "Sales")],
            Skills = Skills("excel", "sql"),
            Shares = [Share("t", "excel", sessions: 1), Share("t2", "sql", sessions: 1)],
            // a can take either; b only excel. Both get one session in every optimum, so this checks served count first.
            Wants = [Want("a", "excel", Priority.High), Want("a", "sql", Priority.Low), Want("b", "excel", Priority.Medium)],
        };
        var plan = Matcher.Match(instance).Plan;
        Assert.Equal(2, plan.Summary.LearnersServed);
        var unmet = Assert.Single(plan.UnmetWants);
        Assert.Equal(("a", "excel"), (unmet.LearnerId, unmet.SkillId));
        Assert.Equal(UnmetReason.LearnerAtSessionLimit, unmet.ReasonCode);
    }

    [Fact]
    public void Manager_report_and_self_are_never_paired_and_the_reason_says_so()
    {
        var instance = new InstanceDocument
        {
            People = [Person("boss"), Person("me", manager: "boss"), Person("report", manager: "me")],
            Skills = Skills("excel"),
            Shares = [Share("boss", "excel", sessions: 3), Share("report", "excel", sessions: 3)],
            Wants = [Want("me", "excel", Priority.High)],
        };
        var plan = Matcher.Match(instance).Plan;
        Assert.Empty(plan.Sessions);
        var unmet = Assert.Single(plan.UnmetWants);
        Assert.Equal(UnmetReason.OnlyExcludedSharers, unmet.ReasonCode);
        Assert.Contains("your manager (boss)", unmet.Reason, StringComparison.Ordinal);
        Assert.Contains("your report (report)", unmet.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_chain_exclusion_reaches_beyond_direct_manager()
    {
        var instance = new InstanceDocument
        {
            People = [Person("ceo"), Person("vp", manager: "ceo"), Person("me", manager: "vp"), Person("other")],
            Skills = Skills("excel"),
            Shares = [Share("ceo", "excel")],
            Wants = [Want("me", "excel")],
        };
        Assert.Single(Matcher.Match(instance).Plan.Sessions);
        instance.Settings.ExcludeWholeReportingChain = true;
        var plan = Matcher.Match(instance).Plan;
        Assert.Empty(plan.Sessions);
        Assert.Contains("above you in your reporting chain", Assert.Single(plan.UnmetWants).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_cycle_pairs_are_excluded_when_hard_and_penalised_when_soft()
    {
        var instance = new InstanceDocument
        {
            People = [Person("old", authority: 5), Person("new", authority: 5), Person("me", authority: 5)],
            Skills = Skills("excel"),
            Shares = [Share("old", "excel", level: 5)],
            Wants = [Want("me", "excel")],
            LastCyclePairs = [new PairRecord { LearnerId = "me", TeacherId = "old" }],
        };
        var hard = Matcher.Match(instance).Plan;
        Assert.Empty(hard.Sessions);
        Assert.Contains("last cycle's teacher", Assert.Single(hard.UnmetWants).Reason, StringComparison.Ordinal);

        instance.Settings.LastCyclePairs = LastCyclePairsRule.Soft;
        instance.Shares.Add(Share("new", "excel", level: 1));
        var soft = Matcher.Match(instance).Plan;
        // old: level 5 (10) − repeat 8 = 2 + 9 peer; new: level 1 (2) + 9 peer; so the new teacher wins.
        Assert.Equal("new", Assert.Single(soft.Sessions).TeacherId);
        instance.Shares.RemoveAt(1);
        var onlyOld = Matcher.Match(instance).Plan;
        Assert.Contains("repeats last cycle's pair (penalised)", Assert.Single(Assert.Single(onlyOld.Sessions).Learners).Reasons);
    }

    [Fact]
    public void Groups_form_only_when_one_to_one_capacity_runs_out()
    {
        var instance = new InstanceDocument
        {
            People = [Person("t", "Sales"), Person("a"), Person("b"), Person("c"), Person("d")],
            Skills = Skills("excel"),
            Shares = [Share("t", "excel", sessions: 2, groupSize: 3)],
            Wants = [Want("a", "excel"), Want("b", "excel")],
        };
        var twoLearners = Matcher.Match(instance).Plan;
        Assert.All(twoLearners.Sessions, s => Assert.Equal(SessionKind.OneToOne, s.Kind));
        Assert.Equal(2, twoLearners.Sessions.Count);

        instance.Wants.Add(Want("c", "excel"));
        instance.Wants.Add(Want("d", "excel"));
        var four = Matcher.Match(instance).Plan;
        Assert.Equal(4, four.Summary.LearnersServed);
        Assert.Equal(2, four.Sessions.Count);
        Assert.Equal(1, four.Summary.OneToOneSessions);
        var group = Assert.Single(four.Sessions, s => s.Kind == SessionKind.Group);
        Assert.Equal(3, group.Learners.Count);
        Assert.Equal(60, group.DurationMinutes);
    }

    [Fact]
    public void One_to_one_with_another_teacher_beats_a_group()
    {
        var instance = new InstanceDocument
        {
            People = [Person("t1", "Sales"), Person("t2", "Sales"), Person("a"), Person("b")],
            Skills = Skills("excel"),
            Shares = [Share("t1", "excel", sessions: 1, level: 3, groupSize: 4), Share("t2", "excel", sessions: 1, level: 2)],
            Wants = [Want("a", "excel"), Want("b", "excel")],
        };
        var plan = Matcher.Match(instance).Plan;
        Assert.Equal(2, plan.Sessions.Count);
        Assert.All(plan.Sessions, s => Assert.Equal(SessionKind.OneToOne, s.Kind));
    }

    [Fact]
    public void Packing_maximises_one_to_one_sessions()
    {
        Assert.Equal(3, PlanBuilder.MaxOneToOne(3, 3, 4));
        Assert.Equal(1, PlanBuilder.MaxOneToOne(4, 2, 3));
        Assert.Equal(0, PlanBuilder.MaxOneToOne(6, 2, 3));
        Assert.Equal(2, PlanBuilder.MaxOneToOne(5, 3, 3));
    }

    [Fact]
    public void Unmet_wants_say_why()
    {
        var instance = new InstanceDocument
        {
            People = [Person("t", "Sales"), Person("a", maxSessions: 1), Person("b", maxSessions: 2), Person("c", maxSessions: 0)],
            Skills = Skills("excel", "sql", "rust"),
            Shares = [Share("t", "excel", sessions: 1)],
            Wants = [Want("a", "excel", Priority.High), Want("b", "excel", Priority.Low), Want("b", "rust"), Want("c", "excel")],
        };
        var plan = Matcher.Match(instance).Plan;
        var reasons = plan.UnmetWants.ToDictionary(u => (u.LearnerId, u.SkillId), u => u.ReasonCode);
        Assert.Equal(UnmetReason.NoSharers, reasons[("b", "rust")]);
        Assert.Equal(UnmetReason.LearnerAtSessionLimit, reasons[("c", "excel")]);
        Assert.Equal(UnmetReason.SharersAtCapacity, reasons[(plan.Sessions[0].Learners[0].LearnerId == "a" ? "b" : "a", "excel")]);
    }

    [Fact]
    public void Reasons_name_departments_gap_priority_and_preference()
    {
        var instance = new InstanceDocument
        {
            People = [Person("t", "Sales", authority: 6), Person("me", "Finance", authority: 5)],
            Skills = Skills("excel"),
            Shares = [Share("t", "excel", level: 4)],
            Wants = [Want("me", "excel", Priority.High, preferred: "t")],
        };
        var reasons = Matcher.Match(instance).Plan.Sessions.Single().Learners.Single().Reasons;
        Assert.Equal(["crosses departments: Finance → Sales", "level gap 1 (peers)", "high priority", "preferred teacher", "teacher level 4"], reasons);
    }
}
