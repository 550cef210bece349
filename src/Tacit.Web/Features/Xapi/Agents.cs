using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Xapi;

/// <summary>The xAPI version a request speaks (X-Experience-API-Version: 1.0.x or 2.0.x).</summary>
public enum XapiVersion
{
    V1 = 1,
    V2 = 2,
}

/// <summary>
/// Agents and groups are the same one when they have the same inverse functional identifier (mbox, mbox_sha1sum,
/// openid or account); its key is what statements and documents are found by.
/// </summary>
public static class Agents
{
    /// <summary>The identifier's key, or null for an anonymous group.</summary>
    public static string? KeyOf(JsonObject actor)
    {
        if (actor["mbox"] is JsonValue mbox) return "mbox:" + mbox.GetValue<string>();
        if (actor["mbox_sha1sum"] is JsonValue sha1) return "mbox_sha1sum:" + sha1.GetValue<string>().ToLowerInvariant();
        if (actor["openid"] is JsonValue openid) return "openid:" + openid.GetValue<string>();
        if (actor["account"] is JsonObject account)
            return "account:" + account["homePage"]!.GetValue<string>() + "|" + account["name"]!.GetValue<string>();
        return null;
    }

    /// <summary>Reads an agent query parameter (an Agent or identified Group as JSON); anything else is a 400.</summary>
    public static (JsonObject Agent, string Key) Parse(string? json, string parameter)
    {
        if (string.IsNullOrWhiteSpace(json)) throw XapiException.BadRequest($"The {parameter} parameter is required.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            throw XapiException.BadRequest($"The {parameter} parameter must be an Agent as JSON.");
        }
        if (node is not JsonObject agent) throw XapiException.BadRequest($"The {parameter} parameter must be an Agent as JSON.");
        var statement = new JsonObject
        {
            ["actor"] = agent.DeepClone(),
            ["verb"] = new JsonObject { ["id"] = "http://adlnet.gov/expapi/verbs/experienced" },
            ["object"] = new JsonObject { ["id"] = "http://example.com/agent-parameter" },
        };
        StatementValidator.Validate(statement, XapiVersion.V2);
        return (agent, KeyOf(agent) ?? throw XapiException.BadRequest($"The {parameter} parameter must identify an agent or group."));
    }

    /// <summary>The agents a statement is about (actor and an agent object) and every other one it names.</summary>
    public static (List<string> Direct, List<string> Related) Of(JsonObject statement)
    {
        var direct = new List<string>();
        var related = new List<string>();
        AddActor(statement["actor"] as JsonObject, direct, related);
        if (statement["object"] is JsonObject target && target["objectType"]?.GetValue<string>() is "Agent" or "Group")
            AddActor(target, direct, related);
        AddActor(statement["authority"] as JsonObject, null, related);
        AddContext(statement["context"] as JsonObject, related);
        if (statement["object"] is JsonObject sub && sub["objectType"]?.GetValue<string>() == "SubStatement")
        {
            AddActor(sub["actor"] as JsonObject, null, related);
            if (sub["object"] is JsonObject subTarget && subTarget["objectType"]?.GetValue<string>() is "Agent" or "Group")
                AddActor(subTarget, null, related);
            AddContext(sub["context"] as JsonObject, related);
        }
        return (direct, related);
    }

    private static void AddContext(JsonObject? context, List<string> related)
    {
        if (context is null) return;
        AddActor(context["instructor"] as JsonObject, null, related);
        AddActor(context["team"] as JsonObject, null, related);
        foreach (var item in context["contextAgents"] as JsonArray ?? []) AddActor(item?["agent"] as JsonObject, null, related);
        foreach (var item in context["contextGroups"] as JsonArray ?? []) AddActor(item?["group"] as JsonObject, null, related);
    }

    private static void AddActor(JsonObject? actor, List<string>? direct, List<string> related)
    {
        if (actor is null) return;
        if (KeyOf(actor) is { } key)
        {
            direct?.Add(key);
            related.Add(key);
        }
        foreach (var member in actor["member"] as JsonArray ?? [])
            if (member is JsonObject m && KeyOf(m) is { } memberKey) related.Add(memberKey);
    }
}
