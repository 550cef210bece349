using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// When two statements are the same one (xAPI Data 2.3 and 4.2.7 of 2.0): ignoring what the LRS sets (id and timestamp
/// when one side lacks them, stored, authority, version) and attachments, with a single context activity the same as a list of it, and
/// durations compared to the hundredth of a second.
/// </summary>
public static partial class StatementComparison
{
    private static readonly string[] AlwaysSet = ["stored", "authority", "version"];
    private static readonly string[] FilledIn = ["id", "timestamp"];

    public static bool Equivalent(JsonObject a, JsonObject b, bool ignoreAttachments = false)
    {
        // The LRS fills in id and timestamp when a statement comes without them: one side's absence is no difference.
        string[] filled = [.. FilledIn.Where(p => !a.ContainsKey(p) || !b.ContainsKey(p))];
        var left = Normalised(a, ignoreAttachments, filled);
        var right = Normalised(b, ignoreAttachments, filled);
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

    private static JsonObject Normalised(JsonObject statement, bool ignoreAttachments, string[] filled)
    {
        var s = statement.DeepClone().AsObject();
        foreach (var property in AlwaysSet.Concat(filled)) s.Remove(property);
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
