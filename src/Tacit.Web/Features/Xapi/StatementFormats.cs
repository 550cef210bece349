using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Xapi;

/// <summary>The ids and canonical formats of GET /xapi/statements (xAPI Communication 2.1.3).</summary>
public static class StatementFormats
{
    private static readonly string[] Identifiers = ["mbox", "mbox_sha1sum", "openid", "account"];
    private static readonly string[] LanguageMaps = ["name", "description", "display"];

    /// <summary>Agents, groups, activities and verbs reduced to what identifies them.</summary>
    public static JsonObject Ids(JsonObject statement)
    {
        var s = statement.DeepClone().AsObject();
        Reduce(s);
        return s;
    }

    private static void Reduce(JsonObject s)
    {
        if (s["actor"] is JsonObject actor) s["actor"] = Actor(actor);
        if (s["authority"] is JsonObject authority) s["authority"] = Actor(authority);
        if (s["verb"] is JsonObject verb) s["verb"] = new JsonObject { ["id"] = verb["id"]!.DeepClone() };
        if (s["object"] is JsonObject target)
        {
            switch (target["objectType"]?.GetValue<string>() ?? "Activity")
            {
                case "Activity":
                    s["object"] = Activity(target);
                    break;
                case "Agent" or "Group":
                    s["object"] = Actor(target);
                    break;
                case "SubStatement":
                    Reduce(target);
                    break;
            }
        }
        if (s["context"] is not JsonObject context) return;
        if (context["instructor"] is JsonObject instructor) context["instructor"] = Actor(instructor);
        if (context["team"] is JsonObject team) context["team"] = Actor(team);
        if (context["contextActivities"] is JsonObject lists)
        {
            foreach (var name in lists.Select(p => p.Key).ToList())
            {
                lists[name] = lists[name] switch
                {
                    JsonArray array => new JsonArray(array.Select(a => (JsonNode)Activity(a!.AsObject())).ToArray()),
                    JsonObject one => new JsonArray(Activity(one)),
                    _ => lists[name]!.DeepClone(),
                };
            }
        }
    }

    private static JsonObject Activity(JsonObject activity)
    {
        return new JsonObject { ["id"] = activity["id"]!.DeepClone() };
    }

    private static JsonObject Actor(JsonObject actor)
    {
        var reduced = new JsonObject();
        if (actor["objectType"] is { } type) reduced["objectType"] = type.DeepClone();
        var identified = false;
        foreach (var property in Identifiers)
        {
            if (actor[property] is not { } value) continue;
            reduced[property] = value.DeepClone();
            identified = true;
        }
        if (!identified && actor["member"] is JsonArray members)
            reduced["member"] = new JsonArray(members.Select(m => (JsonNode)Actor(m!.AsObject())).ToArray());
        return reduced;
    }

    /// <summary>Each language map keeps only the language the client prefers (Accept-Language), or its first entry.</summary>
    public static JsonObject Canonical(JsonObject statement, string? acceptLanguage)
    {
        var preferred = (acceptLanguage ?? "").Split(',')
            .Select(l => l.Split(';')[0].Trim())
            .Where(l => l.Length > 0 && l != "*")
            .ToList();
        var s = statement.DeepClone().AsObject();
        Walk(s, preferred);
        return s;
    }

    private static void Walk(JsonNode? node, List<string> preferred)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (name == "extensions") continue;
                    if (LanguageMaps.Contains(name) && value is JsonObject map && map.Count > 1)
                        o[name] = OneLanguage(map, preferred);
                    else
                        Walk(value, preferred);
                }
                break;
            case JsonArray array:
                foreach (var item in array) Walk(item, preferred);
                break;
        }
    }

    private static JsonObject OneLanguage(JsonObject map, List<string> preferred)
    {
        foreach (var language in preferred)
        {
            var match = map.FirstOrDefault(p => string.Equals(p.Key, language, StringComparison.OrdinalIgnoreCase)
                || p.Key.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase));
            if (match.Key is not null) return new JsonObject { [match.Key] = match.Value?.DeepClone() };
        }
        var first = map.First();
        return new JsonObject { [first.Key] = first.Value?.DeepClone() };
    }
}
