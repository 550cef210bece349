using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Xapi;

/// <summary>An attachment's content as it came in a multipart request, named by its SHA-256.</summary>
public sealed record AttachmentContent(string Sha2, string ContentType, byte[] Content);

/// <summary>
/// Stores statements for the current organisation (tenant filter and save guard as for every row) and reads them
/// back: one, or a page of those matching the query parameters, newest first unless ascending.
/// </summary>
public sealed class StatementStore(TacitDbContext db, TimeProvider clock)
{
    public const int PageSize = 100;

    /// <summary>Validates and stores statements in one transaction; a statement already stored identically is kept as it was.</summary>
    public async Task<List<Guid>> StoreAsync(IReadOnlyList<JsonObject> statements, IReadOnlyDictionary<string, AttachmentContent> attachments,
        JsonObject authority, XapiVersion version, CancellationToken ct = default)
    {
        var stored = clock.GetUtcNow();
        var ids = new List<Guid>();
        var seen = new HashSet<Guid>();
        foreach (var statement in statements)
        {
            StatementValidator.Validate(statement, version);
            StatementComparison.ContextActivitiesAsLists(statement);
            var id = statement["id"] is { } given ? Guid.Parse(given.GetValue<string>()) : Guid.CreateVersion7(stored);
            if (!seen.Add(id)) throw XapiException.BadRequest($"The statement id {id} is sent twice.");
            ids.Add(id);
        }
        CheckAttachments(statements, attachments);

        // Almost every statement is new: it is written at once (one SaveChanges, itself atomic), and the unique index on
        // statement ids finds the rare resend. Only then are the stored ones read and compared, in a transaction: a
        // look-up before every write cost a transaction and a round trip more per statement (docs/benchmarks.md).
        if (db.Database.CurrentTransaction is null && !db.ChangeTracker.HasChanges())
        {
            try
            {
                await WriteAsync(statements, ids, new Dictionary<Guid, XapiStatement>(), attachments, stored, authority, version, ct);
                return ids;
            }
            catch (Tacit.Domain.ConflictException)
            {
                db.ChangeTracker.Clear();
            }
        }
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var existing = await db.Set<XapiStatement>().Where(s => ids.Contains(s.StatementId)).ToDictionaryAsync(s => s.StatementId, ct);
        await WriteAsync(statements, ids, existing, attachments, stored, authority, version, ct);
        await transaction.CommitAsync(ct);
        return ids;
    }

