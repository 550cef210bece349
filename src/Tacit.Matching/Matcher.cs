using System.Diagnostics;
using System.Globalization;

namespace Tacit.Matching;

/// <summary>Figures about one solve that are not part of the (byte-stable) plan: sizes and timings.</summary>
public sealed class SolveStatistics
{
    public int Nodes { get; init; }
    public int Arcs { get; init; }
    public int SpecialWants { get; init; }
    public long Phases { get; init; }
    public long Augmentations { get; init; }
    public long SettledNodes { get; init; }
    /// <summary>Reading the instance's JSON into records (zero when the caller passed the records).</summary>
    public TimeSpan ReadTime { get; init; }
    /// <summary>Validating the instance and mapping it to indices (zero when the caller passed a compiled instance).</summary>
    public TimeSpan CompileTime { get; init; }
    /// <summary>What the engine itself took: compiling, building, solving and making the plan (not reading JSON).</summary>
    public TimeSpan EngineTime => CompileTime + BuildTime + SolveTime + ExtractTime;
    public TimeSpan BuildTime { get; init; }
    public TimeSpan SolveTime { get; init; }
    /// <summary>Turning the flow into the plan: sessions, reasons, unmet wants with reasons, summary.</summary>
    public TimeSpan ExtractTime { get; init; }
    /// <summary>Solves made after the first because of group-composition cuts (0: the first solve packed).</summary>
    public int GroupCompositionRounds { get; init; }
    /// <summary>Of those, the solves on a new network: a warm start from the previous optimum would not have been exact (see <see cref="MinCostFlowSolver.LowerCapacity"/>).</summary>
    public int GroupCompositionNewNetworks { get; init; }
    /// <summary>
    /// The plan is proven lexicographically optimal under every rule: it needed no cut, or after cuts its value still
    /// equals the first relaxation's optimum, which bounds every plan (docs/matching.md, "Groups").
    /// </summary>
    public bool ProvenOptimal { get; init; } = true;
    /// <summary>Nodes of the exact search after cuts (0: not needed, or the organisation too large for it; see <see cref="GroupCompositionSearch"/>).</summary>
    public int GroupCompositionSearchNodes { get; init; }
}

/// <summary>The plan plus what is needed to export the exact network it optimises.</summary>
public sealed class MatchResult
{
    internal MatchResult(MatchPlan plan, SolveStatistics statistics, MatchingNetwork network)
    {
        Plan = plan;
        Statistics = statistics;
        Network = network;
    }

    public MatchPlan Plan { get; }
    public SolveStatistics Statistics { get; }
    internal MatchingNetwork Network { get; }

    /// <summary>Writes the optimised network in DIMACS min-cost flow format; its minimum cost equals <see cref="MatchPlan.Objective"/>.</summary>
    public void WriteDimacs(TextWriter writer) => Dimacs.Write(Network.Network, writer);
}

public static class Matcher
{
    /// <summary>Parses, validates and matches an instance given as JSON text.</summary>
    public static MatchResult Match(string instanceJson, Action<string>? progress = null) =>
        Read(() => InstanceJson.Parse(instanceJson), progress);

