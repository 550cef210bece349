using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Xapi;

/// <summary>What a document write says it expects of the stored document (RFC 7232 preconditions).</summary>
public sealed record Preconditions(string? IfMatch, string? IfNoneMatch)
{
    public bool Any => IfMatch is not null || IfNoneMatch is not null;
}

/// <summary>When a PUT must say which version of the document it replaces (If-Match / If-None-Match).</summary>
public enum PreconditionRule
{
    None,
    WhenTheDocumentExists,
    Always,
}

/// <summary>
/// The State, Activity Profile and Agent Profile resources: documents found by kind, scope and id, written with
/// ETag concurrency (xAPI Communication 3.1) and merged on POST when both are JSON objects.
/// </summary>
public sealed class DocumentStore(TacitDbContext db, TimeProvider clock)
{
    public Task<XapiDocument?> FindAsync(XapiDocumentKind kind, string scope, string documentId, CancellationToken ct = default) =>
        Find(kind, scope, documentId).AsNoTracking().SingleOrDefaultAsync(ct);

    private IQueryable<XapiDocument> Find(XapiDocumentKind kind, string scope, string documentId)
    {
        var documentHash = XapiHash.Of(documentId);
        return InScope(kind, scope).Where(d => d.DocumentIdHash == documentHash);
    }

    private IQueryable<XapiDocument> InScope(XapiDocumentKind kind, string scope)
    {
        var scopeHash = XapiHash.Of(scope);
        return db.Set<XapiDocument>().Where(d => d.Kind == kind && d.ScopeHash == scopeHash);
    }

    public Task<List<string>> IdsAsync(XapiDocumentKind kind, string scope, DateTimeOffset? since, CancellationToken ct = default)
    {
        var documents = InScope(kind, scope).AsNoTracking();
        if (since is { } after) documents = documents.Where(d => d.Updated > after);
        return documents.OrderBy(d => d.DocumentId).Select(d => d.DocumentId).ToListAsync(ct);
    }

    /// <summary>
    /// PUT replaces; POST merges a JSON object into a stored JSON object (and stores it when there is none).
    /// <paramref name="agentKey"/> is the agent of a state or agent profile document, kept hashed so that erasing a
    /// person finds their documents whatever activity they belong to.
    /// </summary>
    public async Task WriteAsync(XapiDocumentKind kind, string scope, string? agentKey, string documentId, string contentType, byte[] content, bool merge,
        Preconditions preconditions, PreconditionRule rule, CancellationToken ct = default)
    {
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var existing = await Find(kind, scope, documentId).SingleOrDefaultAsync(ct);
        Check(existing, preconditions);
        if (!merge && !preconditions.Any && existing is not null && rule != PreconditionRule.None)
            throw new XapiException(StatusCodes.Status409Conflict, "The document exists: send If-Match with its ETag to say which version you are replacing.");
        if (!merge && !preconditions.Any && rule == PreconditionRule.Always)
            throw XapiException.BadRequest("Send If-Match with the document's ETag, or If-None-Match: * for a new document.");
        if (merge)
        {
            var incoming = JsonObjectOf(contentType, content);
            if (existing is not null)
            {
                var stored = JsonObjectOf(existing.ContentType, existing.Content)
                    ?? throw XapiException.BadRequest("The stored document is not a JSON object, so it cannot be merged into: PUT it instead.");
                if (incoming is null) throw XapiException.BadRequest("POST merges JSON objects: send application/json with a JSON object.");
                foreach (var (name, value) in incoming) stored[name] = value?.DeepClone();
                content = JsonSerializer.SerializeToUtf8Bytes(stored);
                contentType = "application/json";
            }
            else if (incoming is null && IsJson(contentType))
            {
                throw XapiException.BadRequest("POST merges JSON objects: the document must be a JSON object.");
            }
        }
        var document = existing ?? db.Set<XapiDocument>().Add(new XapiDocument
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            OrganisationId = db.CurrentOrganisationId,
            Kind = kind,
            ScopeHash = XapiHash.Of(scope),
            AgentHash = agentKey is null ? null : XapiHash.Of(agentKey),
            DocumentId = documentId,
            DocumentIdHash = XapiHash.Of(documentId),
        }).Entity;
        document.ContentType = contentType;
        document.Content = content;
        document.ETag = ETagOf(content);
        document.Updated = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Deletes one document, or every document of the scope when <paramref name="documentId"/> is null.</summary>
    public async Task DeleteAsync(XapiDocumentKind kind, string scope, string? documentId, Preconditions preconditions, CancellationToken ct = default)
    {
        var documents = InScope(kind, scope);
        if (documentId is not null)
        {
            var existing = await Find(kind, scope, documentId).SingleOrDefaultAsync(ct);
            Check(existing, preconditions);
            if (existing is null) return;
            db.Remove(existing);
            await db.SaveChangesAsync(ct);
            return;
        }
        await documents.ExecuteDeleteAsync(ct);
    }

    // xAPI 1.0.3 asks for the SHA-1 of the content as the ETag; it names a version, it protects nothing.
#pragma warning disable CA5350
    public static string ETagOf(byte[] content) => "\"" + Convert.ToHexStringLower(SHA1.HashData(content)) + "\"";
#pragma warning restore CA5350

    private static void Check(XapiDocument? existing, Preconditions preconditions)
    {
        if (preconditions.IfMatch is { } ifMatch && (existing is null || !Matches(ifMatch, existing.ETag)))
            throw new XapiException(StatusCodes.Status412PreconditionFailed, "The document is not the version If-Match names.");
        if (preconditions.IfNoneMatch is { } ifNoneMatch && existing is not null && Matches(ifNoneMatch, existing.ETag))
            throw new XapiException(StatusCodes.Status412PreconditionFailed, "The document exists, and If-None-Match said it should not.");
    }

    private static bool Matches(string header, string etag) =>
        header.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == etag || t == etag.Trim('"') || t == "W/" + etag);

    public static bool IsJson(string contentType) => contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    private static JsonObject? JsonObjectOf(string contentType, byte[] content)
    {
        if (!IsJson(contentType)) return null;
        try
        {
            return JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