    /// <summary>Saves the statements not in <paramref name="existing"/>; one that is there must be the same statement (409 otherwise).</summary>
    private async Task WriteAsync(IReadOnlyList<JsonObject> statements, List<Guid> ids, Dictionary<Guid, XapiStatement> existing,
        IReadOnlyDictionary<string, AttachmentContent> attachments, DateTimeOffset stored, JsonObject authority, XapiVersion version, CancellationToken ct)
    {
        var rows = new List<XapiStatement>();
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (existing.TryGetValue(ids[i], out var before))
            {
                if (!StatementComparison.Equivalent(JsonNode.Parse(before.Json)!.AsObject(), statement))
                    throw new XapiException(StatusCodes.Status409Conflict, $"A different statement with the id {ids[i]} is already stored.");
                continue;
            }
            rows.Add(await NewRowAsync(statement, ids[i], stored, authority, version, ct));
        }
        foreach (var row in rows) db.Set<XapiStatement>().Add(row);
        foreach (var attachment in attachments.Values) await KeepAttachmentAsync(attachment, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Adds a statement Tacit writes itself (its own evidence) to the caller's unit of work: it is saved by the caller's
    /// SaveChanges, in the caller's transaction, with its forwarding row when the organisation forwards statements.
    /// Returns false, adding nothing, when a statement with its id is already stored or staged: an event is recorded once.
    /// </summary>
    public async Task<bool> StageAsync(JsonObject built, JsonObject authority, CancellationToken ct = default) =>
        await StageAsync(built, authority, [], ct);

    /// <summary>As <see cref="StageAsync(JsonObject, JsonObject, CancellationToken)"/>, with the content of attachments the statement declares.</summary>
    public async Task<bool> StageAsync(JsonObject built, JsonObject authority, IReadOnlyCollection<AttachmentContent> attachments, CancellationToken ct = default)
    {
        // Read back as a request's statement is (numbers as JSON numbers, not the CLR types they were built from).
        var statement = JsonNode.Parse(built.ToJsonString())!.AsObject();
        StatementValidator.Validate(statement, XapiVersion.V1);
        StatementComparison.ContextActivitiesAsLists(statement);
        var id = Guid.Parse(statement["id"]!.GetValue<string>());
        var set = db.Set<XapiStatement>();
        if (set.Local.Any(s => s.StatementId == id) || await set.AnyAsync(s => s.StatementId == id, ct)) return false;
        var now = clock.GetUtcNow();
        CheckAttachments([statement], attachments.ToDictionary(a => a.Sha2, StringComparer.Ordinal));
        set.Add(await NewRowAsync(statement, id, now, authority, XapiVersion.V1, ct));
        foreach (var attachment in attachments) await KeepAttachmentAsync(attachment, ct);
        if (await db.Set<XapiForwardingTarget>().AnyAsync(ct))
            db.Set<XapiForward>().Add(new XapiForward { Id = Guid.CreateVersion7(now), OrganisationId = db.CurrentOrganisationId, StatementId = id, CreatedAt = now, NextAttemptAt = now });
        return true;
    }

    private static void CheckAttachments(IReadOnlyList<JsonObject> statements, IReadOnlyDictionary<string, AttachmentContent> attachments)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            foreach (var attachment in Declared(statement))
            {
                var sha2 = attachment["sha2"]!.GetValue<string>();
                declared.Add(sha2);
                if (attachment["fileUrl"] is null && !attachments.ContainsKey(sha2))
                    throw XapiException.BadRequest($"The attachment {sha2} has no fileUrl and is not in the request.");
                if (attachments.TryGetValue(sha2, out var content) && attachment["usageType"]!.GetValue<string>() == Signatures.UsageType)
                    Signatures.Check(statement, content);
            }
        }
        foreach (var sha2 in attachments.Keys)
            if (!declared.Contains(sha2)) throw XapiException.BadRequest($"The request has an attachment {sha2} that no statement declares.");
    }

    private static IEnumerable<JsonObject> Declared(JsonObject statement)
    {
        foreach (var a in statement["attachments"] as JsonArray ?? []) yield return a!.AsObject();
        if (statement["object"] is JsonObject sub && sub["objectType"]?.GetValue<string>() == "SubStatement")
            foreach (var a in sub["attachments"] as JsonArray ?? []) yield return a!.AsObject();
    }

    private async Task KeepAttachmentAsync(AttachmentContent attachment, CancellationToken ct)
    {
        var set = db.Set<XapiAttachment>();
        if (set.Local.Any(a => a.Sha2 == attachment.Sha2) || await set.AnyAsync(a => a.Sha2 == attachment.Sha2, ct)) return;
        set.Add(new XapiAttachment
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            OrganisationId = db.CurrentOrganisationId,
            Sha2 = attachment.Sha2,
            ContentType = attachment.ContentType,
            Content = attachment.Content,
        });
    }

    private async Task<XapiStatement> NewRowAsync(JsonObject statement, Guid id, DateTimeOffset stored, JsonObject authority, XapiVersion version, CancellationToken ct)
    {
        var full = new JsonObject { ["id"] = id.ToString() };
        foreach (var (name, value) in statement)
            if (name is not ("id" or "stored" or "authority")) full[name] = value?.DeepClone();
        full["stored"] = stored.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        full["timestamp"] ??= full["stored"]!.GetValue<string>();
        full["authority"] = authority.DeepClone();
        full["version"] ??= version == XapiVersion.V2 ? "2.0.0" : "1.0.0";

        var row = new XapiStatement
        {
            OrganisationId = db.CurrentOrganisationId,
            StatementId = id,
            Json = full.ToJsonString(),
            Stored = stored,
        };
        AddKeys(row, full);

        if (full["verb"]!["id"]!.GetValue<string>() == StatementValidator.VoidedVerb)
        {
            var targetId = Guid.Parse(full["object"]!["id"]!.GetValue<string>());
            row.VoidsStatementId = targetId;
            var target = await db.Set<XapiStatement>().SingleOrDefaultAsync(s => s.StatementId == targetId, ct);
            if (target is { VoidsStatementId: not null }) throw XapiException.BadRequest("A voiding statement cannot be voided.");
            if (target is not null) target.Voided = true;
        }
        if (full["object"] is JsonObject o && o["objectType"]?.GetValue<string>() == "StatementRef")
        {
            // A statement about a statement is found by what its target is found by (xAPI: filters apply to the target too).
            var targetId = Guid.Parse(o["id"]!.GetValue<string>());
            var inherited = await db.Set<XapiStatementKey>().Where(k => db.Set<XapiStatement>().Any(s => s.StatementId == targetId && s.Id == k.StatementRowId))
                .Select(k => new { k.Kind, k.Hash }).ToListAsync(ct);
            foreach (var key in inherited) AddHash(row, key.Kind, key.Hash);
        }
        await RememberActivitiesAsync(full, ct);
        return row;
    }

    private static void AddKeys(XapiStatement row, JsonObject statement)
    {
        Add(row, XapiKeyKind.Verb, statement["verb"]!["id"]!.GetValue<string>());
        var (direct, related) = Agents.Of(statement);
        foreach (var key in direct) Add(row, XapiKeyKind.Agent, key);
        foreach (var key in related) Add(row, XapiKeyKind.RelatedAgent, key);
        foreach (var (activity, isDirect) in Activities(statement))
        {
            if (isDirect) Add(row, XapiKeyKind.Activity, activity["id"]!.GetValue<string>());
            Add(row, XapiKeyKind.RelatedActivity, activity["id"]!.GetValue<string>());
        }
        if (statement["context"]?["registration"] is JsonValue registration)
            Add(row, XapiKeyKind.Registration, registration.GetValue<string>().ToLowerInvariant());
    }

    private static void Add(XapiStatement row, XapiKeyKind kind, string value) => AddHash(row, kind, XapiHash.Of(value));

    private static void AddHash(XapiStatement row, XapiKeyKind kind, string hash)
    {
        if (!row.Keys.Any(k => k.Kind == kind && k.Hash == hash))
            row.Keys.Add(new XapiStatementKey { OrganisationId = row.OrganisationId, Kind = kind, Hash = hash });
    }

    /// <summary>Every activity a statement names, and whether it is the statement's own object.</summary>
    private static IEnumerable<(JsonObject Activity, bool Direct)> Activities(JsonObject statement)
    {
        if (statement["object"] is JsonObject target)
        {
            var type = target["objectType"]?.GetValue<string>() ?? "Activity";
            if (type == "Activity") yield return (target, true);
            if (type == "SubStatement")
            {
                if (target["object"] is JsonObject inner && (inner["objectType"]?.GetValue<string>() ?? "Activity") == "Activity") yield return (inner, false);
                foreach (var activity in ContextActivities(target["context"] as JsonObject)) yield return (activity, false);
            }
        }
        foreach (var activity in ContextActivities(statement["context"] as JsonObject)) yield return (activity, false);
    }

    private static IEnumerable<JsonObject> ContextActivities(JsonObject? context)
    {
        if (context?["contextActivities"] is not JsonObject lists) yield break;
        foreach (var (_, value) in lists)
        {
            if (value is JsonArray array)
                foreach (var item in array) yield return item!.AsObject();
            else if (value is JsonObject one) yield return one;
        }
    }

    private async Task RememberActivitiesAsync(JsonObject statement, CancellationToken ct)
    {
        foreach (var (activity, _) in Activities(statement))
        {
            if (activity["definition"] is not JsonObject) continue;
            var activityId = activity["id"]!.GetValue<string>();
            var set = db.Set<XapiActivity>();
            var activityHash = XapiHash.Of(activityId);
            var row = set.Local.FirstOrDefault(a => a.ActivityIdHash == activityHash) ?? await set.SingleOrDefaultAsync(a => a.ActivityIdHash == activityHash, ct);
            // The activity is what every statement said of it: later definitions add to (and override) earlier ones.
            var known = row is null ? new JsonObject { ["objectType"] = "Activity", ["id"] = activityId, ["definition"] = new JsonObject() } : JsonNode.Parse(row.Json)!.AsObject();
            var definition = known["definition"]!.AsObject();
            foreach (var (name, value) in activity["definition"]!.AsObject())
            {
                if (name is "name" or "description" && definition[name] is JsonObject languages && value is JsonObject added)
                    foreach (var (language, text) in added) languages[language] = text?.DeepClone();
                else
                    definition[name] = value?.DeepClone();
            }
            if (row is null)
                set.Add(new XapiActivity { Id = Guid.CreateVersion7(clock.GetUtcNow()), OrganisationId = db.CurrentOrganisationId, ActivityId = activityId, ActivityIdHash = activityHash, Json = known.ToJsonString() });
            else
                row.Json = known.ToJsonString();
        }
    }

    /// <summary>One statement by its id; a voided one only by <paramref name="voided"/> (and only then).</summary>
    public async Task<XapiStatement?> FindAsync(Guid id, bool voided, CancellationToken ct = default) =>
        await db.Set<XapiStatement>().AsNoTracking().SingleOrDefaultAsync(s => s.StatementId == id && s.Voided == voided, ct);

    public async Task<(List<XapiStatement> Statements, long? Next)> QueryAsync(StatementQuery query, CancellationToken ct = default)
    {
        var statements = db.Set<XapiStatement>().AsNoTracking().Where(s => !s.Voided);
        var keys = db.Set<XapiStatementKey>();
        foreach (var (kind, value) in query.Keys)
        {
            var hash = XapiHash.Of(value);
            statements = statements.Where(s => keys.Any(k => k.StatementRowId == s.Id && k.Kind == kind && k.Hash == hash));
        }
        if (query.Since is { } since) statements = statements.Where(s => s.Stored > since);
        if (query.Until is { } until) statements = statements.Where(s => s.Stored <= until);
        if (query.After is { } after) statements = query.Ascending ? statements.Where(s => s.Id > after) : statements.Where(s => s.Id < after);
        statements = query.Ascending ? statements.OrderBy(s => s.Id) : statements.OrderByDescending(s => s.Id);
        var limit = query.Limit is > 0 and <= PageSize ? query.Limit.Value : PageSize;
        var rows = await statements.Take(limit + 1).ToListAsync(ct);
        if (rows.Count <= limit) return (rows, null);
        rows.RemoveAt(limit);
        return (rows, rows[^1].Id);
    }

    public async Task<List<XapiAttachment>> AttachmentsAsync(IReadOnlyCollection<string> sha2s, CancellationToken ct = default) =>
        await db.Set<XapiAttachment>().AsNoTracking().Where(a => sha2s.Contains(a.Sha2)).ToListAsync(ct);

    public async Task<string?> ActivityAsync(string activityId, CancellationToken ct = default)
    {
        var hash = XapiHash.Of(activityId);
        return await db.Set<XapiActivity>().AsNoTracking().Where(a => a.ActivityIdHash == hash).Select(a => a.Json).SingleOrDefaultAsync(ct);
    }
}

/// <summary>The filters of GET /xapi/statements, read from its parameters.</summary>
public sealed record StatementQuery(IReadOnlyList<(XapiKeyKind Kind, string Value)> Keys, DateTimeOffset? Since, DateTimeOffset? Until,
    int? Limit, bool Ascending, long? After);
