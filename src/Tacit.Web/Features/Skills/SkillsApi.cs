using Tacit.Web.Infrastructure;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Skills;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Skills;

public sealed record ShareDto(Guid Id, Guid PersonId, Guid SkillId, int Level, int SessionsPerCycle, bool AcceptsGroups, int MaxGroupSize);

public sealed record ShareUpdate(int Level, int SessionsPerCycle, bool AcceptsGroups, int MaxGroupSize);

public sealed record WantDto(Guid Id, Guid PersonId, Guid SkillId, Priority Priority, string Why, Guid? PreferredTeacherId);

public sealed record WantWrite(Guid PersonId, Guid SkillId, string Priority, string? Why, Guid? PreferredTeacherId);

public sealed record SuggestionRejection(string? Reason);

public static class SkillsApi
{
    public static void MapSkillsApi(this RouteGroupBuilder api)
    {
        var skills = api.MapGroup("/skills").WithTags("Skills");
        skills.MapGet("/", async (SkillQueries queries, string? q, string? category, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await queries.SearchAsync(q, category, Paging.From(page, pageSize, 50), ct)))
            .WithSummary("Lists the catalogue; q matches names and aliases.");
        skills.MapGet("/{id:guid}", async Task<Results<Ok<SkillSummary>, NotFound>> (Guid id, SkillQueries queries, CancellationToken ct) =>
            await queries.FindAsync(id, ct) is { } skill ? TypedResults.Ok(skill) : TypedResults.NotFound())
            .WithSummary("Gets one skill with its aliases.");
        skills.MapPost("/", async (SkillInput body, Catalogue catalogue, CancellationToken ct) =>
        {
            var skill = await catalogue.CreateAsync(body, ct);
            return TypedResults.Created($"/api/skills/{skill.Id}", ToDto(skill));
        }).AdminOnly().WithSummary("Adds a skill to the catalogue (admins).");
        skills.MapPut("/{id:guid}", async (Guid id, SkillInput body, Catalogue catalogue, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await catalogue.UpdateAsync(id, body, ct)))).AdminOnly()
            .WithSummary("Changes a skill's name, category, description and aliases (admins).");
        skills.MapDelete("/{id:guid}", async (Guid id, Catalogue catalogue, CancellationToken ct) =>
        {
            await catalogue.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).AdminOnly().WithSummary("Deletes an unused skill; a skill in use must be merged instead.");
        skills.MapPost("/{id:guid}/merge-into/{targetId:guid}", async (Guid id, Guid targetId, Catalogue catalogue, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await catalogue.MergeAsync(id, targetId, ct)))).AdminOnly()
            .WithSummary("Merges a skill into another, keeping every share and want.");
    }

    public static void MapSkillSuggestionsApi(this RouteGroupBuilder api)
    {
        var suggestions = api.MapGroup("/skills/suggestions").WithTags("Skills");
        suggestions.MapGet("/", async (SkillSuggestions service, CancellationToken ct) => TypedResults.Ok(await service.PendingAsync(ct)))
            .AdminOnly().WithSummary("Lists the suggestions waiting for a decision, oldest first (admins).");
        suggestions.MapGet("/mine", async (SkillSuggestions service, CurrentUser current, CancellationToken ct) => TypedResults.Ok(await service.OfAsync(current.RequirePerson(), ct)))
            .WithSummary("Lists your own suggestions and what became of them.");
        suggestions.MapGet("/{id:guid}", async (Guid id, SkillSuggestions service, CancellationToken ct) => TypedResults.Ok(await service.FindAsync(id, ct)))
            .AdminOnly().WithSummary("Gets one suggestion, whatever its status (admins).");
        suggestions.MapPost("/", async (SuggestionInput body, SkillSuggestions service, CurrentUser current, CancellationToken ct) =>
        {
            var suggestion = await service.SuggestAsync(current.RequirePerson(), body, ct);
            return TypedResults.Created($"/api/skills/suggestions/{suggestion.Id}", await service.FindAsync(suggestion.Id, ct));
        }).WithSummary("Suggests a skill the catalogue lacks; it is pending until an admin decides.");
        suggestions.MapPost("/{id:guid}/approve", async (Guid id, ApprovalInput? body, SkillSuggestions service, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await service.ApproveAsync(id, body ?? new ApprovalInput(null, null, null), ct))))
            .AdminOnly().WithSummary("Adds the suggestion to the catalogue, renamed or recategorised where the body says so (admins).");
        suggestions.MapPost("/{id:guid}/merge-into/{skillId:guid}", async (Guid id, Guid skillId, SkillSuggestions service, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await service.MergeAsync(id, skillId, ct))))
            .AdminOnly().WithSummary("Makes the suggestion's name an alias of an existing skill (admins).");
        suggestions.MapPost("/{id:guid}/reject", async (Guid id, SuggestionRejection? body, SkillSuggestions service, CancellationToken ct) =>
        {
            await service.RejectAsync(id, body?.Reason, ct);
            return TypedResults.NoContent();
        }).AdminOnly().WithSummary("Rejects the suggestion; the person who made it is told, with the reason if given (admins).");
    }

    public static void MapSharesApi(this RouteGroupBuilder api)
    {
        var shares = api.MapGroup("/shares").WithTags("Shares");
        shares.MapGet("/", async (PersonSkillQueries entries, Guid? personId, Guid? skillId, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await entries.ListAsync<Share, ShareDto>(personId, skillId, Paging.From(page, pageSize, 50), ToDto, ct)))
            .WithSummary("Lists \"I can share\" entries, of a person or a skill.");
        shares.MapGet("/{id:guid}", async Task<Results<Ok<ShareDto>, NotFound>> (Guid id, PersonSkillQueries entries, CancellationToken ct) =>
            await entries.FindAsync<Share>(id, ct) is { } s ? TypedResults.Ok(ToDto(s)) : TypedResults.NotFound())
            .WithSummary("Gets one \"I can share\" entry.");
        shares.MapPost("/", async (ShareInput body, SharesAndWants service, CurrentUser current, CancellationToken ct) =>
        {
            var share = await service.AddShareAsync(current.Actor, body, ct);
            return TypedResults.Created($"/api/shares/{share.Id}", ToDto(share));
        }).WithSummary("Adds what a person can share: your own, or anyone's for an admin.");
        shares.MapPut("/{id:guid}", async (Guid id, ShareUpdate body, SharesAndWants service, CurrentUser current, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await service.UpdateShareAsync(current.Actor, id, body.Level, body.SessionsPerCycle, body.AcceptsGroups, body.MaxGroupSize, ct))))
            .WithSummary("Changes a share's level, sessions and group size: your own, or anyone's for an admin.");
        shares.MapDelete("/{id:guid}", async (Guid id, SharesAndWants service, CurrentUser current, CancellationToken ct) =>
        {
            await service.RemoveShareAsync(current.Actor, id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Removes a share: your own, or anyone's for an admin.");
    }

    public static void MapWantsApi(this RouteGroupBuilder api)
    {
        var wants = api.MapGroup("/wants").WithTags("Wants");
        wants.MapGet("/", async (PersonSkillQueries entries, Guid? personId, Guid? skillId, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await entries.ListAsync<Want, WantDto>(personId, skillId, Paging.From(page, pageSize, 50), ToDto, ct)))
            .WithSummary("Lists \"I want to learn\" entries, of a person or a skill.");
        wants.MapGet("/{id:guid}", async Task<Results<Ok<WantDto>, NotFound>> (Guid id, PersonSkillQueries entries, CancellationToken ct) =>
            await entries.FindAsync<Want>(id, ct) is { } w ? TypedResults.Ok(ToDto(w)) : TypedResults.NotFound())
            .WithSummary("Gets one \"I want to learn\" entry.");
        wants.MapPost("/", async (WantWrite body, SharesAndWants service, CurrentUser current, CancellationToken ct) =>
        {
            var want = await service.AddWantAsync(current.Actor, new WantInput(body.PersonId, body.SkillId, ParsePriority(body.Priority), body.Why, body.PreferredTeacherId), ct);
            return TypedResults.Created($"/api/wants/{want.Id}", ToDto(want));
        }).WithSummary("Adds what a person wants to learn: your own, or anyone's for an admin.");
        wants.MapPut("/{id:guid}", async (Guid id, WantWrite body, SharesAndWants service, CurrentUser current, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await service.UpdateWantAsync(current.Actor, id, ParsePriority(body.Priority), body.Why, body.PreferredTeacherId, ct))))
            .WithSummary("Changes a want's priority, why and preferred teacher: your own, or anyone's for an admin.");
        wants.MapDelete("/{id:guid}", async (Guid id, SharesAndWants service, CurrentUser current, CancellationToken ct) =>
        {
            await service.RemoveWantAsync(current.Actor, id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Removes a want: your own, or anyone's for an admin.");
    }

    public static Priority ParsePriority(string? value) => ApiEnums.Parse(value, nameof(Want.Priority), [Priority.High, Priority.Medium, Priority.Low]);

    private static SkillSummary ToDto(Skill s) => SkillQueries.Summary(s);

    private static ShareDto ToDto(Share s) => new(s.Id, s.PersonId, s.SkillId, s.Level, s.SessionsPerCycle, s.AcceptsGroups, s.MaxGroupSize);

    private static WantDto ToDto(Want w) => new(w.Id, w.PersonId, w.SkillId, w.Priority, w.Why, w.PreferredTeacherId);
}
