using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Integrations;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.People;

namespace Tacit.Web.Features.Scim;

/// <summary>What a SCIM client may set on a person; everything else of theirs (level, location, bio, roles) stays Tacit's.</summary>
internal sealed record ScimUserInput(string Email, string DisplayName, string? Title, string? Department, string? TimeZone, Guid? ManagerId,
    bool Active, string? ExternalId)
{
    public static ScimUserInput From(JsonObject body)
    {
        ScimRequest.RequireSchema(body, ScimSchemas.User);
        // userName is required (RFC 7643 §4.1.1) and is the person's email: their sign-in and their one address.
        var email = ScimRequest.Text(body, "userName");
        if (string.IsNullOrWhiteSpace(email)) throw new ScimException(400, ScimException.InvalidValue, "\"userName\" (the person's email) is required.");
        if (Guard.EmailProblem(email) is { } problem) throw new ScimException(400, ScimException.InvalidValue, $"userName: {problem}");

        var name = ScimJson.Get(body, "name") switch
        {
            null => null,
            JsonObject n => n,
            _ => throw new ScimException(400, ScimException.InvalidValue, "\"name\" must be an object."),
        };
        var given = name is null ? null : ScimRequest.Text(name, "givenName");
        var family = name is null ? null : ScimRequest.Text(name, "familyName");
        var displayName = new[] { ScimRequest.Text(body, "displayName"), name is null ? null : ScimRequest.Text(name, "formatted"), $"{given} {family}".Trim() }
            .FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? email.Trim().Split('@')[0];

        var extension = ScimJson.Get(body, ScimSchemas.EnterpriseUser) switch
        {
            null => null,
            JsonObject e => e,
            _ => throw new ScimException(400, ScimException.InvalidValue, "The enterprise extension must be an object."),
        };
        Guid? manager = null;
        if (extension is not null)
        {
            var managerNode = ScimJson.Get(extension, "manager");
            // Entra ID sends the manager as {"value": id} in a PUT or POST and as the bare id in a PATCH.
            var managerId = managerNode switch
            {
                null => null,
                JsonObject m => ScimRequest.Text(m, "value"),
                _ => ScimRequest.Text(extension, "manager"),
            };
            if (!string.IsNullOrWhiteSpace(managerId)) manager = ScimRequest.Id(managerId, "a user");
        }
        return new ScimUserInput(email, displayName, ScimRequest.Text(body, "title"), extension is null ? null : ScimRequest.Text(extension, "department"),
            ScimRequest.Text(body, "timezone"), manager, ScimRequest.Flag(body, "active") ?? true, ScimRequest.Text(body, "externalId"));
    }
}

