using CsCheck;
using Tacit.Matching;
using static Tacit.Matching.Tests.TestInstances;

namespace Tacit.Matching.Tests;

public sealed class RematchTests
{
    [Fact]
    public void Declined_learner_moves_to_the_next_best_teacher()
    {
        var instance = new InstanceDocument
        {
            People = [Person("best", "Sales", authority: 5), Person("next", "Sales", authority: 3), Person("me", "Finance", authority: 5), Person("other", "Legal", authority: 5)],
            Skills = Skills("excel", "sql"),
            Shares = [Share("best", "excel", level: 5), Share("next", "excel", level: 2), Share("best", "sql")],
            Wants = [Want("me", "excel", Priority.High), Want("other", "sql")],
        };
        var plan = Matcher.Match(instance).Plan;
        Assert.Equal("best", plan.Sessions.Single(s => s.SkillId == "excel").TeacherId);

        var result = Matcher.Rematch(instance, plan, [new AssignmentRef("me", "best", "excel")]);

        var session = Assert.Single(result.NewSessions);
        Assert.Equal(("next", "excel", "me"), (session.TeacherId, session.SkillId, session.Learners.Single().LearnerId));
        Assert.Empty(result.UnmetWants);
    }

    [Fact]
    public void Declining_something_not_in_the_plan_is_rejected()
    {
        var instance = new InstanceDocument { People = [Person("a")], Skills = Skills("x") };
        var plan = Matcher.Match(instance).Plan;
        Assert.Throws<InstanceValidationException>(() => Matcher.Rematch(instance, plan, [new AssignmentRef("a", "b", "x")]));
    }

    [Fact]
    public void Rematch_never_moves_others_and_respects_what_they_leave_free()
    {
        Gen.Select(Gen.Int[30, 200], Gen.ULong).Sample((people, seed) =>
        {
            var instance = InstanceGenerator.Generate(new GeneratorOptions(people, Math.Max(3, people / 10), seed));
            var plan = Matcher.Match(instance).Plan;
            var all = plan.Sessions.SelectMany(s => s.Learners.Select(l => new AssignmentRef(l.LearnerId, s.TeacherId, s.SkillId))).ToList();
            if (all.Count == 0) return;
            var declined = all.Where((_, i) => i % 7 == 0).ToList();
            var result = Matcher.Rematch(instance, plan, declined);

            // Merge: kept assignments unchanged plus the new sessions must satisfy every hard rule of the full instance.
            var merged = new MatchPlan
            {
                Objective = 0,
                Summary = new PlanSummary(),
                Sessions = [.. plan.Sessions
                    .Select(s => new PlannedSession
                    {
                        TeacherId = s.TeacherId, SkillId = s.SkillId, Kind = s.Kind, DurationMinutes = s.DurationMinutes,
                        Learners = [.. s.Learners.Where(l => !declined.Contains(new AssignmentRef(l.LearnerId, s.TeacherId, s.SkillId)))],
                    })
                    .Where(s => s.Learners.Count > 0), .. result.NewSessions],
                UnmetWants = [],
            };
            var affected = declined.Select(d => d.LearnerId).ToHashSet();
            foreach (var session in result.NewSessions)
            {
                foreach (var learner in session.Learners)
                {
                    Assert.Contains(learner.LearnerId, affected);
                    Assert.DoesNotContain(new AssignmentRef(learner.LearnerId, session.TeacherId, session.SkillId), declined);
                }
            }
            CheckCapacities(instance, merged);
        }, iter: 25);
    }

    private static void CheckCapacities(InstanceDocument instance, MatchPlan merged)
    {
        var shares = instance.Shares.ToDictionary(s => (s.TeacherId!, s.SkillId!));
        foreach (var group in merged.Sessions.GroupBy(s => (s.TeacherId, s.SkillId)))
            Assert.True(group.Count() <= shares[group.Key].Sessions, $"share {group.Key} over its sessions after rematch");
        var people = instance.People.ToDictionary(p => p.Id!);
        foreach (var learner in merged.Sessions.SelectMany(s => s.Learners.Select(l => (l.LearnerId, s.SkillId))).GroupBy(x => x.LearnerId))
        {
            Assert.True(learner.Count() <= people[learner.Key].MaxLearnerSessions, $"{learner.Key} over their session limit after rematch");
            Assert.Equal(learner.Count(), learner.Distinct().Count());
        }
    }
}
