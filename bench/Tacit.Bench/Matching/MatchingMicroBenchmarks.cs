using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Tacit.Matching;

namespace Tacit.Bench.Matching;

/// <summary>BenchmarkDotNet micro-benchmarks of the engine on a 2,000-person organisation (short job: the machine is shared).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MatchingMicroBenchmarks
{
    private string instanceJson = "";

    public static int Run(string[] args)
    {
        BenchmarkRunner.Run<MatchingMicroBenchmarks>(args: args);
        return 0;
    }

    [GlobalSetup]
    public void Setup() => instanceJson = PlanJson.Serialize(InstanceGenerator.Generate(new GeneratorOptions(2_000, 200, 7)));

    [Benchmark]
    public Int128 MatchTwoThousandPeople() => Matcher.Match(instanceJson).Plan.Objective;
}