/// <summary>
/// /scim/v2/Users: the organisation's people as SCIM users (docs/scim.md). userName is the email; the enterprise
/// extension carries department and manager; active=false deactivates through <see cref="PeopleAdministration"/>, so
/// the leavers rule applies as for any deactivation. DELETE deactivates too: erasure stays an admin's decision.
/// </summary>
public sealed class ScimUsers(TacitDbContext db, PeopleAdministration administration) : IScimResources
{
    public async Task<JsonObject> ListAsync(ScimFilter? filter, int startIndex, int count, string baseUrl, CancellationToken ct)
    {
        var all = await RenderAllAsync(db.People.AsNoTracking().Where(p => p.ErasedAt == null).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id), baseUrl, ct);
        return ScimList.Of(filter is null ? all : all.Where(filter.Matches).ToList(), startIndex, count);
    }

    public async Task<JsonObject> GetAsync(Guid id, string baseUrl, CancellationToken ct) =>
        (await RenderAllAsync(db.People.AsNoTracking().Where(p => p.Id == id && p.ErasedAt == null), baseUrl, ct)).SingleOrDefault()
        ?? throw NotFound(id);

    public async Task<JsonObject> CreateAsync(JsonObject body, string baseUrl, CancellationToken ct)
    {
        var input = ScimUserInput.From(body);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var person = await administration.CreateAsync(input.Email, ProfileOf(input, null), input.ManagerId, Roles.Member, ct);
        person.SetExternalId(input.ExternalId);
        await db.SaveChangesAsync(ct);
        if (!input.Active) await administration.DeactivateAsync(person.Id, ct);
        await transaction.CommitAsync(ct);
        return await GetAsync(person.Id, baseUrl, ct);
    }

    public async Task<JsonObject> ReplaceAsync(Guid id, JsonObject body, HttpRequest request, string baseUrl, CancellationToken ct)
    {
        ScimRequest.CheckIfMatch(request, Version(await GetAsync(id, baseUrl, ct)));
        return await SaveAsync(id, ScimUserInput.From(body), baseUrl, ct);
    }

    public async Task<JsonObject> PatchAsync(Guid id, JsonObject body, HttpRequest request, string baseUrl, CancellationToken ct)
    {
        var current = await GetAsync(id, baseUrl, ct);
        ScimRequest.CheckIfMatch(request, Version(current));
        ScimPatch.Apply(current, body);
        return await SaveAsync(id, ScimUserInput.From(current), baseUrl, ct);
    }

    public async Task DeleteAsync(Guid id, HttpRequest request, string baseUrl, CancellationToken ct)
    {
        var current = await GetAsync(id, baseUrl, ct);
        ScimRequest.CheckIfMatch(request, Version(current));
        if (ScimRequest.Flag(current, "active") == true) await administration.DeactivateAsync(id, ct);
    }

    private async Task<JsonObject> SaveAsync(Guid id, ScimUserInput input, string baseUrl, CancellationToken ct)
    {
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == id && p.ErasedAt == null, ct) ?? throw NotFound(id);
        var profile = ProfileOf(input, person);
        person.UpdateProfile(profile.DisplayName, profile.JobTitle, profile.Department, profile.AuthorityLevel, profile.Location, profile.TimeZone, profile.Bio);
        person.SetExternalId(input.ExternalId);
        await administration.UpdateAdministrativeAsync(id, input.Email, input.ManagerId, person.Roles, ct);
        if (!input.Active && person.IsActive) await administration.DeactivateAsync(id, ct);
        if (input.Active && !person.IsActive) await administration.ReactivateAsync(id, ct);
        await transaction.CommitAsync(ct);
        return await GetAsync(id, baseUrl, ct);
    }

    /// <summary>The profile as the client gives it; what SCIM does not carry is kept (or Tacit's default for a new person).</summary>
    private static ProfileInput ProfileOf(ScimUserInput input, Person? existing) =>
        new(input.DisplayName, input.Title, input.Department, existing?.AuthorityLevel ?? 5, existing?.Location, input.TimeZone ?? existing?.TimeZone, existing?.Bio);

    public static string Version(JsonObject resource)
    {
        var copy = resource.DeepClone().AsObject();
        copy.Remove("meta");
        return ScimRequest.Version(copy);
    }

    private static ScimException NotFound(Guid id) => new(404, null, $"There is no user {id} here.");

    private async Task<List<JsonObject>> RenderAllAsync(IQueryable<Person> people, string baseUrl, CancellationToken ct)
    {
        var rows = await people.ToListAsync(ct);
        var managerIds = rows.Where(p => p.ManagerId != null).Select(p => p.ManagerId!.Value).Distinct().ToList();
        var managers = await db.People.AsNoTracking().Where(p => managerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var groups = await db.ScimGroups.AsNoTracking().ToDictionaryAsync(g => g.DisplayName, g => g.Id, StringComparer.Ordinal, ct);
        return [.. rows.Select(p => Render(p, p.ManagerId is { } m ? managers.GetValueOrDefault(m) : null, groups.TryGetValue(p.Department, out var g) ? g : null, baseUrl))];
    }

    private static JsonObject Render(Person person, string? managerName, Guid? groupId, string baseUrl)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.User, ScimSchemas.EnterpriseUser),
            ["id"] = person.Id.ToString(),
        };
        if (person.ExternalId.Length > 0) user["externalId"] = person.ExternalId;
        user["userName"] = person.Email;
        user["name"] = new JsonObject { ["formatted"] = person.DisplayName };
        user["displayName"] = person.DisplayName;
        if (person.JobTitle.Length > 0) user["title"] = person.JobTitle;
        user["timezone"] = person.TimeZone;
        user["active"] = person.IsActive;
        user["emails"] = new JsonArray(new JsonObject { ["value"] = person.Email, ["type"] = "work", ["primary"] = true });
        if (groupId is { } group)
            user["groups"] = new JsonArray(new JsonObject { ["value"] = group.ToString(), ["display"] = person.Department, ["$ref"] = $"{baseUrl}/Groups/{group}" });
        var enterprise = new JsonObject();
        if (person.Department.Length > 0) enterprise["department"] = person.Department;
        if (person.ManagerId is { } manager)
            enterprise["manager"] = new JsonObject { ["value"] = manager.ToString(), ["$ref"] = $"{baseUrl}/Users/{manager}", ["displayName"] = managerName };
        user[ScimSchemas.EnterpriseUser] = enterprise;
        user["meta"] = new JsonObject
        {
            ["resourceType"] = "User",
            ["created"] = person.CreatedAt.ToString("O"),
            ["lastModified"] = person.CreatedAt.ToString("O"),
            ["location"] = $"{baseUrl}/Users/{person.Id}",
            ["version"] = Version(user),
        };
        return user;
    }
}
