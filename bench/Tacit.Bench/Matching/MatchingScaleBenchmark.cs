using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tacit.Matching;

namespace Tacit.Bench.Matching;

/// <summary>
/// Plain timed scale runs of the matching engine (one fresh process per size, so peak memory is per size), and a
/// comparison with glpsol on the same exported networks where glpsol finishes in reasonable time.
/// </summary>
internal static partial class MatchingScaleBenchmark
{
    public const string SingleRunCommand = "matching-one";

    public static int Run(string[] args)
    {
        int[] sizes = [1_000, 10_000, 100_000];
        int glpsolMax = 1_000;
        string zones = "0", caps = "0", gap = "-1";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--sizes": sizes = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--glpsol-max": glpsolMax = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--zones": zones = args[i + 1]; break;          // availability: people in 1–3 time zones (0 = none given)
                case "--teacher-caps": caps = args[i + 1]; break;   // share of people with maxTeacherSessions 1–3
                case "--max-gap": gap = args[i + 1]; break;         // settings.maxAuthorityGap (-1 = none)
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        Console.WriteLine("| people | skills | wants | shares | nodes | arcs | compile s | build s | solve s | plan s | total s | peak MiB | learners served | wants met | objective | glpsol s | glpsol = objective |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
        foreach (int people in sizes)
        {
            // Each size runs in its own process so Process.PeakWorkingSet64 belongs to that size alone.
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            string self = typeof(MatchingScaleBenchmark).Assembly.Location;
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(self);
            foreach (string arg in new[] { SingleRunCommand, people.ToString(CultureInfo.InvariantCulture), (people <= glpsolMax).ToString(), zones, caps, gap })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            string line = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Console.Write(line);
            if (process.ExitCode != 0) return process.ExitCode;
        }
        return 0;
    }

    public static int RunSingle(string[] args)
    {
        int people = int.Parse(args[0], CultureInfo.InvariantCulture);
        bool withGlpsol = bool.Parse(args[1]);
        int skills = Math.Max(10, people / 10);
        int gap = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : -1;
        var instance = InstanceGenerator.Generate(new GeneratorOptions(people, skills, 42)
        {
            TimeZones = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0,
            TeacherCapFraction = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0,
            MaxAuthorityGap = gap >= 0 ? gap : null,
        });
        long warmBefore = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var result = Matcher.Match(instance, message => Console.Error.WriteLine($"[{people}] {message}"));
        double total = clock.Elapsed.TotalSeconds;
        var plan = result.Plan;
        var stats = result.Statistics;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        _ = warmBefore;

        string glpsolSeconds = "–", equal = "–";
        if (withGlpsol)
        {
            var writer = new StringWriter();
            result.WriteDimacs(writer);
            var (seconds, cost) = GlpsolExact(writer.ToString());
            glpsolSeconds = seconds.ToString("F2", CultureInfo.InvariantCulture);
            equal = (Int128)cost == plan.Objective ? "yes" : $"NO ({cost})";
        }
        var s = plan.Summary;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {people:N0} | {skills:N0} | {s.Wants:N0} | {instance.Shares.Count:N0} | {stats.Nodes:N0} | {stats.Arcs:N0} | {stats.CompileTime.TotalSeconds:F2} | {stats.BuildTime.TotalSeconds:F2} | {stats.SolveTime.TotalSeconds:F2} | {stats.ExtractTime.TotalSeconds:F2} | {total:F2} | {peak / 1048576.0:F0} | {s.LearnersServed:N0} / {s.LearnersWithWants:N0} | {s.WantsMet:N0} | {plan.Objective} | {glpsolSeconds} | {equal} |"));
        return 0;
    }

    /// <summary>Runs glpsol --mincost (with exact re-check of the final basis) and recomputes its optimal cost exactly from the column activities.</summary>
    private static (double Seconds, long Cost) GlpsolExact(string dimacs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "tacit-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "network.dmx");
            string output = Path.Combine(dir, "solution.txt");
            File.WriteAllText(input, dimacs);
            var start = new ProcessStartInfo("glpsol") { RedirectStandardOutput = true };
            foreach (string arg in new[] { "--mincost", input, "--xcheck", "-o", output }) start.ArgumentList.Add(arg);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            double seconds = clock.Elapsed.TotalSeconds;
            if (process.ExitCode != 0) throw new InvalidOperationException("glpsol failed");
            var arcs = dimacs.Split('\n').Where(l => l.StartsWith("a ", StringComparison.Ordinal))
                .Select((l, i) => (Fields: l.Split(' '), Index: i))
                .Select(a => (Tail: int.Parse(a.Fields[1], CultureInfo.InvariantCulture), Cost: long.Parse(a.Fields[5], CultureInfo.InvariantCulture), a.Index))
                .OrderBy(a => a.Tail).ThenByDescending(a => a.Index).ToList();
            var columns = ColumnLine().Matches(File.ReadAllText(output));
            if (columns.Count != arcs.Count) throw new InvalidOperationException("glpsol output has an unexpected column count");
            long cost = 0;
            for (int i = 0; i < arcs.Count; i++)
                cost += (long)Math.Round(double.Parse(columns[i].Groups["activity"].Value, CultureInfo.InvariantCulture)) * arcs[i].Cost;
            return (seconds, cost);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s*\d+\s+x\[\d+,\d+\]\s+\S+\s+(?<activity>-?[0-9.e+\-]+)", RegexOptions.Multiline)]
    private static partial Regex ColumnLine();
}
