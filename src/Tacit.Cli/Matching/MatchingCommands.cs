using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tacit.Matching;

namespace Tacit.Cli.Matching;

/// <summary>The matching commands of the tacit CLI: <c>match</c> and <c>generate-instance</c>.</summary>
public static class MatchingCommands
{
    /// <summary>Exit code for malformed or inconsistent input.</summary>
    public const int InvalidInput = 2;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Match()
    {
        var instanceArgument = new Argument<FileInfo>("instance") { Description = "Instance JSON (format: docs/matching.md, docs/instance.schema.json)" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Where to write the plan JSON (default: INSTANCE.plan.json next to the instance)" };
        var dimacsOption = new Option<FileInfo?>("--export-dimacs") { Description = "Also write the optimised flow network in DIMACS min-cost format; its minimum cost equals the plan's objective" };
        var explainOption = new Option<bool>("--explain") { Description = "Print every session with its reasons and every unmet want with its reason" };
        var command = new Command("match", "Match learners with teachers for one cycle (exact lexicographic optimum)")
        {
            instanceArgument,
            outOption,
            dimacsOption,
            explainOption,
        };
        command.SetAction(parseResult =>
        {
            var instanceFile = parseResult.GetValue(instanceArgument)!;
            var outFile = parseResult.GetValue(outOption);
            var dimacsFile = parseResult.GetValue(dimacsOption);
            bool explain = parseResult.GetValue(explainOption);
            return RunMatch(instanceFile, outFile, dimacsFile, explain, Console.Out, Console.Error);
        });
        return command;
    }

    public static Command GenerateInstance()
    {
        var peopleOption = new Option<int>("--people") { Description = "Number of people", Required = true };
        var skillsOption = new Option<int>("--skills") { Description = "Number of skills", Required = true };
        var seedOption = new Option<ulong>("--seed") { Description = "Random seed (same seed, same instance)", DefaultValueFactory = _ => 1 };
        var zipfOption = new Option<double>("--zipf") { Description = "Zipf exponent of skill popularity", DefaultValueFactory = _ => 1.0 };
        var chainOption = new Option<bool>("--whole-chain") { Description = "Set excludeWholeReportingChain in the instance settings" };
        var softOption = new Option<bool>("--soft-last-pairs") { Description = "Penalise last cycle's pairs instead of excluding them" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Where to write the instance JSON (default: standard output)" };
        var command = new Command("generate-instance", "Write a synthetic organisation: reporting tree, departments, Zipf skill popularity, ~3 shares and ~3 wants a person")
        {
            peopleOption,
            skillsOption,
            seedOption,
            zipfOption,
            chainOption,
            softOption,
            outOption,
        };
        command.SetAction(parseResult =>
        {
            int people = parseResult.GetValue(peopleOption);
            int skills = parseResult.GetValue(skillsOption);
            if (people < 1 || skills < 1)
            {
                Console.Error.WriteLine("error: --people and --skills must be at least 1");
                return InvalidInput;
            }
            var options = new GeneratorOptions(people, skills, parseResult.GetValue(seedOption))
            {
                ZipfExponent = parseResult.GetValue(zipfOption),
                WholeChain = parseResult.GetValue(chainOption),
                LastCyclePairs = parseResult.GetValue(softOption) ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
            };
            string json = PlanJson.Serialize(InstanceGenerator.Generate(options));
            var outFile = parseResult.GetValue(outOption);
            if (outFile is null)
            {
                Console.Out.Write(json);
            }
            else
            {
                File.WriteAllText(outFile.FullName, json, Utf8NoBom);
                Console.Error.WriteLine($"wrote {outFile.FullName}: {people} people, {skills} skills");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Runs <c>match</c>; returns the exit code (0, or 2 for unreadable or invalid input).</summary>
    public static int RunMatch(FileInfo instanceFile, FileInfo? outFile, FileInfo? dimacsFile, bool explain, TextWriter output, TextWriter error)
    {
        var clock = Stopwatch.StartNew();
        string json;
        try
        {
            json = File.ReadAllText(instanceFile.FullName);
        }
        catch (IOException ex)
        {
            error.WriteLine($"error: cannot read {instanceFile.FullName}: {ex.Message}");
            return InvalidInput;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"error: cannot read {instanceFile.FullName}: {ex.Message}");
            return InvalidInput;
        }

        MatchResult result;
        try
        {
            result = Matcher.Match(json, message => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {message}"));
        }
        catch (InstanceValidationException ex)
        {
            error.WriteLine($"error: invalid instance {instanceFile.Name}: {ex.Message}");
            return InvalidInput;
        }

        var plan = result.Plan;
        string planPath = outFile?.FullName ?? Path.ChangeExtension(instanceFile.FullName, null) + ".plan.json";
        File.WriteAllText(planPath, PlanJson.Serialize(plan), Utf8NoBom);
        if (dimacsFile is not null)
        {
            using var writer = new StreamWriter(dimacsFile.FullName, append: false, Utf8NoBom, bufferSize: 1 << 16);
            result.WriteDimacs(writer);
        }
        if (explain) Explain(plan, output);

        var s = plan.Summary;
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"learners served:        {s.LearnersServed:N0} / {s.LearnersWithWants:N0} learners with wants (relaxation upper bound {s.RelaxationLearnersServedUpperBound:N0})"));
        output.WriteLine(string.Create(culture, $"wants met:              {s.WantsMet:N0} / {s.Wants:N0} (high {s.HighPriorityWantsMet:N0}, medium {s.MediumPriorityWantsMet:N0}, low {s.LowPriorityWantsMet:N0})"));
        output.WriteLine(string.Create(culture, $"sessions:               {s.Sessions:N0} ({s.OneToOneSessions:N0} one-to-one, {s.GroupSessions:N0} groups with {s.LearnersInGroups:N0} learners)"));
        output.WriteLine(string.Create(culture, $"cross-department share: {s.CrossDepartmentPerMille / 10.0:F1}% ({s.CrossDepartmentAssignments:N0} assignments)"));
        output.WriteLine(string.Create(culture, $"objective:              {plan.Objective}"));
        output.WriteLine(string.Create(culture, $"network:                {result.Statistics.Nodes:N0} nodes, {result.Statistics.Arcs:N0} arcs"));
        output.WriteLine(string.Create(culture, $"time:                   {clock.Elapsed.TotalSeconds:F2}s (solve {result.Statistics.SolveTime.TotalSeconds:F2}s)"));
        output.WriteLine(string.Create(culture, $"peak memory:            {Environment.WorkingSet / 1048576.0:F0} MiB working set now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB peak"));
        output.WriteLine($"plan written to {planPath}");
        return 0;
    }

    private static void Explain(MatchPlan plan, TextWriter output)
    {
        foreach (var session in plan.Sessions)
        {
            string kind = session.Kind == SessionKind.OneToOne ? "one-to-one" : "group";
            output.WriteLine($"{session.TeacherId} teaches {session.SkillId} ({kind}, {session.DurationMinutes} min):");
            foreach (var learner in session.Learners)
                output.WriteLine($"  {learner.LearnerId}: {string.Join("; ", learner.Reasons)}");
        }
        foreach (var unmet in plan.UnmetWants)
            output.WriteLine($"unmet: {unmet.LearnerId} wants {unmet.SkillId} ({unmet.Priority.ToString().ToLowerInvariant()}): {unmet.Reason}");
    }
}
