using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

public sealed record PersonDto(Guid Id, string Email, string DisplayName, string JobTitle, string Department, int AuthorityLevel,
    Guid? ManagerId, string Location, string TimeZone, string Bio, IReadOnlyList<string> Roles, bool IsActive);

/// <summary>An active person's last day here (null: not known or not leaving); admins only (docs/insight.md).</summary>
public sealed record LeavingDto(DateOnly? LeavingOn);

public sealed record PersonWrite(string Email, string DisplayName, string? JobTitle, string? Department, int? AuthorityLevel,
    Guid? ManagerId, string? Location, string? TimeZone, string? Bio, IReadOnlyList<string>? Roles);

public static class PeopleApi
{
    public static void MapPeopleApi(this RouteGroupBuilder api)
    {
        var people = api.MapGroup("/people").WithTags("People");

        people.MapGet("/", async (PeopleQueries queries, string? q, string? department, Guid? skillId, bool? includeInactive, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await queries.SearchAsync(new DirectoryFilter(q, department, skillId, includeInactive ?? false), Paging.From(page, pageSize), ct)))
            .WithSummary("Lists people, paged, filtered by a name search, department or a skill they share.");

        people.MapGet("/{id:guid}", async Task<Results<Ok<PersonDto>, NotFound>> (Guid id, PeopleQueries queries, CancellationToken ct) =>
            await queries.FindAsync(id, ct) is { } person
                ? TypedResults.Ok(ToDto(person))
                : TypedResults.NotFound())
            .WithSummary("Gets one person.");

        people.MapPost("/", async (PersonWrite body, PeopleAdministration admin, CancellationToken ct) =>
        {
            var person = await admin.CreateAsync(body.Email, Profile(body), body.ManagerId, ParseRoles(body.Roles), ct);
            return TypedResults.Created($"/api/people/{person.Id}", ToDto(person));
        }).AdminOnly().WithSummary("Adds a person (admins).");

        people.MapPut("/{id:guid}", async (Guid id, PersonWrite body, PeopleAdministration admin, CurrentUser current, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await admin.ReplaceAsync(current.Actor, id, Profile(body), body.Email, body.ManagerId, ParseRoles(body.Roles), ct))))
            .AdminOnly().WithSummary("Replaces a person's details (admins).");

        api.MapGet("/me/data", async (PersonalDataExport export, CurrentUser current, CancellationToken ct) =>
                TypedResults.File(await export.ExportAsync(current.RequirePerson(), ct), "application/zip", "tacit-personal-data.zip"))
            .WithTags("People").WithSummary("Everything Tacit holds about you, as JSON and CSV in one zip (a signed-in person; 403 to a token).");

        people.MapGet("/imports/{id:guid}/rejected", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, PeopleImporter importer, CancellationToken ct) =>
        {
            if (await importer.PreviewUploadAsync(id, ct) is not { } upload) return TypedResults.NotFound();
            var csv = upload.Preview.RejectedRowsCsv();
            // With a byte order mark, so a spreadsheet opens accented names as written.
            byte[] bytes = [.. System.Text.Encoding.UTF8.Preamble, .. System.Text.Encoding.UTF8.GetBytes(csv)];
            return TypedResults.File(bytes, "text/csv; charset=utf-8", $"{Path.GetFileNameWithoutExtension(upload.FileName)}-rejected.csv");
        }).AdminOnly().WithName("getRejectedImportRows").Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("Downloads an uploaded import's rejected rows as CSV: the file's own columns and a reason column (admins).");

        people.MapDelete("/{id:guid}", async (Guid id, PeopleAdministration admin, CancellationToken ct) =>
        {
            await admin.DeactivateAsync(id, ct);
            return TypedResults.NoContent();
        }).AdminOnly().WithName("deactivatePerson").WithSummary("Deactivates a person (admins). Nothing of theirs is deleted; they can no longer sign in.");

        people.MapGet("/{id:guid}/leaving", async (Guid id, PeopleAdministration admin, CancellationToken ct) =>
            TypedResults.Ok(new LeavingDto(await admin.LeavingOnAsync(id, ct))))
            .AdminOnly().WithName("getLeaving").WithSummary("The person's last day here, if an admin recorded it ahead; null otherwise (admins).");
        people.MapPut("/{id:guid}/leaving", async (Guid id, LeavingDto body, PeopleAdministration admin, CancellationToken ct) =>
            TypedResults.Ok(new LeavingDto(await admin.SetLeavingOnAsync(id, body.LeavingOn, ct))))
            .AdminOnly().WithName("setLeaving")
            .WithSummary("`{leavingOn: \"2027-01-31\"}` records an active person's last day (today to three years ahead; null clears it), so that skills only "
                + "leavers share show on the succession page before they go; it says nobody's name there (admins). 409 for someone already deactivated.");

        people.MapPost("/{id:guid}/erasure", async (Guid id, PersonErasure erasure, CancellationToken ct) =>
            TypedResults.Ok(await erasure.EraseAsync(id, ct)))
            .AdminOnly().WithName("erasePerson")
            .WithSummary("Erases a person for good (admins; GDPR article 17): their personal data is deleted or anonymised everywhere, "
                + "what the organisation's figures count stays as \"Erased person\". Answers what was removed, counted.");
    }

    internal static PersonDto ToDto(Person p) => new(p.Id, p.Email, p.DisplayName, p.JobTitle, p.Department, p.AuthorityLevel,
        p.ManagerId, p.Location, p.TimeZone, p.Bio, RoleNames.Of(p.Roles).ToList(), p.IsActive);

    private static ProfileInput Profile(PersonWrite body) =>
        new(body.DisplayName, body.JobTitle, body.Department, body.AuthorityLevel ?? 5, body.Location, body.TimeZone, body.Bio);

    private static Roles ParseRoles(IReadOnlyList<string>? names)
    {
        var roles = Roles.Member;
        foreach (var name in names ?? [])
            roles |= RoleNames.TryParse(name, out var role) ? role : throw new DomainException($"'{name}' is not a role; use Member, Facilitator or Admin.", "Roles");
        return roles;
    }
}
