using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>A SCIM list response (RFC 7644 §3.4.2), one page of it.</summary>
public static class ScimList
{
    public static JsonObject Of(IReadOnlyList<JsonObject> matching, int startIndex, int count)
    {
        var page = matching.Skip(startIndex - 1).Take(count).ToList();
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.ListResponse),
            ["totalResults"] = matching.Count,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = page.Count,
            ["Resources"] = new JsonArray([.. page]),
        };
    }
}
