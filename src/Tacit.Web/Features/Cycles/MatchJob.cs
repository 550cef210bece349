using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Matching;
using Tacit.Web.Data;
using DomainPriority = Tacit.Domain.Skills.Priority;
using DomainSessionKind = Tacit.Domain.Cycles.SessionKind;
using DomainUnmetWant = Tacit.Domain.Cycles.UnmetWant;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// Does one match run: reads the cycle's participants, wants, shares and intake limits, applies the facilitator's
/// pins and exclusions, runs the engine on a thread of its own, and stores proposals, unmet wants and figures.
/// Progress is written to the run as it goes, so any app instance can show it.
/// </summary>
public sealed class MatchJob(TacitDbContext db, TimeProvider clock, ILogger<MatchJob> logger)
{
    private const string NoDepartment = "No department";

    public async Task ExecuteAsync(Guid runId, CancellationToken ct)
    {
        var run = await db.MatchRuns.SingleAsync(r => r.Id == runId, ct);
        try
        {
            await RunAsync(run, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Match run {Run} failed", runId);
            db.ChangeTracker.Clear();
            var failed = await db.MatchRuns.SingleAsync(r => r.Id == runId, CancellationToken.None);
            failed.Fail(e is InstanceValidationException ? $"The data could not be matched: {e.Message}" : "The run failed unexpectedly; the error is in the server log.", clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private async Task ReportAsync(MatchRun run, int percent, string stage, CancellationToken ct)
    {
        run.Report(percent, stage);
        await db.SaveChangesAsync(ct);
    }

    private async Task RunAsync(MatchRun run, CancellationToken ct)
    {
        var cycle = await db.Cycles.SingleAsync(c => c.Id == run.CycleId, ct);
        await ReportAsync(run, 3, "Reading the intake", ct);
        var input = await ReadAsync(cycle, run, ct);
        await ReportAsync(run, 15, $"Matching {input.Learners:N0} learners with {input.Instance.Shares.Count:N0} offers to share", ct);

        string latest = "";
        var watch = Stopwatch.StartNew();
        var solve = Task.Factory.StartNew(() => ConstrainedMatcher.Match(input.Instance, input.Excluded, input.PinnedLearners, m =>
            {
                // Only the engine's headline lines are meant for people; the rest is for the command line.
                if (m.StartsWith("placed", StringComparison.Ordinal)) Volatile.Write(ref latest, "(" + m + ")");
            }),
            ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!solve.IsCompleted)
        {
            await Task.WhenAny(solve, Task.Delay(TimeSpan.FromSeconds(1), clock, ct));
            if (solve.IsCompleted) break;
            // The engine's own progress lines say where it is; the bar creeps towards 85 % meanwhile.
            int percent = 15 + (int)(70 * (1 - Math.Exp(-watch.Elapsed.TotalSeconds / 20)));
            await ReportAsync(run, percent, $"Matching, {watch.Elapsed.TotalSeconds:F0} s so far {Volatile.Read(ref latest)}".TrimEnd(), ct);
        }
        var result = await solve;
        await ReportAsync(run, 88, "Saving the proposals", ct);
        var figures = await SaveAsync(run, input, result.Plan, ct);
        run.Succeed(figures, clock.GetUtcNow());
        cycle.RecordMatch();
        await db.SaveChangesAsync(ct);
    }

    private sealed record Input(InstanceDocument Instance, List<ExcludedPair> Excluded, HashSet<string> PinnedLearners, List<PairRule> Pins,
        int Participants, int Learners, Dictionary<Guid, string> Names, Dictionary<Guid, string> Departments);

    private async Task<Input> ReadAsync(Cycle cycle, MatchRun run, CancellationToken ct)
    {
        var participants = Participants.Of(db, cycle);
        var participantIds = (await participants.Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var limits = await db.IntakeResponses.Where(r => r.CycleId == cycle.Id).Select(r => new { r.PersonId, r.MaxLearnerSessions }).ToDictionaryAsync(r => r.PersonId, r => r.MaxLearnerSessions, ct);
        // Everyone is in the instance so that reporting chains are complete; only participants learn or teach.
        var people = await db.People.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.DisplayName, p.Department, p.ManagerId, p.AuthorityLevel }).ToListAsync(ct);
        var shares = await db.Shares.AsNoTracking().Join(participants, s => s.PersonId, p => p.Id, (s, p) => s).OrderBy(s => s.Id).ToListAsync(ct);
        var wants = await db.Wants.AsNoTracking().Join(participants, w => w.PersonId, p => p.Id, (w, p) => w).OrderBy(w => w.Id).ToListAsync(ct);
        var skills = await db.Skills.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var rules = await db.PairRules.AsNoTracking().Where(r => r.CycleId == cycle.Id).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        var lastPairs = await LastCyclePairsAsync(cycle, ct);

        var maxSessions = people.ToDictionary(p => p.Id, p => participantIds.Contains(p.Id) ? limits.GetValueOrDefault(p.Id, IntakeResponse.DefaultLearnerSessions) : 0);
        var shareSessions = shares.ToDictionary(s => (s.PersonId, s.SkillId), s => s.SessionsPerCycle);
        var pinnedWants = new HashSet<(Guid, Guid)>();
        var pins = new List<PairRule>();
        // A pin takes one of the teacher's sessions and one of the learner's before the engine sees them.
        foreach (var pin in rules.Where(r => r.Kind == PairRuleKind.Pin))
        {
            if (!participantIds.Contains(pin.LearnerId) || maxSessions[pin.LearnerId] <= 0) continue;
            if (!wants.Any(w => w.PersonId == pin.LearnerId && w.SkillId == pin.SkillId) || pinnedWants.Contains((pin.LearnerId, pin.SkillId))) continue;
            if (shareSessions.GetValueOrDefault((pin.TeacherId, pin.SkillId)) <= 0) continue;
            shareSessions[(pin.TeacherId, pin.SkillId)]--;
            maxSessions[pin.LearnerId]--;
            pinnedWants.Add((pin.LearnerId, pin.SkillId));
            pins.Add(pin);
        }

        var instance = new InstanceDocument
        {
            People = [.. people.Select(p => new PersonRecord
            {
                Id = Key(p.Id), Department = p.Department.Length == 0 ? NoDepartment : p.Department,
                ManagerId = p.ManagerId is { } m ? Key(m) : null, AuthorityLevel = p.AuthorityLevel, MaxLearnerSessions = maxSessions[p.Id],
            })],
            Skills = [.. skills.Select(s => new SkillRecord { Id = Key(s.Id), Name = s.Name })],
            Shares = [.. shares.Select(s => new ShareRecord
            {
                TeacherId = Key(s.PersonId), SkillId = Key(s.SkillId), Level = s.Level, Sessions = shareSessions[(s.PersonId, s.SkillId)],
                AcceptsGroups = s.AcceptsGroups, MaxGroupSize = s.MaxGroupSize,
            })],
            Wants = [.. wants.Where(w => !pinnedWants.Contains((w.PersonId, w.SkillId))).Select(w => new WantRecord
            {
                LearnerId = Key(w.PersonId), SkillId = Key(w.SkillId), Priority = w.Priority switch
                {
                    DomainPriority.High => Priority.High, DomainPriority.Low => Priority.Low, _ => Priority.Medium,
                },
                PreferredTeacherId = w.PreferredTeacherId is { } t ? Key(t) : null,
            })],
            LastCyclePairs = [.. lastPairs.Select(p => new PairRecord { LearnerId = Key(p.Learner), TeacherId = Key(p.Teacher) })],
            Settings = new MatchingSettings
            {
                ExcludeWholeReportingChain = run.Weights.ExcludeWholeReportingChain,
                Weights = new MatchingWeights
                {
                    HighPriority = run.Weights.HighPriority, MediumPriority = run.Weights.MediumPriority, LowPriority = run.Weights.LowPriority,
                    CrossDepartment = run.Weights.CrossDepartment, PeerCloseness = run.Weights.PeerCloseness, PreferredTeacher = run.Weights.PreferredTeacher,
                    TeacherLevel = run.Weights.TeacherLevel, RepeatPairPenalty = run.Weights.RepeatPairPenalty, GroupPenalty = run.Weights.GroupPenalty,
                },
            },
        };
        var excluded = rules.Where(r => r.Kind == PairRuleKind.Exclude).Select(r => new ExcludedPair(Key(r.LearnerId), Key(r.TeacherId))).ToList();
        var pinnedLearners = pins.Select(p => Key(p.LearnerId)).ToHashSet(StringComparer.Ordinal);
        int learners = wants.Select(w => w.PersonId).Distinct().Count(id => maxSessions[id] > 0 || pinnedLearners.Contains(Key(id)));
        return new Input(instance, excluded, pinnedLearners, pins, participantIds.Count, learners,
            people.ToDictionary(p => p.Id, p => p.DisplayName), people.ToDictionary(p => p.Id, p => p.Department.Length == 0 ? NoDepartment : p.Department));
    }

    /// <summary>The (learner, teacher) pairs of the most recently published earlier cycle, which the engine does not repeat.</summary>
    private async Task<List<(Guid Learner, Guid Teacher)>> LastCyclePairsAsync(Cycle cycle, CancellationToken ct)
    {
        var previousRun = await db.Cycles.Where(c => c.Id != cycle.Id && c.PublishedRunId != null && c.CreatedAt < cycle.CreatedAt)
            .OrderByDescending(c => c.CreatedAt).Select(c => c.PublishedRunId).FirstOrDefaultAsync(ct);
        if (previousRun is null) return [];
        var proposals = await db.Proposals.AsNoTracking().Where(p => p.RunId == previousRun).Select(p => new { p.TeacherId, p.LearnerIds }).ToListAsync(ct);
        return [.. proposals.SelectMany(p => p.LearnerIds.Select(l => (l, p.TeacherId))).Distinct()];
    }

    private async Task<MatchFigures> SaveAsync(MatchRun run, Input input, MatchPlan plan, CancellationToken ct)
    {
        var pinned = input.Pins.Select(pin => new Proposal(run, pin.TeacherId, pin.SkillId, DomainSessionKind.OneToOne, [pin.LearnerId],
            "pinned by the facilitator", pinned: true));
        var proposed = plan.Sessions.Select(session => new Proposal(run, Guid.Parse(session.TeacherId), Guid.Parse(session.SkillId),
            session.Kind == Matching.SessionKind.Group ? DomainSessionKind.Group : DomainSessionKind.OneToOne,
            session.Learners.Select(l => Guid.Parse(l.LearnerId)), string.Join('\n', session.Learners.Select(l => string.Join("; ", l.Reasons))), pinned: false));
        await db.InsertAsync(pinned.Concat(proposed), ct);
        await db.InsertAsync(plan.UnmetWants.Select(unmet =>
            new DomainUnmetWant(run, Guid.Parse(unmet.LearnerId), Guid.Parse(unmet.SkillId), Code(unmet.ReasonCode), Explain(unmet.ReasonCode))), ct);

        var assignments = plan.Sessions.SelectMany(s => s.Learners.Select(l => (s.TeacherId, l))).ToList();
        return new MatchFigures
        {
            Participants = input.Participants,
            Learners = input.Learners,
            LearnersServed = plan.Summary.LearnersServed + input.PinnedLearners.Count(l => !plan.Sessions.Any(s => s.Learners.Any(x => x.LearnerId == l))),
            WantsTotal = plan.Summary.Wants + input.Pins.Count,
            WantsMet = plan.Summary.WantsMet + input.Pins.Count,
            Sessions = plan.Summary.Sessions + input.Pins.Count,
            GroupSessions = plan.Summary.GroupSessions,
            Teachers = plan.Sessions.Select(s => s.TeacherId).Concat(input.Pins.Select(p => Key(p.TeacherId))).Distinct().Count(),
            CrossDepartmentAssignments = plan.Summary.CrossDepartmentAssignments,
            PreferredTeacherAssignments = assignments.Count(a => a.l.Reasons.Contains("preferred teacher")),
        };
    }

    private static string Key(Guid id) => id.ToString("N");

    private static string Code(UnmetReason reason) => reason switch
    {
        UnmetReason.NoSharers => "noSharers",
        UnmetReason.OnlyExcludedSharers => "onlyExcludedSharers",
        UnmetReason.LearnerAtSessionLimit => "learnerAtSessionLimit",
        _ => "sharersAtCapacity",
    };

    /// <summary>The reason in words a learner can be shown: honest, without naming anyone who is excluded or full.</summary>
    public static string Explain(UnmetReason reason) => reason switch
    {
        UnmetReason.NoSharers =>
            "nobody taking part shares this skill this cycle. It is on the facilitator's list of things to learn from outside; you can also ask for it on the open-sessions board later.",
        UnmetReason.OnlyExcludedSharers =>
            "the only colleagues who share it are in your own reporting line or taught you last cycle, and Tacit does not pair those. Ask for it again next cycle or on the open-sessions board.",
        UnmetReason.LearnerAtSessionLimit =>
            "you asked for a limited number of sessions this cycle and your other wishes came first. Raise the number in the next intake if you would like more.",
        _ => "everyone who shares it is fully booked this cycle. You can ask for it on the open-sessions board later, or again next cycle.",
    };
}
