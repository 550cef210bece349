using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>Finds attributes by name in a resource's JSON the way SCIM does: names are case-insensitive.</summary>
public static class ScimJson
{
    public static string? KeyOf(JsonObject obj, string name) =>
        obj.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    public static JsonNode? Get(JsonObject obj, string name) => KeyOf(obj, name) is { } key ? obj[key] : null;

    /// <summary>Every value at the path, with multi-valued attributes flattened (emails.value: each email's value).</summary>
    public static IEnumerable<JsonNode> Values(JsonObject resource, ScimPath path)
    {
        var container = path.Container(resource, create: false);
        if (container is null) return [];
        var node = Get(container, path.Attribute);
        IEnumerable<JsonNode> items = node switch
        {
            null => [],
            JsonArray array => array.OfType<JsonNode>(),
            _ => [node],
        };
        if (path.ValueFilter is { } filter) items = items.OfType<JsonObject>().Where(filter.Matches);
        if (path.SubAttribute is { } sub)
            items = items.OfType<JsonObject>().Select(o => Get(o, sub)).OfType<JsonNode>();
        return [.. items];
    }
}
