using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tacit.Matching;

namespace Tacit.Cli.Matching;

/// <summary>The matching commands of the tacit CLI: <c>match</c> and <c>generate-instance</c>.</summary>
public static class MatchingCommands
{
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
        var peopleOption = new Option<int>("--people") { Description = "Number of people (at least 1)", Required = true };
        var skillsOption = new Option<int>("--skills") { Description = "Number of skills (at least 1)", Required = true };
        var seedOption = new Option<ulong>("--seed") { Description = "Random seed (same seed, same instance)", DefaultValueFactory = _ => 1 };
        var zipfOption = new Option<double>("--zipf") { Description = "Zipf exponent of skill popularity", DefaultValueFactory = _ => 1.0 };
        var chainOption = new Option<bool>("--whole-chain") { Description = "Set excludeWholeReportingChain in the instance settings" };
        var softOption = new Option<bool>("--soft-last-pairs") { Description = "Penalise last cycle's pairs instead of excluding them" };
        var zonesOption = new Option<int>("--zones") { Description = "Give people weekly availability in 1-3 time zones (UTC, UTC+1, UTC-5); 0 = none (default)", DefaultValueFactory = _ => 0 };
        var softHoursOption = new Option<bool>("--soft-availability") { Description = "Penalise pairs without a common hour instead of excluding them" };
        var capsOption = new Option<double>("--teacher-caps") { Description = "Share of people with a cap of 1-3 sessions taught across skills (0 to 1)", DefaultValueFactory = _ => 0 };
        var gapOption = new Option<int?>("--max-gap") { Description = "Set maxAuthorityGap: no pair further apart in authority than this" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Where to write the instance JSON (default: standard output)" };
        var command = new Command("generate-instance", "Write a synthetic organisation: reporting tree, departments, Zipf skill popularity, ~3 shares and ~3 wants a person")
        {
            peopleOption,
            skillsOption,
            seedOption,
            zipfOption,
            chainOption,
            softOption,
            zonesOption,
            softHoursOption,
            capsOption,
            gapOption,
            outOption,
        };
        command.SetAction(parseResult =>
        {
            int people = parseResult.GetValue(peopleOption);
            int skills = parseResult.GetValue(skillsOption);
            double zipf = parseResult.GetValue(zipfOption);
            if (people < 1 || skills < 1) throw new CliInputException("--people and --skills must be at least 1");
            if (!double.IsFinite(zipf)) throw new CliInputException("--zipf must be a finite number");
            int zones = parseResult.GetValue(zonesOption);
            double caps = parseResult.GetValue(capsOption);
            int? gap = parseResult.GetValue(gapOption);
            if (zones is < 0 or > 3) throw new CliInputException("--zones must be 0, 1, 2 or 3");
            if (!(caps is >= 0 and <= 1)) throw new CliInputException("--teacher-caps must be between 0 and 1");
            if (gap < 0) throw new CliInputException("--max-gap must not be negative");
            // Before any work: an --out that cannot be written fails at once.
            using var outFile = parseResult.GetValue(outOption) is { } path ? OutputFile.Create(path.FullName, "--out") : null;
            var options = new GeneratorOptions(people, skills, parseResult.GetValue(seedOption))
            {
                ZipfExponent = zipf,
                WholeChain = parseResult.GetValue(chainOption),
                LastCyclePairs = parseResult.GetValue(softOption) ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
                TimeZones = zones,
                Availability = parseResult.GetValue(softHoursOption) ? AvailabilityRule.Soft : AvailabilityRule.Hard,
                TeacherCapFraction = caps,
                MaxAuthorityGap = gap,
            };
            string json = PlanJson.Serialize(InstanceGenerator.Generate(options));
            if (outFile is null)
            {
                Console.Out.Write(json);
            }
            else
            {
                outFile.Stream.Write(Utf8NoBom.GetBytes(json));
                outFile.Commit();
                Console.Error.WriteLine($"wrote {outFile.Path}: {people} people, {skills} skills");
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Runs <c>match</c>: results (the summary, <c>--explain</c>) on <paramref name="output"/>, progress on <paramref name="error"/>.
    /// The output paths are checked before the instance is solved, and the plan and network are written whole or not at all.
    /// </summary>
    /// <exception cref="CliInputException">An unreadable instance or an output path that cannot be written.</exception>
    /// <exception cref="InstanceValidationException">An invalid instance.</exception>
    public static int RunMatch(FileInfo instanceFile, FileInfo? outFile, FileInfo? dimacsFile, bool explain, TextWriter output, TextWriter error)
    {
        var clock = Stopwatch.StartNew();
        string planPath = outFile?.FullName ?? Path.ChangeExtension(instanceFile.FullName, null) + ".plan.json";
        if (dimacsFile is not null && string.Equals(Path.GetFullPath(planPath), dimacsFile.FullName, StringComparison.Ordinal))
            throw new CliInputException($"--export-dimacs {dimacsFile.FullName} is also the plan's path; give them different files");
        // Read as a stream: the instance is never held whole in memory (issue 13: a 100,000-person instance is ~100 MB).
        FileStream json;
        try
        {
            json = new FileStream(instanceFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read {instanceFile.FullName}: {ex.Message}");
        }
        using var instanceStream = json;
        using var planFile = OutputFile.Create(planPath, outFile is null ? "the plan" : "--out");
        using var dimacs = dimacsFile is null ? null : OutputFile.Create(dimacsFile.FullName, "--export-dimacs");

        MatchResult? result;
        try
        {
            result = Matcher.Match(json, message => error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {message}"));
        }
        catch (InstanceValidationException ex)
        {
            throw new InstanceValidationException($"invalid instance {instanceFile.Name}: {ex.Message}");
        }
        catch (IOException ex)
        {
            throw new CliInputException($"cannot read {instanceFile.FullName}: {ex.Message}");
        }

        instanceStream.Dispose();
        var plan = result.Plan;
        var statistics = result.Statistics;
        if (dimacs is not null)
        {
            using var writer = new StreamWriter(dimacs.Stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true);
            result.WriteDimacs(writer);
        }
        // The network is not needed any more: its memory is free while the plan is written.
        result = null;
        long writing = Stopwatch.GetTimestamp();
        PlanJson.Serialize(plan, planFile.Stream);
        dimacs?.Commit();
        planFile.Commit();
        var written = Stopwatch.GetElapsedTime(writing); // with flushing it to disk
        if (explain) Explain(plan, output);

        var s = plan.Summary;
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"learners served:        {s.LearnersServed:N0} / {s.LearnersWithWants:N0} learners with wants (relaxation upper bound {s.RelaxationLearnersServedUpperBound:N0})"));
        output.WriteLine(string.Create(culture, $"wants met:              {s.WantsMet:N0} / {s.Wants:N0} (high {s.HighPriorityWantsMet:N0}, medium {s.MediumPriorityWantsMet:N0}, low {s.LowPriorityWantsMet:N0})"));
        output.WriteLine(string.Create(culture, $"sessions:               {s.Sessions:N0} ({s.OneToOneSessions:N0} one-to-one, {s.GroupSessions:N0} groups with {s.LearnersInGroups:N0} learners)"));
        output.WriteLine(string.Create(culture, $"cross-department share: {s.CrossDepartmentPerMille / 10.0:F1}% ({s.CrossDepartmentAssignments:N0} assignments)"));
        output.WriteLine(string.Create(culture, $"objective:              {plan.Objective}"));
        output.WriteLine(string.Create(culture, $"network:                {statistics.Nodes:N0} nodes, {statistics.Arcs:N0} arcs"));
        // The engine's own time beside the command's: issue 13 asks the whole command to stay within 1.2x the engine.
        var engine = statistics.EngineTime;
        output.WriteLine(string.Create(culture, $"time:                   {clock.Elapsed.TotalSeconds:F2}s: engine {engine.TotalSeconds:F2}s (compile {statistics.CompileTime.TotalSeconds:F2}s, network {statistics.BuildTime.TotalSeconds:F2}s, solve {statistics.SolveTime.TotalSeconds:F2}s, plan {statistics.ExtractTime.TotalSeconds:F2}s), reading the instance {statistics.ReadTime.TotalSeconds:F2}s, writing the plan {written.TotalSeconds:F2}s"));
        output.WriteLine(string.Create(culture, $"peak memory:            {Environment.WorkingSet / 1048576.0:F0} MiB working set now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB peak"));
        output.WriteLine($"plan written to {planFile.Path}");
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
