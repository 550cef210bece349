using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>
/// An attribute path of RFC 7644 §3.10: an attribute (optionally qualified by its schema URN), a sub-attribute, and for
/// PATCH a filter on a multi-valued attribute's elements (<c>emails[type eq "work"].value</c>).
/// </summary>
public sealed record ScimPath(string? Schema, string Attribute, string? SubAttribute, ScimFilter? ValueFilter)
{
    /// <summary>Parses a PATCH path or a filter's attribute; a malformed one is refused with the given scimType.</summary>
    public static ScimPath Parse(string text, string scimType = ScimException.InvalidPath)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new ScimException(400, scimType, "An attribute path is empty.");
        var bracket = trimmed.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            var close = trimmed.LastIndexOf(']');
            if (close < bracket) throw new ScimException(400, scimType, $"The path '{trimmed}' opens a filter with '[' and does not close it.");
            var head = Parse(trimmed[..bracket], scimType);
            if (head.SubAttribute is not null) throw new ScimException(400, scimType, $"The path '{trimmed}' filters a sub-attribute.");
            var filter = ScimFilter.Parse(trimmed[(bracket + 1)..close]);
            var rest = trimmed[(close + 1)..];
            string? sub = null;
            if (rest.Length > 0)
            {
                if (rest[0] != '.' || rest.Length == 1) throw new ScimException(400, scimType, $"The path '{trimmed}' has something after its filter that is not '.subAttribute'.");
                sub = CheckName(rest[1..], trimmed, scimType);
            }
            return head with { ValueFilter = filter, SubAttribute = sub };
        }
        string? schema = null;
        var name = trimmed;
        if (trimmed.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            schema = ScimSchemas.Known.Where(s => trimmed.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(s => s.Length)
                ?? throw new ScimException(400, scimType, $"The path '{trimmed}' names a schema Tacit does not know.");
            name = trimmed[(schema.Length + 1)..];
        }
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new ScimPath(schema, CheckName(name, trimmed, scimType), null, null)
            : new ScimPath(schema, CheckName(name[..dot], trimmed, scimType), CheckName(name[(dot + 1)..], trimmed, scimType), null);
    }

    private static string CheckName(string name, string path, string scimType) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$')
            ? name
            : throw new ScimException(400, scimType, $"'{path}' is not an attribute path (such as userName, name.givenName or emails[type eq \"work\"].value).");

    /// <summary>The key under which the resource holds the attribute: the extension's object for an extension attribute.</summary>
    public JsonObject? Container(JsonObject resource, bool create)
    {
        if (Schema is null || ScimSchemas.IsCore(Schema)) return resource;
        var key = resource.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, Schema, StringComparison.OrdinalIgnoreCase));
        if (key is not null && resource[key] is JsonObject existing) return existing;
        if (!create) return null;
        var made = new JsonObject();
        resource[Schema] = made;
        return made;
    }

    public override string ToString() => (Schema is null ? "" : Schema + ":") + Attribute + (SubAttribute is null ? "" : "." + SubAttribute);
}
