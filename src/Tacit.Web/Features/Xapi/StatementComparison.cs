using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// When two statements are the same one (xAPI Data 2.3 and 4.2.7 of 2.0): ignoring what the LRS sets (id when one side
/// lacks it, stored, authority, version) and attachments, with a single context activity the same as a list of it, and
/// durations compared to the hundredth of a second.
/// </summary>
public static partial class StatementComparison
{
    public static bool Equivalent(JsonObject a, JsonObject b, bool ignoreAttachments = false)
    {
        var left = Normalised(a, ignoreAttachments, keepId: b.ContainsKey("id"));
        var right = Normalised(b, ignoreAttachments, keepId: a.ContainsKey("id"));
        return JsonNode.DeepEquals(left, right);
    }

    /// <summary>A context activity given alone is stored (and returned) as a list of one (xAPI Data 2.4.6.2).</summary>
    public static void ContextActivitiesAsLists(JsonObject statement)
    {
        foreach (var context in new[] { statement["context"], (statement["object"] as JsonObject)?["context"] })
        {
            if (context?["contextActivities"] is not JsonObject lists) continue;
            foreach (var name in lists.Select(p => p.Key).ToList())
                if (lists[name] is JsonObject single) lists[name] = new JsonArray(single.DeepClone());
        }
    }

    private static JsonObject Normalised(JsonObject statement, bool ignoreAttachments, bool keepId)
    {
        var s = statement.DeepClone().AsObject();
        foreach (var property in new[] { "stored", "authority", "version" }) s.Remove(property);
        if (!keepId) s.Remove("id");
        if (ignoreAttachments) s.Remove("attachments");
        ContextActivitiesAsLists(s);
        foreach (var result in new[] { s["result"], (s["object"] as JsonObject)?["result"] })
            if (result is JsonObject r && r["duration"] is JsonValue d && d.TryGetValue<string>(out var duration))
                r["duration"] = Hundredths().Replace(duration, m => m.Groups[1].Value + (m.Groups[2].Value + "00")[..2] + "S");
        return s;
    }

    [GeneratedRegex(@"(\d+[.,])(\d+)S$")]
    private static partial Regex Hundredths();
}
