using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Integrations;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Scim;

/// <summary>
/// /scim/v2/Groups: departments (docs/scim.md). A group's members are the people whose department has its name, so a
/// person is in one group at a time: adding them to a group moves them out of their former department. Renaming a
/// group renames its members' department; deleting it leaves them without one.
/// </summary>
public sealed class ScimGroups(TacitDbContext db, TimeProvider clock, Audit.AuditLog audit) : IScimResources
{
    public async Task<JsonObject> ListAsync(ScimFilter? filter, int startIndex, int count, bool withMembers, string baseUrl, CancellationToken ct)
    {
        var groups = await db.ScimGroups.AsNoTracking().OrderBy(g => g.CreatedAt).ThenBy(g => g.Id).ToListAsync(ct);
        var all = await RenderAsync(groups, withMembers || filter is not null, baseUrl, ct);
        var matching = filter is null ? all : all.Where(filter.Matches).ToList();
        if (!withMembers) foreach (var group in matching) group.Remove("members");
        return ScimList.Of(matching, startIndex, count);
    }

    public async Task<JsonObject> GetAsync(Guid id, string baseUrl, CancellationToken ct)
    {
        var group = await db.ScimGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, ct) ?? throw NotFound(id);
        return (await RenderAsync([group], true, baseUrl, ct)).Single();
    }

    public async Task<JsonObject> CreateAsync(JsonObject body, string baseUrl, CancellationToken ct)
    {
        var (name, externalId, members) = Read(body);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        await EnsureUniqueAsync(name, null, ct);
        var group = new ScimGroup(db.CurrentOrganisationId, name, externalId, clock.GetUtcNow());
        db.ScimGroups.Add(group);
        await SetMembersAsync(group.DisplayName, null, members, ct);
        audit.Record("department.provisioned", group.DisplayName);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await GetAsync(group.Id, baseUrl, ct);
    }

    public async Task<JsonObject> ReplaceAsync(Guid id, JsonObject body, HttpRequest request, string baseUrl, CancellationToken ct)
    {
        ScimRequest.CheckIfMatch(request, ScimUsers.Version(await GetAsync(id, baseUrl, ct)));
        return await SaveAsync(id, body, baseUrl, ct);
    }

    public async Task<JsonObject> PatchAsync(Guid id, JsonObject body, HttpRequest request, string baseUrl, CancellationToken ct)
    {
        var current = await GetAsync(id, baseUrl, ct);
        ScimRequest.CheckIfMatch(request, ScimUsers.Version(current));
        ScimPatch.Apply(current, body);
        return await SaveAsync(id, current, baseUrl, ct);
    }

    public async Task DeleteAsync(Guid id, HttpRequest request, string baseUrl, CancellationToken ct)
    {
        ScimRequest.CheckIfMatch(request, ScimUsers.Version(await GetAsync(id, baseUrl, ct)));
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var group = await db.ScimGroups.SingleAsync(g => g.Id == id, ct);
        await SetMembersAsync(group.DisplayName, group.DisplayName, [], ct);
        db.ScimGroups.Remove(group);
        audit.Record("department.removed", group.DisplayName);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<JsonObject> SaveAsync(Guid id, JsonObject body, string baseUrl, CancellationToken ct)
    {
        var (name, externalId, members) = Read(body);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var group = await db.ScimGroups.SingleOrDefaultAsync(g => g.Id == id, ct) ?? throw NotFound(id);
        await EnsureUniqueAsync(name, id, ct);
        var formerName = group.DisplayName;
        group.Rename(name);
        group.SetExternalId(externalId);
        await SetMembersAsync(group.DisplayName, formerName, members, ct);
        if (formerName != group.DisplayName) audit.Record("department.renamed", group.DisplayName, $"{formerName} → {group.DisplayName}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await GetAsync(id, baseUrl, ct);
    }

    private static (string Name, string? ExternalId, IReadOnlyList<Guid> Members) Read(JsonObject body)
    {
        ScimRequest.RequireSchema(body, ScimSchemas.Group);
        var name = ScimRequest.Text(body, "displayName");
        if (string.IsNullOrWhiteSpace(name)) throw new ScimException(400, ScimException.InvalidValue, "\"displayName\" (the department's name) is required.");
        if (Tacit.Domain.Guard.OptionalProblem(name, "displayName", Person.DepartmentMaxLength) is { } problem) throw new ScimException(400, ScimException.InvalidValue, problem);
        var members = ScimJson.Get(body, "members") switch
        {
            null => [],
            JsonArray array => array.Select(m => m is JsonObject member
                    ? ScimRequest.Id(ScimRequest.Text(member, "value"), "a user")
                    : throw new ScimException(400, ScimException.InvalidValue, "Each member is an object with the user's id as \"value\"."))
                .Distinct().ToList(),
            _ => throw new ScimException(400, ScimException.InvalidValue, "\"members\" must be an array."),
        };
        return (name.Trim(), ScimRequest.Text(body, "externalId"), members);
    }

    private async Task EnsureUniqueAsync(string name, Guid? except, CancellationToken ct)
    {
        var trimmed = name.Trim();
        if (await db.ScimGroups.AnyAsync(g => g.DisplayName == trimmed && g.Id != except, ct))
            throw new ScimException(409, ScimException.Uniqueness, $"A group named '{trimmed}' exists already.");
    }

    /// <summary>The members, and only they, have the department: others who had it (under its former name) are left without one.</summary>
    private async Task SetMembersAsync(string name, string? formerName, IReadOnlyList<Guid> members, CancellationToken ct)
    {
        var found = await db.People.Where(p => members.Contains(p.Id) && p.ErasedAt == null).ToListAsync(ct);
        if (members.Except(found.Select(p => p.Id)).FirstOrDefault() is var missing && missing != Guid.Empty)
            throw new ScimException(400, ScimException.InvalidValue, $"There is no user {missing} here to be a member.");
        var former = formerName is null ? [] : await db.People.Where(p => p.Department == formerName && p.ErasedAt == null).ToListAsync(ct);
        foreach (var person in former.Where(p => !members.Contains(p.Id))) MoveTo(person, "");
        foreach (var person in found) MoveTo(person, name);
    }

    private static void MoveTo(Person person, string department) =>
        person.UpdateProfile(person.DisplayName, person.JobTitle, department, person.AuthorityLevel, person.Location, person.TimeZone, person.Bio);

    private async Task<List<JsonObject>> RenderAsync(List<ScimGroup> groups, bool withMembers, string baseUrl, CancellationToken ct)
    {
        var names = groups.Select(g => g.DisplayName).ToList();
        var members = withMembers
            ? (await db.People.AsNoTracking().Where(p => names.Contains(p.Department) && p.ErasedAt == null)
                .OrderBy(p => p.DisplayName).Select(p => new { p.Id, p.DisplayName, p.Department }).ToListAsync(ct)).ToLookup(p => p.Department)
            : null;
        return [.. groups.Select(g =>
        {
            var group = new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.Group), ["id"] = g.Id.ToString() };
            if (g.ExternalId.Length > 0) group["externalId"] = g.ExternalId;
            group["displayName"] = g.DisplayName;
            if (members is not null)
                group["members"] = new JsonArray([.. members[g.DisplayName].Select(m => new JsonObject
                {
                    ["value"] = m.Id.ToString(), ["display"] = m.DisplayName, ["type"] = "User", ["$ref"] = $"{baseUrl}/Users/{m.Id}",
                })]);
            group["meta"] = new JsonObject
            {
                ["resourceType"] = "Group",
                ["created"] = g.CreatedAt.ToString("O"),
                ["lastModified"] = g.CreatedAt.ToString("O"),
                ["location"] = $"{baseUrl}/Groups/{g.Id}",
                ["version"] = ScimUsers.Version(group),
            };
            return group;
        })];
    }

    private static ScimException NotFound(Guid id) => new(404, null, $"There is no group {id} here.");
}
