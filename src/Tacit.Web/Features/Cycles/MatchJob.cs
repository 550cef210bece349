using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Matching;
using Tacit.Web.Data;
using Tacit.Web.Features.Offers;
using DomainSessionKind = Tacit.Domain.Cycles.SessionKind;
using DomainSkippedPin = Tacit.Domain.Cycles.SkippedPin;
using DomainUnmetWant = Tacit.Domain.Cycles.UnmetWant;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// Does one match run: reads the cycle's participants, wants, shares and intake limits, runs the engine with the
/// facilitator's pins and exclusions on a thread of its own (the engine checks each pin against its hard rules; one that
/// no longer holds is skipped, never forced), and stores proposals, unmet wants, skipped pins and figures.
/// Progress is written to the run as it goes, so any app instance can show it.
/// </summary>
public sealed class MatchJob(TacitDbContext db, MatchInputReader reader, TimeProvider clock, ILogger<MatchJob> logger)
{
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
        var reading = Stopwatch.StartNew();
        var input = await reader.ReadAsync(cycle, run.Weights, ct);
        var read = reading.Elapsed;
        await ReportAsync(run, 15, $"Matching {input.Learners:N0} learners with {input.Instance.Shares.Count:N0} offers to share", ct);

        string latest = "";
        var (pausedBefore, collectionsBefore, fullBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        var solve = Task.Factory.StartNew(() => ConstrainedMatcher.Match(input.Instance, input.Excluded, input.PinnedPairs, m =>
            {
                // Only the engine's headline lines are meant for people; all of them go to the log at Debug (network size, solver phases).
                if (m.StartsWith("placed", StringComparison.Ordinal)) Volatile.Write(ref latest, "(" + m + ")");
                logger.LogDebug("Match run {RunId}: engine: {Progress}", run.Id, m);
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
        var engine = watch.Elapsed;
        // Garbage collections pause the engine's thread too (the web process's other work allocates meanwhile).
        logger.LogDebug("Match run {RunId}: {Collections} garbage collections ({Full} of them full) paused the process for {Ms} ms while the engine ran",
            run.Id, GC.CollectionCount(0) - collectionsBefore, GC.CollectionCount(2) - fullBefore, (long)(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds);
        await ReportAsync(run, 88, "Saving the proposals", ct);
        var saving = Stopwatch.StartNew();
        // All or nothing: a run that fails while saving is marked failed with no proposal of it left behind.
        await using (var transaction = await UseCaseTransaction.BeginAsync(db, ct))
        {
            var figures = await SaveAsync(run, input, result, ct);
            run.Succeed(figures, clock.GetUtcNow());
            cycle.RecordMatch();
            var committing = Stopwatch.StartNew();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            logger.LogDebug("Match run {RunId}: run saved and committed in {Ms} ms", run.Id, (long)committing.Elapsed.TotalMilliseconds);
        }
        // The figures bench/cycle-match.sh reports (docs/benchmarks.md).
        logger.LogInformation("Match run {RunId}: {People} people, reading {ReadMs} ms, engine {EngineMs} ms, saving {SaveMs} ms",
            run.Id, input.Instance.People.Count, (long)read.TotalMilliseconds, (long)engine.TotalMilliseconds, (long)saving.Elapsed.TotalMilliseconds);
    }

    private async Task<MatchFigures> SaveAsync(MatchRun run, MatchInput input, PinnedMatchResult result, CancellationToken ct)
    {
        var plan = result.Result.Plan;
        // The engine answers with the pins it was given, in order; map them back to the facilitator's rules.
        var rules = input.Pins.ToDictionary(p => new PinnedPair(Key(p.LearnerId), Key(p.TeacherId), Key(p.SkillId)));
        var honoured = result.Honoured.Select(p => rules[p]).ToList();
        var skipped = input.PinsNotTakingPart.Concat(result.Skipped.Select(s => PinSkip.FromEngine(rules[s.Pin], s)));
        var pinned = honoured.Select(pin => new Proposal(run, pin.TeacherId, pin.SkillId, DomainSessionKind.OneToOne, [pin.LearnerId],
            "pinned by the facilitator", pinned: true, input.CommonHours([Key(pin.LearnerId), Key(pin.TeacherId)])));
        var proposed = plan.Sessions.Select(session => new Proposal(run, Guid.Parse(session.TeacherId), Guid.Parse(session.SkillId),
            session.Kind.ToDomain(),
            session.Learners.Select(l => Guid.Parse(l.LearnerId)), string.Join('\n', session.Learners.Select(l => string.Join("; ", l.Reasons))), pinned: false, input.CommonHours(session)));
        var clock = Stopwatch.StartNew();
        // A run's rows get increasing ids as they are made (MatchRun.NextRowId), so they are streamed to the database as
        // they are made, in id order: PostgreSQL appends to the primary key's index rather than inserting all over it (a
        // fifth off storing 200,000 proposals from a file), and nothing is sorted or held before the first row is sent.
        await db.InsertAsync(pinned.Concat(proposed), ct);
        logger.LogDebug("Match run {RunId}: {Proposals} proposals saved in {Ms} ms", run.Id, plan.Sessions.Count + honoured.Count, (long)clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        var skills = await db.SkillNamesAsync(plan.UnmetWants.SelectMany(u => (u.SessionsWentTo ?? []).Select(h => Guid.Parse(h.SkillId))), ct);
        await db.InsertAsync(plan.UnmetWants.Select(unmet => new DomainUnmetWant(run, Guid.Parse(unmet.LearnerId), Guid.Parse(unmet.SkillId),
            Code(unmet.ReasonCode), OfferNotices.WhyUnmatched(unmet, id => skills.GetValueOrDefault(Guid.Parse(id), "a skill")))), ct);
        await db.InsertAsync(skipped.Select(s => new DomainSkippedPin(run, s.Rule, s.ReasonCode, s.Named)), ct);
        logger.LogDebug("Match run {RunId}: {Unmet} unmet wants saved in {Ms} ms", run.Id, plan.UnmetWants.Count, (long)clock.Elapsed.TotalMilliseconds);

        return RunFigures.Of(input, result);
    }

    private static string Key(Guid id) => MatchInputReader.Key(id);

    /// <summary>The reason code as the API and the database spell it.</summary>
    internal static string Code(UnmetReason reason) => reason switch
    {
        UnmetReason.NoSharers => "noSharers",
        UnmetReason.OnlyExcludedSharers => "onlyExcludedSharers",
        UnmetReason.LearnerAtSessionLimit => "learnerAtSessionLimit",
        _ => "sharersAtCapacity",
    };
}
