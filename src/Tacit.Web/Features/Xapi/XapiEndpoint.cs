using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// The learning record store at /xapi (docs/xapi.md): xAPI 1.0.3 and 2.0 over HTTP Basic credentials of one
/// organisation. Answers are what the xAPI specification asks for (plain-text errors, its status codes and headers),
/// not the API's problem details.
/// </summary>
public static partial class XapiEndpoint
{
    public const string Path = "/xapi";

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private static readonly HashSet<string> StatementParameters =
    [
        "statementId", "voidedStatementId", "agent", "verb", "activity", "registration", "related_activities", "related_agents",
        "since", "until", "limit", "format", "attachments", "ascending", "cursor",
    ];

    public static IEndpointRouteBuilder MapXapi(this IEndpointRouteBuilder app)
    {
        app.Map(Path + "/{**resource}", HandleAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var resource = (context.Request.RouteValues["resource"] as string ?? "").TrimEnd('/');
        try
        {
            if (resource == "about")
            {
                await AboutAsync(context);
                return;
            }
            var request = await XapiRequest.ReadAsync(context.Request, ct);
            var version = VersionOf(request, context.RequestServices.GetRequiredService<IMemoryCache>());
            context.Response.Headers["X-Experience-API-Version"] = version == XapiVersion.V2 ? "2.0.0" : "1.0.3";
            if (request.Alternate && version == XapiVersion.V2)
                throw XapiException.BadRequest("xAPI 2.0 has no alternate request syntax.");
            var credential = await AuthenticateAsync(context, request);
            if (credential is null)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Tacit xAPI\"";
                await PlainAsync(context, StatusCodes.Status401Unauthorized, "Send the key and secret of an LRS credential with HTTP Basic authentication.");
                return;
            }
            var services = context.RequestServices;
            var tenant = services.GetRequiredService<TenantContext>();
            if (tenant.HasOrganisation && tenant.OrganisationId != credential.OrganisationId)
            {
                await PlainAsync(context, StatusCodes.Status403Forbidden, "This credential belongs to another organisation than the one signed in.");
                return;
            }
            tenant.Use(credential.OrganisationId);
            var call = new XapiCall(context, request, version, credential, services);
            switch (resource)
            {
                case "statements":
                    await StatementsAsync(call, ct);
                    break;
                case "activities/state":
                    await DocumentsAsync(call, XapiDocumentKind.State, ct);
                    break;
                case "activities/profile":
                    await DocumentsAsync(call, XapiDocumentKind.ActivityProfile, ct);
                    break;
                case "agents/profile":
                    await DocumentsAsync(call, XapiDocumentKind.AgentProfile, ct);
                    break;
                case "activities":
                    await ActivitiesAsync(call, ct);
                    break;
                case "agents":
                    await AgentsAsync(call);
                    break;
                default:
                    await PlainAsync(context, StatusCodes.Status404NotFound, $"There is no xAPI resource '{resource}'.");
                    break;
            }
        }
        catch (XapiException e) when (!context.Response.HasStarted)
        {
            if (e.Version is { } version) context.Response.Headers["X-Experience-API-Version"] = version == XapiVersion.V2 ? "2.0.0" : "1.0.3";
            await PlainAsync(context, e.Status, e.Message);
        }
        catch (Tacit.Domain.ConflictException e) when (!context.Response.HasStarted)
        {
            await PlainAsync(context, StatusCodes.Status409Conflict, e.Message);
        }
    }

    private sealed record XapiCall(HttpContext Context, XapiRequest Request, XapiVersion Version, LrsCredential Credential, IServiceProvider Services)
    {
        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
    }

