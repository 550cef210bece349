using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>Reading SCIM request bodies and values strictly, and the version (ETag) of a resource.</summary>
public static class ScimRequest
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 32 };
    public const long MaxBodyBytes = 1_000_000;

    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var type = request.ContentType ?? "";
        if (type.Length > 0 && !type.StartsWith("application/scim+json", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new ScimException(415, null, "Send the body as application/scim+json.");
        if (request.ContentLength > MaxBodyBytes) throw new ScimException(413, null, $"A SCIM request body is at most {MaxBodyBytes} bytes.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes) throw new ScimException(413, null, $"A SCIM request body is at most {MaxBodyBytes} bytes.");
        try
        {
            return JsonNode.Parse(buffer.ToArray(), documentOptions: StrictJson) as JsonObject
                ?? throw new ScimException(400, ScimException.InvalidSyntax, "The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ScimException(400, ScimException.InvalidSyntax, $"The body is not valid JSON: {e.Message}");
        }
    }

    public static void RequireSchema(JsonObject body, string schema)
    {
        if (ScimJson.Get(body, "schemas") is not JsonArray schemas
            || !schemas.Any(s => s is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.Equals(v.GetValue<string>(), schema, StringComparison.OrdinalIgnoreCase)))
            throw new ScimException(400, ScimException.InvalidSyntax, $"\"schemas\" must list {schema}.");
    }

    /// <summary>A string attribute, or null when absent or null; any other type is refused.</summary>
    public static string? Text(JsonObject obj, string name)
    {
        var node = ScimJson.Get(obj, name);
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
            _ => throw new ScimException(400, ScimException.InvalidValue, $"\"{name}\" must be a string."),
        };
    }

    /// <summary>A boolean, also as the strings "True" and "False" that Entra ID sends in PATCH values.</summary>
    public static bool? Flag(JsonObject obj, string name)
    {
        var node = ScimJson.Get(obj, name);
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var parsed) => parsed,
            _ => throw new ScimException(400, ScimException.InvalidValue, $"\"{name}\" must be true or false."),
        };
    }

    public static Guid Id(string? text, string what) =>
        Guid.TryParse(text, out var id) ? id : throw new ScimException(400, ScimException.InvalidValue, $"'{text}' is not the id of {what} here.");

    /// <summary>The resource's version: a hash of what it says, so any change to it changes its ETag.</summary>
    public static string Version(JsonObject withoutMeta) =>
        $"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(withoutMeta.ToJsonString())))[..16]}\"";

    /// <summary>If-Match (RFC 7644 §3.14): a write to a resource that changed since the client read it is refused with 412.</summary>
    public static void CheckIfMatch(HttpRequest request, string version)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch.Trim() == "*") return;
        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        if (!tags.Any(t => Opaque(t) == Opaque(version)))
            throw new ScimException(412, null, "The resource changed since the version given in If-Match; read it again.");
    }

    public static (int StartIndex, int Count) Paging(IQueryCollection query)
    {
        static int? Number(IQueryCollection query, string name)
        {
            var text = query[name].ToString();
            if (text.Length == 0) return null;
            return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? n : throw new ScimException(400, ScimException.InvalidValue, $"{name} must be a whole number.");
        }
        // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
        var start = Math.Max(1, Number(query, "startIndex") ?? 1);
        var count = Math.Clamp(Number(query, "count") ?? ScimSchemas.MaxResults, 0, ScimSchemas.MaxResults);
        return (start, count);
    }
}