    /// <summary>Parses (strictly: see docs/matching.md), validates and matches an instance given as UTF-8 JSON bytes.</summary>
    public static MatchResult Match(ReadOnlySpan<byte> instanceUtf8Json, Action<string>? progress = null)
    {
        long start = Stopwatch.GetTimestamp();
        var document = InstanceJson.Parse(instanceUtf8Json);
        return Match(document, progress, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Parses (strictly), validates and matches an instance read from a seekable UTF-8 stream, such as a file, without holding its bytes.</summary>
    public static MatchResult Match(Stream instanceUtf8Json, Action<string>? progress = null) =>
        Read(() => InstanceJson.Parse(instanceUtf8Json), progress);

    private static MatchResult Read(Func<InstanceDocument> read, Action<string>? progress)
    {
        long start = Stopwatch.GetTimestamp();
        var document = read();
        return Match(document, progress, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Validates and matches an instance.</summary>
    public static MatchResult Match(InstanceDocument instance, Action<string>? progress = null) => Match(instance, progress, TimeSpan.Zero);

    private static MatchResult Match(InstanceDocument instance, Action<string>? progress, TimeSpan readTime)
    {
        if (readTime > TimeSpan.Zero)
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"instance read in {readTime.TotalSeconds:F2}s"));
        long start = Stopwatch.GetTimestamp();
        var compiled = CompiledInstance.Compile(instance);
        return Solve(compiled, progress, Stopwatch.GetElapsedTime(start), readTime);
    }

    internal static MatchResult Solve(CompiledInstance instance, Action<string>? progress, TimeSpan compileTime = default, TimeSpan readTime = default)
    {
        var clock = Stopwatch.StartNew();
        var built = new MatchingNetwork(instance);
        var buildTime = clock.Elapsed;
        progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"network: {built.Network.NodeCount:N0} nodes, {built.Network.ArcCount:N0} arcs ({built.SpecialWants:N0} wants with pair-specific arcs), built in {buildTime.TotalSeconds:F2}s"));
        if (progress is not null)
        {
            var byRole = new long[Enum.GetValues<NodeRole>().Length];
            foreach (var arc in built.Network.Arcs) byRole[(int)built.Role[arc.Tail]]++;
            progress(string.Join(", ", Enum.GetValues<NodeRole>().Select(r => string.Create(CultureInfo.InvariantCulture, $"{r}: {byRole[(int)r]:N0} arcs"))));
        }

        clock.Restart();
        var solver = new MinCostFlowSolver(built.Network);
        var setupTime = clock.Elapsed;
        solver.Solve();
        var flow = Flows(built, solver);
        var solveTime = clock.Elapsed;
        progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"solved in {solveTime.TotalSeconds:F2}s (solver set up in {setupTime.TotalSeconds:F2}s; {solver.Phases:N0} shortest-path phases ({solver.ZeroLengthPhases:N0} of length 0) and {solver.Refreshes:N0} potential refreshes settling {solver.SettledNodes:N0} nodes, {solver.BlockingRounds:N0} blocking-flow rounds in {solver.BlockingRounds + solver.BlockingPasses:N0} passes, {solver.Augmentations:N0} augmenting paths; depth-first {solver.BlockingTime.TotalSeconds:F2}s, Dijkstra {solver.DijkstraTime.TotalSeconds:F2}s, refreshes {solver.RefreshTime.TotalSeconds:F2}s)"));

        clock.Restart();
        try
        {
            var plan = PlanBuilder.Build(instance, built, flow);
            return new MatchResult(plan, Statistics(built, solver, readTime, compileTime, buildTime, solveTime, clock.Elapsed), built);
        }
        catch (GroupPackingException cut)
        {
            var served = new HashSet<int>();
            for (int w = 0; w < instance.WantCount; w++)
                if (built.WantArc[w] >= 0 && flow[built.WantArc[w]] > 0) served.Add(instance.WantLearner[w]);
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"group composition: {cut.Shares.Count} share(s) cannot pack their learners into allowed groups, found in {clock.Elapsed.TotalSeconds:F2}s"));
            var times = new SolveTimes(readTime, compileTime, buildTime, solveTime, clock.Elapsed);
            return SolveWithGroupCuts(instance, built, solver, flow, progress, times, served.Count, cut);
        }
    }

    /// <summary>The solver's flow on each arc, in <paramref name="reuse"/> when it has the network's size (a cut round reads
    /// the same network again: a new array of 19 M arcs would cost a fresh page of memory for every 1,024 of them).</summary>
    internal static int[] Flows(MatchingNetwork built, MinCostFlowSolver solver, int[]? reuse = null)
    {
        var flow = reuse?.Length == built.Network.ArcCount ? reuse : new int[built.Network.ArcCount];
        for (int a = 0; a < flow.Length; a++) flow[a] = solver.Flow(a);
        return flow;
    }

    private sealed record SolveTimes(TimeSpan Read, TimeSpan Compile, TimeSpan Build, TimeSpan Solve, TimeSpan Extract);

    private static SolveStatistics Statistics(MatchingNetwork built, MinCostFlowSolver solver, TimeSpan readTime, TimeSpan compileTime, TimeSpan buildTime, TimeSpan solveTime, TimeSpan extractTime,
        int rounds = 0, bool provenOptimal = true, int newNetworks = 0, int searchNodes = 0) => new()
    {
        GroupCompositionSearchNodes = searchNodes,
        GroupCompositionRounds = rounds,
        GroupCompositionNewNetworks = newNetworks,
        ProvenOptimal = provenOptimal,
        Nodes = built.Network.NodeCount,
        Arcs = built.Network.ArcCount,
        SpecialWants = built.SpecialWants,
        Phases = solver.Phases,
        Augmentations = solver.Augmentations,
        SettledNodes = solver.SettledNodes,
        ReadTime = readTime,
        CompileTime = compileTime,
        BuildTime = buildTime,
        SolveTime = solveTime,
        ExtractTime = extractTime,
    };

    /// <summary>
    /// The optimal relaxation put more learners on a share than allowed groups can hold (members pairwise allowed, a
    /// common hour). Lowers that share's learner capacity to what was packable minus one and solves again, until every
    /// share packs. Each solve starts from the previous optimum: the lowered shares give the units they lose back to
    /// their learners' side and only those are routed again (a new network only when that would not be exact; see
    /// <see cref="MinCostFlowSolver.LowerCapacity"/>). The first solve's learners served stays in the summary as the
    /// upper bound; the plan reports the number of cuts (see docs/matching.md: with no cut the plan is the exact optimum).
    /// The statistics count every build, solve and plan attempt.
    /// </summary>
    private static MatchResult SolveWithGroupCuts(CompiledInstance instance, MatchingNetwork built, MinCostFlowSolver solver, int[] flow, Action<string>? progress,
        SolveTimes times, int upperBound, GroupPackingException first)
    {
        instance.ShareCapacityLimit ??= [.. Enumerable.Range(0, instance.ShareCount).Select(instance.ShareLearnerCapacity)];
        var (buildTime, solveTime, extractTime) = (times.Build, times.Solve, times.Extract);
        var cut = first;
        int cuts = 0, rounds = 0, newNetworks = 0;
        while (true)
        {
            rounds++;
            cuts += cut.Shares.Count;
            foreach (var (share, wants) in cut.Shares) instance.ShareCapacityLimit[share] = wants.Length - 1;
            var clock = Stopwatch.StartNew();
            if (!LowerShares(instance, built, solver, cut.Shares))
            {
                newNetworks++;
                built = new MatchingNetwork(instance);
                buildTime += clock.Elapsed;
                clock.Restart();
                solver = new MinCostFlowSolver(built.Network);
            }
            solver.Solve();
            flow = Flows(built, solver, flow);
            var roundSolve = clock.Elapsed;
            solveTime += roundSolve;
            clock.Restart();
            void Report(string outcome) => progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"group composition round {rounds}: {cut.Shares.Count} share(s) cut, solved again in {roundSolve.TotalSeconds:F2}s, {outcome} in {clock.Elapsed.TotalSeconds:F2}s"));
            try
            {
                var plan = PlanBuilder.Build(instance, built, flow, upperBound, cuts);
                extractTime += clock.Elapsed;
                Report("plan made");
                // The cut plan keeps every rule; it is optimal when it lost nothing against the first relaxation.
                bool proven = plan.Value == first.Relaxation;
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"group composition: {cuts} cut(s) in {rounds} more solve(s) ({newNetworks} on a new network); {(proven ? "the plan equals the relaxation's optimum, so it is optimal" : "the plan is below the relaxation's optimum, so it is not proven optimal yet")} (learners with the first-session bonus, priority weight, net pair score: plan {Levels(plan.Value)}, relaxation {Levels(first.Relaxation)})"));
                int searchNodes = 0;
                if (!proven)
                {
                    // Small organisations get the exact search: it proves the cut plan optimal or finds the optimum.
                    clock.Restart();
                    var search = GroupCompositionSearch.Search(instance, first, plan.Value, built.Network.ArcCount, upperBound, cuts);
                    solveTime += clock.Elapsed;
                    searchNodes = search.Nodes;
                    if (search.Better is { } better) (plan, built, solver) = (better, search.Network!, search.Solver!);
                    proven = search.Complete;
                    if (searchNodes > 0)
                        progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                            $"group composition: exact search of {searchNodes:N0} node(s) in {clock.Elapsed.TotalSeconds:F2}s; {(search.Complete ? (search.Better is null ? "the cut plan is optimal" : $"found the optimum, {Levels(plan.Value)}") : "stopped at its budget, so the cut plan is not proven optimal")}"));
                }
                return new MatchResult(plan, Statistics(built, solver, times.Read, times.Compile, buildTime, solveTime, extractTime, rounds, proven, newNetworks, searchNodes), built);
            }
            catch (GroupPackingException next)
            {
                extractTime += clock.Elapsed;
                Report($"{next.Shares.Count} share(s) still cannot pack, found");
                cut = next;
            }
        }
    }

    private static string Levels(LexicographicValue value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.Served:N0}, {value.PriorityWeight:N0}, {value.NetScore:N0}");

    /// <summary>Lowers the cut shares' arcs to their new capacity in the solved network; false when a warm start would not be exact.</summary>
    private static bool LowerShares(CompiledInstance instance, MatchingNetwork built, MinCostFlowSolver solver, IReadOnlyList<UnpackedShare> shares)
    {
        foreach (var (share, _) in shares)
        {
            int capacity = instance.ShareLearnerCapacity(share);
            int oneToOne = Math.Min(instance.ShareSessions[share], capacity);
            if (!solver.LowerCapacity(built.ShareOneToOneArc[share], oneToOne)) return false;
            int overflowArc = built.ShareOverflowArc[share];
            if (overflowArc >= 0 ? !solver.LowerCapacity(overflowArc, capacity - oneToOne) : capacity > oneToOne) return false;
        }
        return true;
    }

    /// <summary>
    /// Finds the best next assignments for the learners of <paramref name="declined"/> without moving anyone else:
    /// every other assignment of <paramref name="current"/> stays, capacities are what it leaves free, the declined
    /// (learner, teacher) pairs are excluded, and only the affected learners' unmet wants are matched. A facilitator's
    /// <paramref name="excluded"/> pairs stay excluded. The unmet wants' reasons count the kept sessions too.
    /// </summary>
    public static RematchResult Rematch(InstanceDocument instance, MatchPlan current, IReadOnlyList<AssignmentRef> declined,
        IReadOnlyList<ExcludedPair>? excluded = null)
    {
        // Validate the full instance first so errors name records of the caller's input, not of the reduced instance.
        CompiledInstance.Compile(instance);
        var declinedSet = new HashSet<AssignmentRef>(declined);
        var keptPerLearner = new Dictionary<string, int>(StringComparer.Ordinal);
        var keptWants = new HashSet<(string Learner, string Skill)>();
        var keptInOrder = new List<(string Learner, string Skill)>();
        var usedSessions = new Dictionary<(string Teacher, string Skill), int>();
        var taughtSessions = new Dictionary<string, int>(StringComparer.Ordinal); // kept sessions per teacher, against maxTeacherSessions
        var found = new HashSet<AssignmentRef>();
        foreach (var session in current.Sessions)
        {
            bool sessionKept = false;
            foreach (var learner in session.Learners)
            {
                var reference = new AssignmentRef(learner.LearnerId, session.TeacherId, session.SkillId);
                if (declinedSet.Contains(reference)) { found.Add(reference); continue; }
                sessionKept = true;
                keptPerLearner[learner.LearnerId] = keptPerLearner.GetValueOrDefault(learner.LearnerId) + 1;
                if (keptWants.Add((learner.LearnerId, session.SkillId))) keptInOrder.Add((learner.LearnerId, session.SkillId));
            }
            if (sessionKept)
            {
                usedSessions[(session.TeacherId, session.SkillId)] = usedSessions.GetValueOrDefault((session.TeacherId, session.SkillId)) + 1;
                taughtSessions[session.TeacherId] = taughtSessions.GetValueOrDefault(session.TeacherId) + 1;
            }
        }
        foreach (var reference in declined)
        {
            if (!found.Contains(reference))
                throw new InstanceValidationException($"declined assignment (learnerId \"{reference.LearnerId}\", teacherId \"{reference.TeacherId}\", skillId \"{reference.SkillId}\") is not in the current plan");
        }

        var affected = new HashSet<string>(declined.Select(d => d.LearnerId), StringComparer.Ordinal);
        var reduced = new InstanceDocument
        {
            Settings = instance.Settings,
            Skills = instance.Skills,
            LastCyclePairs = instance.LastCyclePairs,
            People = [.. instance.People.Select(p => new PersonRecord
            {
                Id = p.Id,
                Department = p.Department,
                ManagerId = p.ManagerId,
                AuthorityLevel = p.AuthorityLevel,
                MaxLearnerSessions = affected.Contains(p.Id!) ? Math.Max(0, p.MaxLearnerSessions - keptPerLearner.GetValueOrDefault(p.Id!)) : 0,
                Availability = p.Availability,
                MaxTeacherSessions = p.MaxTeacherSessions is { } cap ? Math.Max(0, cap - taughtSessions.GetValueOrDefault(p.Id!)) : null,
            })],
            Shares = [.. instance.Shares.Select(s => new ShareRecord
            {
                TeacherId = s.TeacherId,
                SkillId = s.SkillId,
                Level = s.Level,
                Sessions = Math.Max(0, s.Sessions - usedSessions.GetValueOrDefault((s.TeacherId!, s.SkillId!))),
                AcceptsGroups = s.AcceptsGroups,
                MaxGroupSize = s.MaxGroupSize,
            })],
            Wants = [.. instance.Wants.Where(w => affected.Contains(w.LearnerId!) && !keptWants.Contains((w.LearnerId!, w.SkillId!)))],
        };
        var alreadyServed = new HashSet<string>(affected.Where(id => keptPerLearner.GetValueOrDefault(id) > 0), StringComparer.Ordinal);
        var compiled = CompiledInstance.Compile(reduced, [.. declined.Select(d => (d.LearnerId, d.TeacherId))], alreadyServed,
            excluded?.Select(e => (e.LearnerId, e.TeacherId)).ToList());
        var priorities = instance.Wants.ToDictionary(w => (w.LearnerId, w.SkillId), w => w.Priority);
        compiled.Earlier = EarlierPlacements.Resolve(compiled, Placement.Kept,
            keptInOrder.Where(k => affected.Contains(k.Learner)).Select(k => (k.Learner, k.Skill, priorities.GetValueOrDefault((k.Learner, k.Skill), Priority.Medium))),
            usedSessions.Select(u => (u.Key.Teacher, u.Key.Skill, u.Value)));
        var result = Solve(compiled, progress: null);
        return new RematchResult
        {
            Objective = result.Plan.Objective,
            NewSessions = result.Plan.Sessions,
            UnmetWants = result.Plan.UnmetWants,
        };
    }
}