    private static async Task AboutAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await PlainAsync(context, StatusCodes.Status405MethodNotAllowed, "The about resource answers GET only.");
            return;
        }
        context.Response.Headers["X-Experience-API-Version"] = "2.0.0";
        await JsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["version"] = new JsonArray("1.0.3", "2.0.0"), ["extensions"] = new JsonObject() });
    }

    /// <summary>
    /// The version the request speaks. A request without one (or with one this LRS does not speak) is refused, and the
    /// refusal names the version this client spoke last (or 2.0.0): the client then learns what to send in its own terms.
    /// </summary>
    private static XapiVersion VersionOf(XapiRequest request, IMemoryCache spoken)
    {
        var header = request.Header("X-Experience-API-Version");
        var client = ("xapi-version", BasicCredentials(request)?.Key ?? "");
        XapiVersion? version = header is null ? null : Version1().IsMatch(header) ? XapiVersion.V1 : Version2().IsMatch(header) ? XapiVersion.V2 : null;
        if (version is { } known)
        {
            spoken.Set(client, known, TimeSpan.FromHours(1));
            return known;
        }
        throw new XapiException(StatusCodes.Status400BadRequest, string.IsNullOrWhiteSpace(header)
            ? "Send the X-Experience-API-Version header (1.0.3 or 2.0.0)."
            : $"This LRS speaks xAPI 1.0.x and 2.0.x, not '{header}'.")
        {
            Version = spoken.TryGetValue(client, out XapiVersion last) ? last : XapiVersion.V2,
        };
    }

    /// <summary>The user name and password of an HTTP Basic Authorization header (RFC 7617), or null.</summary>
    private static (string Key, string Secret)? BasicCredentials(XapiRequest request)
    {
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? (decoded[..colon], decoded[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<LrsCredential?> AuthenticateAsync(HttpContext context, XapiRequest request)
    {
        if (BasicCredentials(request) is not var (key, secret)) return null;
        return await context.RequestServices.GetRequiredService<LrsCredentials>().CheckAsync(key, secret, context.RequestAborted);
    }

    // ---- Statements ----

    private static async Task StatementsAsync(XapiCall call, CancellationToken ct)
    {
        switch (call.Request.Method)
        {
            case "GET":
                await GetStatementsAsync(call, ct);
                break;
            case "PUT":
                await PutStatementAsync(call, ct);
                break;
            case "POST":
                await PostStatementsAsync(call, ct);
                break;
            default:
                throw new XapiException(StatusCodes.Status405MethodNotAllowed, "Statements are stored with PUT or POST and read with GET.");
        }
    }

    private static async Task PutStatementAsync(XapiCall call, CancellationToken ct)
    {
        Only(call.Request, ["statementId"]);
        var id = call.Request.Parameter("statementId") is { } text && StatementValidator.IsUuid(text)
            ? Guid.Parse(text) : throw XapiException.BadRequest("PUT needs a statementId parameter that is a UUID.");
        var (body, attachments) = await ReadStatementsAsync(call.Request, ct);
        if (body is not JsonObject statement) throw XapiException.BadRequest("PUT takes one statement, as a JSON object.");
        if (statement["id"] is JsonValue given && (given.GetValueKind() != JsonValueKind.String || !Guid.TryParse(given.GetValue<string>(), out var bodyId) || bodyId != id))
            throw XapiException.BadRequest("The statement's id is not the statementId parameter.");
        statement["id"] ??= id.ToString();
        await call.Get<StatementStore>().StoreAsync([statement], attachments, Authority(call), call.Version, ct);
        call.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task PostStatementsAsync(XapiCall call, CancellationToken ct)
    {
        Only(call.Request, []);
        var (body, attachments) = await ReadStatementsAsync(call.Request, ct);
        List<JsonObject> statements = body switch
        {
            JsonObject one => [one],
            JsonArray many => many.Select(s => s as JsonObject ?? throw XapiException.BadRequest("Each statement must be a JSON object.")).ToList(),
            _ => throw XapiException.BadRequest("POST takes a statement or an array of statements."),
        };
        var ids = await call.Get<StatementStore>().StoreAsync(statements, attachments, Authority(call), call.Version, ct);
        await JsonAsync(call.Context, StatusCodes.Status200OK, new JsonArray(ids.Select(i => (JsonNode)i.ToString()).ToArray()));
    }

    /// <summary>The authority of statements stored with this credential: the credential itself, as an account of this LRS.</summary>
    private static JsonObject Authority(XapiCall call)
    {
        var request = call.Context.Request;
        return new JsonObject
        {
            ["objectType"] = "Agent",
            ["name"] = call.Credential.Name,
            ["account"] = new JsonObject { ["homePage"] = $"{request.Scheme}://{request.Host}{request.PathBase}{Path}", ["name"] = call.Credential.Key },
        };
    }

    private static async Task<(JsonNode? Body, Dictionary<string, AttachmentContent> Attachments)> ReadStatementsAsync(XapiRequest request, CancellationToken ct)
    {
        var attachments = new Dictionary<string, AttachmentContent>(StringComparer.Ordinal);
        var contentType = request.ContentType;
        if (contentType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
        {
            if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
                throw XapiException.BadRequest("A multipart/mixed request needs a boundary.");
            var reader = new MultipartReader(boundary, new MemoryStream(request.Body));
            JsonNode? body = null;
            var first = true;
            try
            {
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    using var buffer = new MemoryStream();
                    await section.Body.CopyToAsync(buffer, ct);
                    var content = buffer.ToArray();
                    if (first)
                    {
                        if (!(section.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                            throw XapiException.BadRequest("The first part of a multipart request must be the statements, as application/json.");
                        body = Parse(content);
                        first = false;
                        continue;
                    }
                    var hash = section.Headers?.TryGetValue("X-Experience-API-Hash", out var h) == true ? h.ToString() : null;
                    if (string.IsNullOrEmpty(hash)) throw XapiException.BadRequest("Each attachment part needs an X-Experience-API-Hash header.");
                    if (section.Headers?.TryGetValue("Content-Transfer-Encoding", out var encoding) != true || !string.Equals(encoding.ToString(), "binary", StringComparison.OrdinalIgnoreCase))
                        throw XapiException.BadRequest("Each attachment part needs Content-Transfer-Encoding: binary.");
                    if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(content)), hash, StringComparison.OrdinalIgnoreCase))
                        throw XapiException.BadRequest($"The attachment part {hash} does not have that SHA-256.");
                    attachments[hash] = new AttachmentContent(hash, section.ContentType ?? "application/octet-stream", content);
                }
            }
            catch (IOException)
            {
                throw XapiException.BadRequest("The multipart body cannot be read.");
            }
            catch (InvalidDataException)
            {
                throw XapiException.BadRequest("The multipart body cannot be read.");
            }
            if (first) throw XapiException.BadRequest("The multipart request has no statements part.");
            return (body, attachments);
        }
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !(request.Alternate && contentType.Length == 0))
            throw XapiException.BadRequest("Statements are sent as application/json (or multipart/mixed with attachments).");
        return (Parse(request.Body), attachments);
    }

    private static JsonNode? Parse(byte[] content)
    {
        try
        {
            return JsonNode.Parse(content, documentOptions: StrictJson);
        }
        catch (JsonException)
        {
            throw XapiException.BadRequest("The body is not valid JSON.");
        }
        catch (ArgumentException)
        {
            throw XapiException.BadRequest("The body has a property twice.");
        }
    }

    private static async Task GetStatementsAsync(XapiCall call, CancellationToken ct)
    {
        var request = call.Request;
        var response = call.Context.Response;
        response.Headers["X-Experience-API-Consistent-Through"] = Timestamp(call.Get<TimeProvider>().GetUtcNow());
        Only(request, StatementParameters);
        var format = request.Parameter("format") ?? "exact";
        if (format is not ("exact" or "ids" or "canonical")) throw XapiException.BadRequest("format must be ids, exact or canonical.");
        var withAttachments = Flag(request, "attachments");
        var store = call.Get<StatementStore>();

        var statementId = request.Parameter("statementId");
        var voidedId = request.Parameter("voidedStatementId");
        if (statementId is not null || voidedId is not null)
        {
            if (statementId is not null && voidedId is not null) throw XapiException.BadRequest("Ask for statementId or voidedStatementId, not both.");
            if (request.Parameters.Keys.Any(k => k is not ("statementId" or "voidedStatementId" or "format" or "attachments")))
                throw XapiException.BadRequest("With statementId or voidedStatementId, only format and attachments may be given.");
            var text = statementId ?? voidedId!;
            if (!StatementValidator.IsUuid(text)) throw XapiException.BadRequest("The statement id must be a UUID.");
            var row = await store.FindAsync(Guid.Parse(text), voided: voidedId is not null, ct)
                ?? throw new XapiException(StatusCodes.Status404NotFound, "No such statement.");
            response.Headers.LastModified = row.Stored.ToString("R", CultureInfo.InvariantCulture);
            var statement = Formatted(JsonNode.Parse(row.Json)!.AsObject(), format, request.Header("Accept-Language"));
            await WithAttachmentsAsync(call, statement, [statement], withAttachments, ct);
            return;
        }

        var query = QueryOf(request);
        var (rows, next) = await store.QueryAsync(query, ct);
        var statements = rows.Select(r => Formatted(JsonNode.Parse(r.Json)!.AsObject(), format, request.Header("Accept-Language"))).ToList();
        var result = new JsonObject
        {
            ["statements"] = new JsonArray(statements.Select(s => (JsonNode)s).ToArray()),
            ["more"] = next is { } after ? MoreLink(call, after) : "",
        };
        await WithAttachmentsAsync(call, result, statements, withAttachments, ct);
    }

    private static StatementQuery QueryOf(XapiRequest request)
    {
        var keys = new List<(XapiKeyKind, string)>();
        if (request.Parameter("agent") is { } agent)
            keys.Add((Flag(request, "related_agents") ? XapiKeyKind.RelatedAgent : XapiKeyKind.Agent, Agents.Parse(agent, "agent").Key));
        if (request.Parameter("verb") is { } verb)
            keys.Add((XapiKeyKind.Verb, StatementValidator.IsIri(verb) ? verb : throw XapiException.BadRequest("verb must be an IRI.")));
        if (request.Parameter("activity") is { } activity)
            keys.Add((Flag(request, "related_activities") ? XapiKeyKind.RelatedActivity : XapiKeyKind.Activity,
                StatementValidator.IsIri(activity) ? activity : throw XapiException.BadRequest("activity must be an IRI.")));
        if (request.Parameter("registration") is { } registration)
            keys.Add((XapiKeyKind.Registration, StatementValidator.IsUuid(registration) ? registration.ToLowerInvariant() : throw XapiException.BadRequest("registration must be a UUID.")));
        int? limit = null;
        if (request.Parameter("limit") is { } limitText)
            limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw XapiException.BadRequest("limit must be a whole number, 0 or more.");
        long? after = null;
        if (request.Parameter("cursor") is { } cursor)
            after = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : throw XapiException.BadRequest("cursor is not one this LRS gave.");
        return new StatementQuery(keys, TimeParameter(request, "since"), TimeParameter(request, "until"), limit, Flag(request, "ascending"), after);
    }

    private static string MoreLink(XapiCall call, long after)
    {
        var parameters = call.Request.Parameters.Where(p => p.Key != "cursor").Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).ToList();
        parameters.Add(new("cursor", after.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString($"{call.Context.Request.PathBase}{Path}/statements", parameters);
    }

    private static DateTimeOffset? TimeParameter(XapiRequest request, string name) =>
        request.Parameter(name) is { } text ? StatementValidator.Timestamp(JsonValue.Create(text), name) : null;

    private static bool Flag(XapiRequest request, string name) => request.Parameter(name) switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw XapiException.BadRequest($"{name} must be true or false."),
    };

    /// <summary>Answers JSON, or multipart/mixed with the attachments' content after it when they were asked for.</summary>
    private static async Task WithAttachmentsAsync(XapiCall call, JsonNode result, IReadOnlyList<JsonObject> statements, bool withAttachments, CancellationToken ct)
    {
        var response = call.Context.Response;
        if (!withAttachments)
        {
            await JsonAsync(call.Context, StatusCodes.Status200OK, result);
            return;
        }
        var sha2s = statements.SelectMany(DeclaredAttachments).Select(a => a["sha2"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var contents = await call.Get<StatementStore>().AttachmentsAsync(sha2s, ct);
        var boundary = "xapi-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"multipart/mixed; boundary={boundary}";
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write($"--{boundary}\r\nContent-Type: application/json\r\n\r\n{result.ToJsonString()}\r\n");
        foreach (var attachment in contents)
        {
            Write($"--{boundary}\r\nContent-Type: {attachment.ContentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {attachment.Sha2}\r\n\r\n");
            body.Write(attachment.Content);
            Write("\r\n");
        }
        Write($"--{boundary}--\r\n");
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body.ToArray(), ct);
    }

    private static IEnumerable<JsonObject> DeclaredAttachments(JsonObject statement)
    {
        foreach (var a in statement["attachments"] as JsonArray ?? []) if (a is JsonObject o && o["sha2"] is not null) yield return o;
        if (statement["object"] is JsonObject sub)
            foreach (var a in sub["attachments"] as JsonArray ?? []) if (a is JsonObject o && o["sha2"] is not null) yield return o;
    }

    /// <summary>format=exact returns what was stored; ids keeps only what identifies; canonical keeps one language of each map.</summary>
    private static JsonObject Formatted(JsonObject statement, string format, string? acceptLanguage) => format switch
    {
        "ids" => StatementFormats.Ids(statement),
        "canonical" => StatementFormats.Canonical(statement, acceptLanguage),
        _ => statement,
    };

    // ---- Documents, activities, agents ----

    private static async Task DocumentsAsync(XapiCall call, XapiDocumentKind kind, CancellationToken ct)
    {
        var request = call.Request;
        var idName = kind == XapiDocumentKind.State ? "stateId" : "profileId";
        string[] allowed = kind switch
        {
            XapiDocumentKind.State => ["activityId", "agent", "registration", "stateId", "since"],
            XapiDocumentKind.ActivityProfile => ["activityId", "profileId", "since"],
            _ => ["agent", "profileId", "since"],
        };
        Only(request, allowed);
        var scope = new StringBuilder();
        if (kind != XapiDocumentKind.AgentProfile)
        {
            var activityId = request.Parameter("activityId") ?? throw XapiException.BadRequest("The activityId parameter is required.");
            if (!StatementValidator.IsIri(activityId)) throw XapiException.BadRequest("activityId must be an IRI.");
            scope.Append(activityId);
        }
        var agentKey = kind == XapiDocumentKind.ActivityProfile ? null : Agents.Parse(request.Parameter("agent"), "agent").Key;
        if (agentKey is not null) scope.Append('\n').Append(agentKey);
        if (request.Parameter("registration") is { } registration)
            scope.Append('\n').Append(StatementValidator.IsUuid(registration) ? registration.ToLowerInvariant() : throw XapiException.BadRequest("registration must be a UUID."));
        var documentId = request.Parameter(idName);
        var store = call.Get<DocumentStore>();
        var preconditions = new Preconditions(request.Header("If-Match"), request.Header("If-None-Match"));
        var response = call.Context.Response;
        switch (request.Method)
        {
            case "GET":
                if (documentId is null)
                {
                    var ids = await store.IdsAsync(kind, scope.ToString(), TimeParameter(request, "since"), ct);
                    await JsonAsync(call.Context, StatusCodes.Status200OK, new JsonArray(ids.Select(i => (JsonNode)i).ToArray()));
                    return;
                }
                if (request.Parameter("since") is not null) throw XapiException.BadRequest($"since is for listing documents, without {idName}.");
                var document = await store.FindAsync(kind, scope.ToString(), documentId, ct)
                    ?? throw new XapiException(StatusCodes.Status404NotFound, "No such document.");
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = document.ContentType;
                response.Headers.ETag = document.ETag;
                response.Headers.LastModified = document.Updated.ToString("R", CultureInfo.InvariantCulture);
                response.ContentLength = document.Content.Length;
                await response.Body.WriteAsync(document.Content, ct);
                return;
            case "PUT" or "POST":
                if (documentId is null) throw XapiException.BadRequest($"The {idName} parameter is required.");
                if (request.Parameter("since") is not null) throw XapiException.BadRequest("since is for listing documents.");
                var contentType = request.ContentType.Length > 0 ? request.ContentType : "application/octet-stream";
                if (DocumentStore.IsJson(contentType)) Parse(request.Body);
                // xAPI 1.0.3 asks profile writers for a precondition always; 2.0 asks every writer when the document exists.
                var rule = (call.Version, kind) switch
                {
                    (XapiVersion.V1, XapiDocumentKind.State) => PreconditionRule.None,
                    (XapiVersion.V1, _) => PreconditionRule.Always,
                    _ => PreconditionRule.WhenTheDocumentExists,
                };
                await store.WriteAsync(kind, scope.ToString(), agentKey, documentId, contentType, request.Body, merge: request.Method == "POST", preconditions, rule, ct);
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "DELETE":
                if (documentId is null && kind != XapiDocumentKind.State) throw XapiException.BadRequest("The profileId parameter is required.");
                if (request.Parameter("since") is not null) throw XapiException.BadRequest("since is for listing documents.");
                await store.DeleteAsync(kind, scope.ToString(), documentId, preconditions, ct);
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            default:
                throw new XapiException(StatusCodes.Status405MethodNotAllowed, "Documents are read with GET and written with PUT, POST or DELETE.");
        }
    }

    private static async Task ActivitiesAsync(XapiCall call, CancellationToken ct)
    {
        if (call.Request.Method != "GET") throw new XapiException(StatusCodes.Status405MethodNotAllowed, "The activities resource answers GET only.");
        Only(call.Request, ["activityId"]);
        var activityId = call.Request.Parameter("activityId") ?? throw XapiException.BadRequest("The activityId parameter is required.");
        if (!StatementValidator.IsIri(activityId)) throw XapiException.BadRequest("activityId must be an IRI.");
        var json = await call.Get<StatementStore>().ActivityAsync(activityId, ct);
        await JsonAsync(call.Context, StatusCodes.Status200OK, json is null ? new JsonObject { ["objectType"] = "Activity", ["id"] = activityId } : JsonNode.Parse(json)!);
    }

    private static async Task AgentsAsync(XapiCall call)
    {
        if (call.Request.Method != "GET") throw new XapiException(StatusCodes.Status405MethodNotAllowed, "The agents resource answers GET only.");
        Only(call.Request, ["agent"]);
        var (agent, _) = Agents.Parse(call.Request.Parameter("agent"), "agent");
        var person = new JsonObject { ["objectType"] = "Person" };
        foreach (var property in new[] { "name", "mbox", "mbox_sha1sum", "openid", "account" })
            if (agent[property] is { } value) person[property] = new JsonArray(value.DeepClone());
        await JsonAsync(call.Context, StatusCodes.Status200OK, person);
    }

    // ---- Answers ----

    private static void Only(XapiRequest request, IEnumerable<string> allowed)
    {
        var known = allowed.ToHashSet(StringComparer.Ordinal);
        foreach (var name in request.Parameters.Keys)
            if (!known.Contains(name)) throw XapiException.BadRequest($"This resource has no parameter '{name}'.");
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static async Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    [GeneratedRegex(@"^1\.0(?:\.\d+)?$")]
    private static partial Regex Version1();

    [GeneratedRegex(@"^2\.0(?:\.\d+)?$")]
    private static partial Regex Version2();
}
