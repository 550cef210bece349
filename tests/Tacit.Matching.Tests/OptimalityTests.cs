using CsCheck;
using Tacit.Matching;

namespace Tacit.Matching.Tests;

public sealed class OptimalityTests
{
    [Theory]
    [InlineData(40, 6, 1UL, false, false)]
    [InlineData(120, 15, 2UL, true, false)]
    [InlineData(200, 25, 3UL, false, true)]
    [InlineData(300, 40, 4UL, true, true)]
    [InlineData(600, 80, 5UL, false, false)]
    [InlineData(1200, 150, 6UL, false, true)]
    public void Objective_equals_glpsol_min_cost_of_the_exported_network(int people, int skills, ulong seed, bool wholeChain, bool soft)
    {
        var instance = InstanceGenerator.Generate(new GeneratorOptions(people, skills, seed)
        {
            WholeChain = wholeChain,
            LastCyclePairs = soft ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
        });
        var result = Matcher.Match(instance);
        var writer = new StringWriter();
        result.WriteDimacs(writer);

        long glpk = Glpsol.SolveExact(writer.ToString());

        Assert.Equal((Int128)glpk, result.Plan.Objective);
        PlanChecks.CheckHardRules(instance, result.Plan);
    }

    [Fact]
    public void Objective_equals_glpsol_on_random_tiny_instances()
    {
        Gen.ULong.Sample(seed =>
        {
            var instance = TestInstances.RandomTiny(seed);
            var result = Matcher.Match(instance);
            var writer = new StringWriter();
            result.WriteDimacs(writer);
            // glpsol cannot read a network without arcs; its minimum cost is 0 by definition.
            long expected = result.Statistics.Arcs == 0 ? 0 : Glpsol.SolveExact(writer.ToString());
            Assert.Equal((Int128)expected, result.Plan.Objective);
        }, iter: 40, threads: 1);
    }

    [Fact]
    public void Plan_is_lexicographically_optimal_by_brute_force()
    {
        Gen.ULong.Sample(seed =>
        {
            var instance = TestInstances.RandomTiny(seed);
            var plan = Matcher.Match(instance).Plan;
            var value = PlanChecks.CheckHardRules(instance, plan);
            // A group-composition cut (a manager and their report who could only meet in one group) leaves the relaxation.
            if (plan.Summary.GroupCompositionCuts == 0) Assert.Equal(PlanChecks.BruteForce(instance), value);
            else Assert.True(value.CompareTo(PlanChecks.BruteForce(instance, packed: true)) <= 0);
        }, iter: 400);
    }

    [Fact]
    public void Plans_of_generated_organisations_keep_every_hard_rule()
    {
        Gen.Select(Gen.Int[20, 400], Gen.Int[1, 60], Gen.ULong, Gen.Bool, Gen.Bool).Sample((people, skills, seed, chain, soft) =>
        {
            var instance = InstanceGenerator.Generate(new GeneratorOptions(people, skills, seed)
            {
                WholeChain = chain,
                LastCyclePairs = soft ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
            });
            PlanChecks.CheckHardRules(instance, Matcher.Match(instance).Plan);
        }, iter: 60);
    }

    [Fact]
    public void Same_input_gives_byte_identical_plans()
    {
        Gen.ULong.Sample(seed =>
        {
            string json = PlanJson.Serialize(InstanceGenerator.Generate(new GeneratorOptions(300, 30, seed)));
            byte[] first = PlanJson.SerializeToUtf8(Matcher.Match(json).Plan);
            byte[] second = PlanJson.SerializeToUtf8(Matcher.Match(json).Plan);
            Assert.Equal(first, second);
        }, iter: 10);
    }
}
