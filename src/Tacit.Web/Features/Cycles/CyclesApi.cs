using Microsoft.AspNetCore.Http.HttpResults;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Cycles;

public sealed record CycleDto(Guid Id, string Name, CycleState State, string? NextStep, DateOnly IntakeOpens, DateOnly IntakeCloses,
    DateOnly MatchingDate, DateOnly? ReviewDate, IReadOnlyList<string> Departments, DateTimeOffset? MapPublishedAt, DateTimeOffset? PublishedAt);

public sealed record CycleWrite(string Name, DateOnly IntakeOpens, DateOnly IntakeCloses, DateOnly MatchingDate, DateOnly? ReviewDate,
    IReadOnlyList<string>? Departments);

/// <summary>
/// Learning cycles through the API (issue 4, first slice): facilitators create and schedule cycles and
/// move them through their states; everyone in the organisation can read them. Match runs come later.
/// </summary>
public static class CyclesApi
{
    /// <summary>The state changes a facilitator asks for by name, each a guarded method of <see cref="Cycle"/>.</summary>
    private static readonly Dictionary<string, Func<CycleLifecycle, Guid, CancellationToken, Task<Cycle>>> Steps = new(StringComparer.Ordinal)
    {
        ["publish-map"] = (cycles, id, ct) => cycles.PublishMapAsync(id, ct),
        ["start-review"] = (cycles, id, ct) => cycles.StartReviewAsync(id, ct),
        ["close"] = (cycles, id, ct) => cycles.CloseAsync(id, ct),
    };

    public static void MapCyclesApi(this RouteGroupBuilder api)
    {
        var cycles = api.MapGroup("/cycles").WithTags("Cycles");

        cycles.MapGet("/", async (CycleLifecycle lifecycle, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok((await lifecycle.ListAsync(Paging.From(page, pageSize), ct)).Map(ToDto)))
            .WithSummary("Lists the organisation's cycles, newest first.");

        cycles.MapGet("/{id:guid}", async Task<Results<Ok<CycleDto>, NotFound>> (Guid id, CycleLifecycle lifecycle, CancellationToken ct) =>
            await lifecycle.FindAsync(id, ct) is { } cycle ? TypedResults.Ok(ToDto(cycle)) : TypedResults.NotFound())
            .WithSummary("Gets one cycle, with its state and next step.");

        cycles.MapPost("/", async (CycleWrite body, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            var cycle = await lifecycle.CreateAsync(body, ct);
            return TypedResults.Created($"/api/cycles/{cycle.Id}", ToDto(cycle));
        }).RequireAuthorization(Policies.Facilitator).WithSummary("Creates a cycle in draft (facilitators).");

        cycles.MapPut("/{id:guid}", async (Guid id, CycleWrite body, CycleLifecycle lifecycle, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await lifecycle.ChangeAsync(id, body, ct)))).RequireAuthorization(Policies.Facilitator).WithSummary("Renames and reschedules a cycle; dates freeze when the intake closes.");

        cycles.MapPost("/{id:guid}/start-enrolment", async (Guid id, Enrolment enrolment, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            await enrolment.StartAsync(id, ct);
            return TypedResults.Ok(ToDto(await lifecycle.GetAsync(id, ct)));
        }).RequireAuthorization(Policies.Facilitator)
            .WithSummary("Starts enrolment: invites every manager of a participant by email and in-app (facilitators).");

        cycles.MapPost("/{id:guid}/open-intake", async (Guid id, Intake intake, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            await intake.OpenAsync(id, ct);
            return TypedResults.Ok(ToDto(await lifecycle.GetAsync(id, ct)));
        }).RequireAuthorization(Policies.Facilitator)
            .WithSummary("Opens the intake and notifies every participant (facilitators).");

        cycles.MapPost("/{id:guid}/{step}", async (Guid id, string step, bool? early, CycleLifecycle lifecycle, CancellationToken ct) =>
        {
            if (!Steps.TryGetValue(step, out var take))
                throw new NotFoundException($"'{step}' is not a step; use {string.Join(", ", Steps.Keys)}.");
            if (early is true && step != "start-review")
                throw new DomainException("Only the review can start early.", "early");
            return TypedResults.Ok(ToDto(early is true ? await lifecycle.StartReviewAsync(id, beforeItsDate: true, ct) : await take(lifecycle, id, ct)));
        }).RequireAuthorization(Policies.Facilitator).WithName("takeCycleStep")
            .WithSummary("Moves a cycle on: publish-map, start-review (?early=true before its date) or close (facilitators); start-enrolment, open-intake, runs and publish have their own endpoints. Out of order: 409.");

        cycles.MapGet("/{id:guid}/review", (Guid id, CycleReview review, CancellationToken ct) => review.ReviewAsync(id, ct))
            .RequireAuthorization(Policies.Facilitator)
            .WithSummary("The cycle's review: offers, sessions held and cancelled, usefulness, commitments, feedback themes, acknowledgements, unmet wants (facilitators).");
        cycles.MapGet("/{id:guid}/review/actions", (Guid id, ReviewActions actions, CancellationToken ct) => actions.ListAsync(id, ct))
            .RequireAuthorization(Policies.Facilitator).WithName("listPendingActions")
            .WithSummary($"What still needs a person: offers without times (times), offers without an answer (answer), ended sessions without their feedback (feedback), counted, the first {ReviewActions.Listed} named, each with whether the person can sign in (facilitators).");
        cycles.MapPost("/{id:guid}/review/remind", async (Guid id, ReviewActions actions, CancellationToken ct) =>
            TypedResults.Ok(new { reminded = await actions.RemindAsync(id, ct) }))
            .RequireAuthorization(Policies.Facilitator).WithName("remindPendingActions")
            .WithSummary("Reminds everyone with something waiting (in the app and by email; people who cannot sign in get an invitation with it); returns how many people (facilitators).");
        cycles.MapGet("/{id:guid}/review/attendance", (Guid id, ReviewAttendances attendance, CancellationToken ct) => attendance.ListAsync(id, ct))
            .RequireAuthorization(Policies.Facilitator).WithName("listReviewAttendance")
            .WithSummary("Who attended the review meeting, by name (facilitators).");
        cycles.MapPut("/{id:guid}/review/attendance", (Guid id, ReviewAttendanceWrite body, ReviewAttendances attendance, CancellationToken ct) =>
                attendance.SetAsync(id, body.PersonIds ?? [], ct))
            .RequireAuthorization(Policies.Facilitator).WithName("setReviewAttendance")
            .WithSummary($"Replaces who attended the review meeting with `personIds` (at most {ReviewAttendances.MaxAttendees}); each person newly listed gets one xAPI 'attended' statement. Before the review has started: 409 (facilitators).");
        cycles.MapPost("/{id:guid}/next", async (Guid id, NextCycleWrite body, CycleReview review, CancellationToken ct) =>
        {
            var (next, carried) = await review.StartNextAsync(id, body, ct);
            return TypedResults.Created($"/api/cycles/{next.Id}", new NextCycleDto(ToDto(next), carried));
        }).RequireAuthorization(Policies.Facilitator).WithName("startNextCycle")
            .WithSummary("Starts the next cycle from this one's review (same departments) and carries the unmet wants over; a second time is 409 (facilitators).");

        cycles.MapCycleWorkflowApi();
    }

    internal static CycleDto ToDto(Cycle c) => new(c.Id, c.Name, c.State, c.NextStep, c.IntakeOpens, c.IntakeCloses, c.MatchingDate,
        c.ReviewDate, c.Departments, c.MapPublishedAt, c.PublishedAt);
}
