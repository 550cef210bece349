using System.Text.Json.Nodes;
using Tacit.Domain;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Scim;

/// <summary>
/// SCIM 2.0 provisioning at /scim/v2 (RFC 7643/7644; docs/scim.md), for an identity provider holding one organisation's
/// SCIM token. Answers are SCIM's own (application/scim+json, its error messages and status codes), never the API's
/// problem details, and no failure is a page.
/// </summary>
public static class ScimEndpoint
{
    public const string Path = "/scim/v2";
    public const string ContentType = "application/scim+json";

    public static IEndpointRouteBuilder MapScim(this IEndpointRouteBuilder app)
    {
        app.Map(Path + "/{**resource}", HandleAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            var current = context.RequestServices.GetRequiredService<CurrentUser>();
            if (!current.IsSignedIn)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Tacit SCIM\"";
                throw new ScimException(401, null, "Send a SCIM token of this organisation as Authorization: Bearer.");
            }
            if (!current.IsScim) throw new ScimException(403, null, "Only a SCIM token opens /scim/v2; create one at Settings → API tokens with the role scim.");
            await RouteAsync(context, ct);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, scimType, detail) = e switch
            {
                ScimException s => (s.Status, s.ScimType, s.Message),
                NotFoundException => (404, null, e.Message),
                ForbiddenException => (403, null, e.Message),
                ConflictException => (409, ScimException.Uniqueness, e.Message),
                DomainException => (400, ScimException.InvalidValue, e.Message),
                BadHttpRequestException bad => (bad.StatusCode, null, "The request could not be read."),
                OperationCanceledException when ct.IsCancellationRequested => (499, null, "The client went away."),
                _ when ProblemDetailsExceptionHandler.DatabaseUnreachable(e) => (503, null, "Tacit cannot reach its database just now. Try again in a moment."),
                _ => (500, null, "Tacit could not finish this request."),
            };
            if (status == 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScimEndpoint)).LogError(e, "SCIM request failed");
            if (status == 503) context.Response.Headers.RetryAfter = ProblemDetailsExceptionHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var error = new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.Error), ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (scimType is not null) error["scimType"] = scimType;
            error["detail"] = detail;
            await WriteAsync(context, status, error);
        }
    }

    private static async Task RouteAsync(HttpContext context, CancellationToken ct)
    {
        var request = context.Request;
        var services = context.RequestServices;
        var segments = (request.RouteValues["resource"] as string ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Clients differ in how they spell the endpoints (/users, /Users): the name is matched ignoring case.
        if (segments.Length > 0 && Endpoints.FirstOrDefault(e => string.Equals(e, segments[0], StringComparison.OrdinalIgnoreCase)) is { } endpoint)
            segments[0] = endpoint;
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{Path}";
        var method = request.Method;
        switch (segments)
        {
            case ["ServiceProviderConfig"]:
                Only(method, "GET");
                await WriteAsync(context, 200, ScimSchemas.ServiceProviderConfigDocument(baseUrl));
                return;
            case ["ResourceTypes"]:
                Only(method, "GET");
                await WriteAsync(context, 200, ScimList.Of([ScimSchemas.ResourceTypeDocument("User", baseUrl), ScimSchemas.ResourceTypeDocument("Group", baseUrl)], 1, 2));
                return;
            case ["ResourceTypes", var name]:
                Only(method, "GET");
                await WriteAsync(context, 200, ScimSchemas.ResourceTypeDocument(name, baseUrl));
                return;
            case ["Schemas"]:
                Only(method, "GET");
                await WriteAsync(context, 200, ScimList.Of([.. ScimSchemas.Known.Select(s => ScimSchemas.SchemaDocument(s, baseUrl))], 1, ScimSchemas.Known.Length));
                return;
            case ["Schemas", var id]:
                Only(method, "GET");
                await WriteAsync(context, 200, ScimSchemas.SchemaDocument(id, baseUrl));
                return;
            case ["Users"]:
            {
                var users = services.GetRequiredService<ScimUsers>();
                if (method == "GET")
                {
                    var (start, count) = ScimRequest.Paging(request.Query);
                    await WriteAsync(context, 200, Select(await users.ListAsync(Filter(request), start, count, baseUrl, ct), request));
                    return;
                }
                Only(method, "POST");
                await WriteResourceAsync(context, 201, await users.CreateAsync(await ScimRequest.ReadBodyAsync(request, ct), baseUrl, ct));
                return;
            }
            case ["Users", var userId]:
                await OneAsync(context, services.GetRequiredService<ScimUsers>(), Id(userId, "user"), baseUrl, ct);
                return;
            case ["Groups"]:
            {
                var groups = services.GetRequiredService<ScimGroups>();
                if (method == "GET")
                {
                    var (start, count) = ScimRequest.Paging(request.Query);
                    var withMembers = !Listed(request.Query["excludedAttributes"]).Contains("members");
                    await WriteAsync(context, 200, Select(await groups.ListAsync(Filter(request), start, count, withMembers, baseUrl, ct), request));
                    return;
                }
                Only(method, "POST");
                await WriteResourceAsync(context, 201, await groups.CreateAsync(await ScimRequest.ReadBodyAsync(request, ct), baseUrl, ct));
                return;
            }
            case ["Groups", var groupId]:
                await OneAsync(context, services.GetRequiredService<ScimGroups>(), Id(groupId, "group"), baseUrl, ct);
                return;
            default:
                throw new ScimException(404, null, "There is no such SCIM endpoint; there are Users, Groups, ServiceProviderConfig, ResourceTypes and Schemas.");
        }
    }

    /// <summary>GET, PUT, PATCH or DELETE of one user or group.</summary>
    private static async Task OneAsync(HttpContext context, IScimResources resources, Guid id, string baseUrl, CancellationToken ct)
    {
        var request = context.Request;
        switch (request.Method)
        {
            case "GET": await WriteResourceAsync(context, 200, await resources.GetAsync(id, baseUrl, ct)); return;
            case "PUT": await WriteResourceAsync(context, 200, await resources.ReplaceAsync(id, await ScimRequest.ReadBodyAsync(request, ct), request, baseUrl, ct)); return;
            case "PATCH": await WriteResourceAsync(context, 200, await resources.PatchAsync(id, await ScimRequest.ReadBodyAsync(request, ct), request, baseUrl, ct)); return;
            case "DELETE": await resources.DeleteAsync(id, request, baseUrl, ct); context.Response.StatusCode = 204; return;
            default: throw NotAllowed("GET, PUT, PATCH, DELETE");
        }
    }

    private static readonly string[] Endpoints = ["Users", "Groups", "ServiceProviderConfig", "ResourceTypes", "Schemas"];

    private static Guid Id(string text, string what) =>
        Guid.TryParse(text, out var id) ? id : throw new ScimException(404, null, $"There is no {what} {text} here.");

    private static ScimFilter? Filter(HttpRequest request)
    {
        var text = request.Query["filter"].ToString();
        if (text.Length > 2000) throw new ScimException(400, ScimException.InvalidFilter, "A filter is at most 2000 characters.");
        return string.IsNullOrWhiteSpace(text) ? null : ScimFilter.Parse(text);
    }

    private static HashSet<string> Listed(string? value) =>
        new((value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

    /// <summary>attributes and excludedAttributes (RFC 7644 §3.4.2.5), on top-level attributes; id, schemas and meta always stay.</summary>
    private static JsonObject Select(JsonObject list, HttpRequest request)
    {
        var only = Listed(request.Query["attributes"]);
        var without = Listed(request.Query["excludedAttributes"]);
        if (only.Count == 0 && without.Count == 0) return list;
        foreach (var resource in (list["Resources"] as JsonArray ?? []).OfType<JsonObject>())
            foreach (var key in resource.Select(p => p.Key).ToList())
            {
                if (key is "id" or "schemas" or "meta") continue;
                if ((only.Count > 0 && !only.Contains(key)) || without.Contains(key)) resource.Remove(key);
            }
        return list;
    }

    private static void Only(string method, string allowed)
    {
        if (method != allowed) throw NotAllowed(allowed);
    }

    private static ScimException NotAllowed(string allowed) => new(405, null, $"This endpoint takes {allowed}.");

    private static Task WriteResourceAsync(HttpContext context, int status, JsonObject resource)
    {
        if (resource["meta"] is JsonObject meta)
        {
            if (meta["version"] is JsonValue version) context.Response.Headers.ETag = version.GetValue<string>();
            if (status == 201 && meta["location"] is JsonValue location) context.Response.Headers.Location = location.GetValue<string>();
        }
        return WriteAsync(context, status, resource);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
