using Microsoft.AspNetCore.Http.HttpResults;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Cycles;

public sealed record EnrolmentWrite(bool Supports, string? ExpectedBarriers);
public sealed record QuestionDto(Guid Id, string Text, QuestionKind Kind, IReadOnlyList<string> Options, int Position);
public sealed record QuestionWrite(string Text, string Kind, IReadOnlyList<string>? Options);
public sealed record IntakeDto(Guid CycleId, int MaxLearnerSessions, IReadOnlyList<string> Barriers, string BarrierNote, IReadOnlyList<string> Availability,
    string TimeZone, IReadOnlyDictionary<Guid, IReadOnlyList<string>> Answers, DateTimeOffset SubmittedAt, DateTimeOffset? UpdatedAt, int? MaxTeacherSessions);
public sealed record IntakeWrite(int? MaxLearnerSessions, IReadOnlyList<string>? Barriers, string? BarrierNote, IReadOnlyList<string>? Availability,
    string? TimeZone, IReadOnlyDictionary<Guid, IReadOnlyList<string>>? Answers, int? MaxTeacherSessions = null);
public sealed record BarrierGroupDto(string Name, int Respondents, IReadOnlyDictionary<string, int> Counts);
public sealed record QuestionTallyDto(Guid QuestionId, string Text, int Respondents, bool Shown, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> FreeText);
public sealed record IntakeAggregateDto(bool Released, int Respondents, int HiddenRespondents, IReadOnlyList<BarrierGroupDto> Groups, IReadOnlyList<QuestionTallyDto> Questions);
public sealed record RunDto(Guid Id, int Number, MatchRunStatus Status, int ProgressPercent, string Stage, string Error, MatchWeights Weights, MatchFigures Figures,
    DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
public sealed record ProposalDto(Guid Id, Guid TeacherId, Guid SkillId, SessionKind Kind, IReadOnlyList<Guid> LearnerIds, IReadOnlyList<string> Reasons, bool Pinned,
    IReadOnlyList<int>? CommonHours);
public sealed record UnmetWantDto(Guid LearnerId, Guid SkillId, string ReasonCode, string Reason);
public sealed record SkippedPinDto(Guid LearnerId, Guid TeacherId, Guid SkillId, string ReasonCode, string Reason);
public sealed record PairRuleWrite(string LearnerEmail, string TeacherEmail, string Skill, string Kind);
public sealed record PublishWrite(Guid RunId);

/// <summary>
/// The cycle's workflow through the API, with the same rules as the pages: managers answer for themselves,
/// participants read and write only their own intake, facilitators see progress, aggregates, the map and the runs.
/// </summary>
public static class CycleWorkflowApi
{
    public static void MapCycleWorkflowApi(this RouteGroupBuilder cycles)
    {
        var facilitator = Policies.Facilitator;

        // Manager enrolment
        cycles.MapGet("/{id:guid}/enrolments", (Guid id, Enrolment enrolment, CancellationToken ct) => enrolment.ListAsync(id, ct))
            .RequireAuthorization(facilitator).WithSummary("Managers asked to support the cycle and their answers, attributed (facilitators).");
        cycles.MapPut("/{id:guid}/enrolments/me", async (Guid id, EnrolmentWrite body, Enrolment enrolment, CurrentUser current, CancellationToken ct) =>
        {
            await enrolment.RespondAsync(id, current.RequirePerson(), body.Supports, body.ExpectedBarriers, ct);
            return TypedResults.NoContent();
        }).WithSummary("A manager confirms (or withdraws) support and notes the barriers they expect.");

        // The facilitator's own questions
        cycles.MapGet("/{id:guid}/questions", async (Guid id, Intake intake, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            await lifecycle.GetAsync(id, ct);
            return (await intake.QuestionsAsync(id, ct)).Select(ToDto).ToList();
        }).WithSummary("The cycle's own intake questions.");
        cycles.MapPost("/{id:guid}/questions", async (Guid id, QuestionWrite body, Intake intake, CancellationToken ct) =>
        {
            var question = await intake.AddQuestionAsync(id, body.Text, ParseKind(body.Kind), body.Options, ct);
            return TypedResults.Created($"/api/cycles/{id}/questions/{question.Id}", ToDto(question));
        }).RequireAuthorization(facilitator).WithSummary("Adds a question (singleChoice, multipleChoice or freeText) until the intake opens (facilitators).");
        cycles.MapDelete("/{id:guid}/questions/{questionId:guid}", async (Guid id, Guid questionId, Intake intake, CancellationToken ct) =>
        {
            await intake.RemoveQuestionAsync(id, questionId, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(facilitator).WithSummary("Removes a question until the intake opens (facilitators).");

        // The intake: one's own answers only
        cycles.MapGet("/{id:guid}/intake/me", async Task<Results<Ok<IntakeDto>, NotFound>> (Guid id, Intake intake, CycleLifecycle lifecycle, CurrentUser current, CancellationToken ct) =>
        {
            await lifecycle.GetAsync(id, ct);
            return await intake.MineAsync(id, current.RequirePerson(), ct) is { } mine ? TypedResults.Ok(ToDto(mine)) : TypedResults.NotFound();
        }).WithSummary("Your own intake answers; 404 until you have answered. Nobody can read anyone else's.");
        cycles.MapPut("/{id:guid}/intake/me", async (Guid id, IntakeWrite body, Intake intake, CurrentUser current, CancellationToken ct) =>
        {
            var answers = new IntakeAnswers(body.MaxLearnerSessions ?? IntakeResponse.DefaultLearnerSessions, ParseBarriers(body.Barriers), body.BarrierNote,
                body.Availability ?? [], body.TimeZone, body.Answers ?? new Dictionary<Guid, IReadOnlyList<string>>(), body.MaxTeacherSessions);
            return TypedResults.Ok(ToDto(await intake.AnswerAsync(id, current.RequirePerson(), answers, ct)));
        }).WithSummary("Answers (or changes) your intake while it is open. What you want to learn and can share goes to /api/wants and /api/shares.");
        cycles.MapGet("/{id:guid}/intake/progress", async (Guid id, Intake intake, CycleLifecycle lifecycle, CancellationToken ct) =>
            await intake.ProgressAsync(await lifecycle.GetAsync(id, ct), ct))
            .RequireAuthorization(facilitator).WithSummary("How many participants have answered; by department only in fives (\"0\", \"1–4\", \"5–9\", …) (facilitators).");
        cycles.MapGet("/{id:guid}/intake/aggregate", async (Guid id, Intake intake, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            var aggregate = await intake.AggregateAsync(await lifecycle.GetAsync(id, ct), ct);
            return new IntakeAggregateDto(aggregate.Released, aggregate.Respondents, aggregate.HiddenRespondents,
                [.. aggregate.Groups.Select(g => new BarrierGroupDto(g.Name, g.Respondents, g.Counts.ToDictionary(c => BarrierKey(c.Key), c => c.Value)))],
                [.. aggregate.Questions.Select(q => new QuestionTallyDto(q.Question.Id, q.Question.Text, q.Respondents,
                    q.Respondents >= IntakeBarriers.MinimumGroupSize, q.Counts, q.FreeText))]);
        }).RequireAuthorization(facilitator).WithSummary("Barrier counts and answers to the cycle's questions, released once the intake has closed and only for groups of at least five (facilitators).");
        cycles.MapPost("/{id:guid}/intake/reminders", async (Guid id, Intake intake, CancellationToken ct) =>
            TypedResults.Ok(new { reminded = await intake.RemindAsync(id, ct) }))
            .RequireAuthorization(facilitator).WithName("sendIntakeReminders").WithSummary("Reminds everyone who has not answered yet (facilitators).");

        // The map
        cycles.MapGet("/{id:guid}/map", async (Guid id, string? format, Knowledge.KnowledgeMap map, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            var cycle = await lifecycle.GetAsync(id, ct);
            if (cycle.State < CycleState.Intake) throw new ConflictException("The map is drawn from the intake, which has not opened yet.");
            var figures = await map.ForCycleAsync(cycle, ct);
            return format == "csv"
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(Knowledge.KnowledgeMap.ToCsv(figures)), "text/csv; charset=utf-8", $"map-{cycle.Name}.csv")
                : Results.Ok(figures);
        }).RequireAuthorization(facilitator).Produces<Knowledge.MapFigures>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Demand and supply per skill and category, wants nobody inside can meet, hidden experts, coverage, department × category; ?format=csv; before the intake opens: 409 (facilitators).");

        // Match runs, rules, publishing
        cycles.MapGet("/{id:guid}/runs", async (Guid id, MatchRuns runs, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            await lifecycle.GetAsync(id, ct);
            return (await runs.ListAsync(id, ct)).Select(ToDto).ToList();
        }).RequireAuthorization(facilitator).WithSummary("The cycle's match runs, newest first (facilitators).");
        cycles.MapPost("/{id:guid}/runs", async (Guid id, MatchWeights? weights, MatchRuns runs, CurrentUser current, CancellationToken ct) =>
        {
            var run = await runs.StartAsync(id, weights ?? new MatchWeights(), current.PersonId ?? Guid.Empty, ct);
            return TypedResults.Accepted($"/api/cycles/{id}/runs/{run.Id}", ToDto(run));
        }).RequireAuthorization(facilitator).WithSummary("Queues a match run with the given weights (202); poll the run for progress. One run at a time: 409 (facilitators).");
        cycles.MapPost("/{id:guid}/runs/preview", async (Guid id, MatchWeights? weights, MatchPreview preview, CancellationToken ct) =>
                await preview.PreviewAsync(id, weights ?? new MatchWeights(), ct))
            .RequireAuthorization(facilitator).WithName("previewMatchRun")
            .WithSummary("The figures a run with these weights would give, worked out at once and not saved (facilitators).");
        cycles.MapGet("/{id:guid}/runs/{runId:guid}", async (Guid id, Guid runId, MatchRuns runs, CancellationToken ct) => ToDto(await runs.FindAsync(id, runId, ct)))
            .RequireAuthorization(facilitator).WithSummary("One run: status, progress, weights and figures (facilitators).");
        cycles.MapGet("/{id:guid}/runs/{runId:guid}/proposals", async (Guid id, Guid runId, int? page, int? pageSize, MatchRuns runs, CancellationToken ct) =>
        {
            await runs.FindAsync(id, runId, ct);
            return (await runs.ProposalsAsync(runId, Paging.From(page, pageSize), ct))
                .Map(p => new ProposalDto(p.Id, p.TeacherId, p.SkillId, p.Kind, p.LearnerIds, p.Reasons.Split('\n'), p.Pinned, p.CommonHours));
        }).RequireAuthorization(facilitator).WithSummary("The run's proposed sessions with their reasons, one line per learner (facilitators).");
        cycles.MapGet("/{id:guid}/runs/{runId:guid}/unmet", async (Guid id, Guid runId, int? page, int? pageSize, MatchRuns runs, CancellationToken ct) =>
        {
            await runs.FindAsync(id, runId, ct);
            return (await runs.UnmetAsync(runId, Paging.From(page, pageSize), ct)).Map(u => new UnmetWantDto(u.LearnerId, u.SkillId, u.ReasonCode, u.Reason));
        }).RequireAuthorization(facilitator).WithName("listUnmetWants")
            .WithSummary("Wants the run could not meet, with the reason the learner will be told (facilitators).");
        cycles.MapGet("/{id:guid}/runs/{runId:guid}/skipped-pins", async (Guid id, Guid runId, MatchRuns runs, CancellationToken ct) =>
        {
            await runs.FindAsync(id, runId, ct);
            return (await runs.SkippedPinsAsync(runId, ct)).Select(p => new SkippedPinDto(p.LearnerId, p.TeacherId, p.SkillId, p.ReasonCode, p.Reason)).ToList();
        }).RequireAuthorization(facilitator).WithName("listSkippedPins")
            .WithSummary("The facilitator's pins the run did not honour because they broke a rule when it ran, with the rule (facilitators).");
        cycles.MapGet("/{id:guid}/runs/{runId:guid}/changes", async (Guid id, Guid runId, Guid since, MatchRuns runs, CancellationToken ct) =>
            await runs.ChangesAsync(id, since, runId, ct: ct))
            .RequireAuthorization(facilitator).WithName("getRunChanges")
            .WithSummary("Which learner–teacher–skill pairs this run proposes that run `since` did not (added) and the other way round (removed), counted, with the first 100 of each named; both runs must have succeeded, else 409 (facilitators).");
        cycles.MapGet("/{id:guid}/pair-rules", async (Guid id, MatchRuns runs, CancellationToken ct) => await runs.RulesAsync(id, ct))
            .RequireAuthorization(facilitator).WithSummary("Pinned and excluded pairs for the next runs (facilitators).");
        cycles.MapPost("/{id:guid}/pair-rules", async (Guid id, PairRuleWrite body, MatchRuns runs, CancellationToken ct) =>
        {
            var kind = ApiEnums.Parse<PairRuleKind>(body.Kind, nameof(body.Kind));
            var rule = await runs.AddRuleAsync(id, body.LearnerEmail, body.TeacherEmail, body.Skill, kind, ct);
            return TypedResults.Created($"/api/cycles/{id}/pair-rules/{rule.Id}", new { rule.Id });
        }).RequireAuthorization(facilitator).WithSummary("Pins (always propose) or excludes (never propose) a learner–teacher pair for the next runs; a pin that breaks a matching rule, or a pin and an exclusion of the same pair, is refused with 422 naming the rule (facilitators).");
        cycles.MapDelete("/{id:guid}/pair-rules/{ruleId:guid}", async (Guid id, Guid ruleId, MatchRuns runs, CancellationToken ct) =>
        {
            await runs.RemoveRuleAsync(id, ruleId, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(facilitator).WithSummary("Removes a pin or exclusion (facilitators).");
        cycles.MapPost("/{id:guid}/publish", async (Guid id, PublishWrite body, MatchRuns runs, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            await runs.PublishAsync(id, body.RunId, ct);
            return TypedResults.Ok(CyclesApi.ToDto(await lifecycle.GetAsync(id, ct)));
        }).RequireAuthorization(facilitator).WithSummary("Publishes a successful run: proposals become pending offers and everyone involved is notified. Twice: 409 (facilitators).");
    }

    private static QuestionKind ParseKind(string? kind) => ApiEnums.Parse<QuestionKind>(kind, nameof(IntakeQuestion.Kind));

    private static IntakeBarrier ParseBarriers(IReadOnlyList<string>? names)
    {
        var result = IntakeBarrier.None;
        foreach (var name in names ?? [])
        {
            var barrier = IntakeBarriers.All.FirstOrDefault(b => string.Equals(BarrierKey(b), name, StringComparison.OrdinalIgnoreCase));
            if (barrier == IntakeBarrier.None)
                throw new DomainException($"'{name}' is not a barrier; use {string.Join(", ", IntakeBarriers.All.Select(BarrierKey))}.", "Barriers");
            result |= barrier;
        }
        return result;
    }

    private static string BarrierKey(IntakeBarrier barrier) => ApiEnums.Name(barrier);

    private static QuestionDto ToDto(IntakeQuestion q) => new(q.Id, q.Text, q.Kind, q.Options, q.Position);

    private static IntakeDto ToDto(IntakeResponse r) => new(r.CycleId, r.MaxLearnerSessions,
        [.. IntakeBarriers.All.Where(b => r.Barriers.HasFlag(b)).Select(BarrierKey)], r.BarrierNote, r.Availability, r.TimeZone,
        r.Answers.ToDictionary(a => a.QuestionId, a => a.Values), r.SubmittedAt, r.UpdatedAt, r.MaxTeacherSessions);

    private static RunDto ToDto(MatchRun r) => new(r.Id, r.Number, r.Status, r.ProgressPercent, r.Stage, r.Error, r.Weights, r.Figures,
        r.RequestedAt, r.StartedAt, r.FinishedAt);
}
