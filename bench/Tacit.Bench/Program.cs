using Tacit.Bench.Account;
using Tacit.Bench.Cycles;
using Tacit.Bench.Matching;
using Tacit.Bench.People;
using Tacit.Bench.Xapi;

// Scale harnesses that print measured figures; docs/benchmarks.md says how to run each.
return args.FirstOrDefault() switch
{
    "import" => await ImportBenchmark.RunAsync(args[1..]),
    "people-seed" => await PeopleSeed.RunAsync(args[1..]),
    "matching" => MatchingScaleBenchmark.Run(args[1..]),
    MatchingScaleBenchmark.SingleRunCommand => MatchingScaleBenchmark.RunSingle(args[1..]),
    "matching-micro" => MatchingMicroBenchmarks.Run(args[1..]),
    "cycle-match" => await CycleMatchBenchmark.RunAsync(args[1..]),
    "signin-timing" => await SignInTimingBenchmark.RunAsync(args[1..]),
    "xapi-seed" => await XapiSeed.RunAsync(args[1..]),

    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Tacit.Bench -- <benchmark> [options]
          import [--rows 10000]                      CSV import of N people: preview and commit, on the configured database
          people-seed --people 100000 --out FILE     seed an organisation for the load test (bench/people-load.sh runs it)
          matching [--sizes 1000,10000,100000] [--glpsol-max 1000]   the matching engine at scale, against glpsol
          matching-micro                             BenchmarkDotNet micro-benchmarks of the engine
          cycle-match --base URL --token T --email E --password P   a cycle's match job end to end (bench/cycle-match.sh runs it)
          signin-timing --base URL [--samples 100]   refused sign-ins, real email vs unknown (bench/signin-timing.sh runs it)
          xapi-seed --base URL --key K --secret S [--statements 1000000]   fill the learning record store, write rates (bench/xapi-load.sh runs it)
        """);
    return 2;
}
