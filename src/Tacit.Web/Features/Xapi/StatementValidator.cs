using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// The xAPI rules a statement must follow to be stored (xAPI 1.0.3 Data section 2 and 4; IEEE 9274.1.1 for 2.0):
/// only known properties, no nulls outside extensions, well-formed ids, IRIs, language maps, durations, scores,
/// actors and groups, and the context rules. Everything refused is a 400 that names the property.
/// </summary>
public static partial class StatementValidator
{
    public const string VoidedVerb = "http://adlnet.gov/expapi/verbs/voided";

    private static readonly HashSet<string> StatementProperties = ["id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"];
    private static readonly HashSet<string> SubStatementProperties = ["objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"];
    private static readonly HashSet<string> AgentProperties = ["objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"];
    private static readonly HashSet<string> GroupProperties = ["objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"];
    private static readonly HashSet<string> InteractionTypes = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"];
    private static readonly string[] InteractionLists = ["choices", "scale", "source", "target", "steps"];

    public static void Validate(JsonNode? statement, XapiVersion version)
    {
        var s = Object(statement, "statement");
        Only(s, StatementProperties, "statement");
        if (s["id"] is { } id) Uuid(id, "id");
        Actor(Required(s, "actor", "statement"), "actor");
        Verb(Required(s, "verb", "statement"), "verb");
        var target = StatementObject(Required(s, "object", "statement"), "object", version, allowSubStatement: true);
        if (s["result"] is { } result) Result(result);
        if (s["context"] is { } context) Context(context, target, version);
        if (s["timestamp"] is { } timestamp) Timestamp(timestamp, "timestamp");
        if (s["stored"] is { } stored) Timestamp(stored, "stored");
        if (s["authority"] is { } authority) Authority(authority);
        if (s["version"] is { } v) Version(v, version);
        if (s["attachments"] is { } attachments) Attachments(attachments);
        if (Text(s["verb"]!["id"], "verb.id") == VoidedVerb && target != "StatementRef")
            throw XapiException.BadRequest("A voiding statement's object must be a StatementRef.");
    }

    private static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw XapiException.BadRequest($"{path} must be a JSON object.");

    private static JsonNode Required(JsonObject o, string property, string path) =>
        o[property] ?? throw XapiException.BadRequest($"{path}.{property} is required.");

    private static void Only(JsonObject o, HashSet<string> allowed, string path)
    {
        foreach (var (name, value) in o)
        {
            if (!allowed.Contains(name)) throw XapiException.BadRequest($"{path} has no property '{name}'.");
            if (value is null) throw XapiException.BadRequest($"{path}.{name} must not be null.");
        }
    }

    private static string Text(JsonNode? node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw XapiException.BadRequest($"{path} must be a string.");

    private static bool Boolean(JsonNode? node, string path) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : throw XapiException.BadRequest($"{path} must be true or false.");

    private static double Number(JsonNode? node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : throw XapiException.BadRequest($"{path} must be a number.");

    public static Guid Uuid(JsonNode? node, string path)
    {
        var text = Text(node, path);
        return UuidPattern().IsMatch(text) && Guid.TryParse(text, out var id) ? id : throw XapiException.BadRequest($"{path} must be a UUID.");
    }

    public static bool IsUuid(string text) => UuidPattern().IsMatch(text);

    public static string Iri(JsonNode? node, string path)
    {
        var text = Text(node, path);
        return IsIri(text) ? text : throw XapiException.BadRequest($"{path} must be an absolute IRI.");
    }

    public static bool IsIri(string text) => IriPattern().IsMatch(text);

    private static void LanguageMap(JsonNode? node, string path)
    {
        var map = Object(node, path);
        foreach (var (tag, value) in map)
        {
            if (!IsLanguageTag(tag)) throw XapiException.BadRequest($"{path} has '{tag}', which is not a language tag.");
            Text(value, $"{path}.{tag}");
        }
    }

    public static bool IsLanguageTag(string tag) => LanguageTagPattern().IsMatch(tag);

    private static void Extensions(JsonNode? node, string path)
    {
        foreach (var (key, _) in Object(node, path))
            if (!IsIri(key)) throw XapiException.BadRequest($"{path} key '{key}' must be an absolute IRI.");
    }

    private static void Actor(JsonNode node, string path)
    {
        var o = Object(node, path);
        var type = o["objectType"] is { } t ? Text(t, $"{path}.objectType") : "Agent";
        if (type == "Agent") Agent(o, path);
        else if (type == "Group") Group(o, path);
        else throw XapiException.BadRequest($"{path}.objectType must be Agent or Group.");
    }

    private static void Agent(JsonObject o, string path)
    {
        Only(o, AgentProperties, path);
        if (o["objectType"] is { } t && Text(t, $"{path}.objectType") != "Agent") throw XapiException.BadRequest($"{path}.objectType must be Agent.");
        if (o["name"] is { } name) Text(name, $"{path}.name");
        if (IdentifierCount(o, path) != 1) throw XapiException.BadRequest($"{path} must have exactly one of mbox, mbox_sha1sum, openid and account.");
    }

    private static void Group(JsonObject o, string path)
    {
        Only(o, GroupProperties, path);
        if (o["name"] is { } name) Text(name, $"{path}.name");
        var identifiers = IdentifierCount(o, path);
        if (identifiers > 1) throw XapiException.BadRequest($"{path} must have at most one of mbox, mbox_sha1sum, openid and account.");
        if (o["member"] is { } members)
        {
            var list = members as JsonArray ?? throw XapiException.BadRequest($"{path}.member must be an array.");
            for (var i = 0; i < list.Count; i++)
            {
                var member = Object(list[i], $"{path}.member[{i}]");
                if (member["objectType"] is { } t && Text(t, $"{path}.member[{i}].objectType") != "Agent")
                    throw XapiException.BadRequest($"{path}.member[{i}] must be an Agent (a group cannot contain a group).");
                Agent(member, $"{path}.member[{i}]");
            }
            if (identifiers == 0 && list.Count == 0) throw XapiException.BadRequest($"An anonymous group ({path}) must list its members.");
        }
        else if (identifiers == 0)
        {
            throw XapiException.BadRequest($"An anonymous group ({path}) must list its members.");
        }
    }

    private static int IdentifierCount(JsonObject o, string path)
    {
        var count = 0;
        if (o["mbox"] is { } mbox)
        {
            count++;
            if (!MboxPattern().IsMatch(Text(mbox, $"{path}.mbox"))) throw XapiException.BadRequest($"{path}.mbox must be a mailto: IRI.");
        }
        if (o["mbox_sha1sum"] is { } sha1)
        {
            count++;
            if (!Sha1Pattern().IsMatch(Text(sha1, $"{path}.mbox_sha1sum"))) throw XapiException.BadRequest($"{path}.mbox_sha1sum must be a SHA-1 in hexadecimal.");
        }
        if (o["openid"] is { } openid)
        {
            count++;
            Iri(openid, $"{path}.openid");
        }
        if (o["account"] is { } account)
        {
            count++;
            var a = Object(account, $"{path}.account");
            Only(a, ["homePage", "name"], $"{path}.account");
            Iri(Required(a, "homePage", $"{path}.account"), $"{path}.account.homePage");
            Text(Required(a, "name", $"{path}.account"), $"{path}.account.name");
        }
        return count;
    }

    private static void Verb(JsonNode node, string path)
    {
        var o = Object(node, path);
        Only(o, ["id", "display"], path);
        Iri(Required(o, "id", path), $"{path}.id");
        if (o["display"] is { } display) LanguageMap(display, $"{path}.display");
    }

    /// <summary>Checks the object and returns its type (Activity, Agent, Group, StatementRef or SubStatement).</summary>
    private static string StatementObject(JsonNode node, string path, XapiVersion version, bool allowSubStatement)
    {
        var o = Object(node, path);
        var type = o["objectType"] is { } t ? Text(t, $"{path}.objectType") : "Activity";
        switch (type)
        {
            case "Activity":
                Activity(o, path);
                break;
            case "Agent":
                Agent(o, path);
                break;
            case "Group":
                Group(o, path);
                break;
            case "StatementRef":
                Only(o, ["objectType", "id"], path);
                Uuid(Required(o, "id", path), $"{path}.id");
                break;
            case "SubStatement" when allowSubStatement:
                Only(o, SubStatementProperties, path);
                Actor(Required(o, "actor", path), $"{path}.actor");
                Verb(Required(o, "verb", path), $"{path}.verb");
                var inner = StatementObject(Required(o, "object", path), $"{path}.object", version, allowSubStatement: false);
                if (o["result"] is { } result) Result(result);
                if (o["context"] is { } context) Context(context, inner, version);
                if (o["timestamp"] is { } timestamp) Timestamp(timestamp, $"{path}.timestamp");
                if (o["attachments"] is { } attachments) Attachments(attachments);
                break;
            case "SubStatement":
                throw XapiException.BadRequest("A SubStatement cannot contain a SubStatement.");
            default:
                throw XapiException.BadRequest($"{path}.objectType must be Activity, Agent, Group, StatementRef or SubStatement.");
        }
        return type;
    }

    public static void Activity(JsonObject o, string path)
    {
        Only(o, ["objectType", "id", "definition"], path);
        Iri(Required(o, "id", path), $"{path}.id");
        if (o["definition"] is not { } definition) return;
        var d = Object(definition, $"{path}.definition");
        Only(d, ["name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern", .. InteractionLists], $"{path}.definition");
        if (d["name"] is { } name) LanguageMap(name, $"{path}.definition.name");
        if (d["description"] is { } description) LanguageMap(description, $"{path}.definition.description");
        if (d["type"] is { } type) Iri(type, $"{path}.definition.type");
        if (d["moreInfo"] is { } moreInfo) Iri(moreInfo, $"{path}.definition.moreInfo");
        if (d["extensions"] is { } extensions) Extensions(extensions, $"{path}.definition.extensions");
        string? interaction = null;
        if (d["interactionType"] is { } it)
        {
            interaction = Text(it, $"{path}.definition.interactionType");
            if (!InteractionTypes.Contains(interaction)) throw XapiException.BadRequest($"{path}.definition.interactionType '{interaction}' is not an interaction type.");
        }
        if (d["correctResponsesPattern"] is { } pattern)
        {
            if (interaction is null) throw XapiException.BadRequest($"{path}.definition.correctResponsesPattern needs an interactionType.");
            var list = pattern as JsonArray ?? throw XapiException.BadRequest($"{path}.definition.correctResponsesPattern must be an array of strings.");
            foreach (var item in list) Text(item, $"{path}.definition.correctResponsesPattern[]");
        }
        foreach (var listName in InteractionLists)
        {
            if (d[listName] is not { } components) continue;
            if (interaction is null || !Allows(interaction, listName))
                throw XapiException.BadRequest($"{path}.definition.{listName} is not allowed for interaction type '{interaction ?? "(none)"}'.");
            var list = components as JsonArray ?? throw XapiException.BadRequest($"{path}.definition.{listName} must be an array.");
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < list.Count; i++)
            {
                var component = Object(list[i], $"{path}.definition.{listName}[{i}]");
                Only(component, ["id", "description"], $"{path}.definition.{listName}[{i}]");
                var id = Text(Required(component, "id", $"{path}.definition.{listName}[{i}]"), $"{path}.definition.{listName}[{i}].id");
                if (!ids.Add(id)) throw XapiException.BadRequest($"{path}.definition.{listName} has the id '{id}' twice.");
                if (component["description"] is { } componentDescription) LanguageMap(componentDescription, $"{path}.definition.{listName}[{i}].description");
            }
        }
    }

    private static bool Allows(string interaction, string list) => (interaction, list) switch
    {
        ("choice" or "sequencing", "choices") => true,
        ("likert", "scale") => true,
        ("matching", "source" or "target") => true,
        ("performance", "steps") => true,
        _ => false,
    };

    private static void Result(JsonNode node)
    {
        var o = Object(node, "result");
        Only(o, ["score", "success", "completion", "response", "duration", "extensions"], "result");
        if (o["success"] is { } success) Boolean(success, "result.success");
        if (o["completion"] is { } completion) Boolean(completion, "result.completion");
        if (o["response"] is { } response) Text(response, "result.response");
        if (o["duration"] is { } duration && !IsDuration(Text(duration, "result.duration")))
            throw XapiException.BadRequest("result.duration must be an ISO 8601 duration.");
        if (o["extensions"] is { } extensions) Extensions(extensions, "result.extensions");
        if (o["score"] is not { } score) return;
        var sc = Object(score, "result.score");
        Only(sc, ["scaled", "raw", "min", "max"], "result.score");
        if (sc["scaled"] is { } scaled && Number(scaled, "result.score.scaled") is < -1 or > 1)
            throw XapiException.BadRequest("result.score.scaled must be between -1 and 1.");
        double? min = sc["min"] is { } mn ? Number(mn, "result.score.min") : null;
        double? max = sc["max"] is { } mx ? Number(mx, "result.score.max") : null;
        double? raw = sc["raw"] is { } r ? Number(r, "result.score.raw") : null;
        if (min is not null && max is not null && min >= max) throw XapiException.BadRequest("result.score.min must be less than max.");
        if (raw is not null && (raw < min || raw > max)) throw XapiException.BadRequest("result.score.raw must be between min and max.");
    }

    public static bool IsDuration(string text) => text != "P" && !text.EndsWith('T') && DurationPattern().IsMatch(text);

    private static void Context(JsonNode node, string objectType, XapiVersion version)
    {
        var o = Object(node, "context");
        HashSet<string> allowed = ["registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement", "extensions"];
        if (version == XapiVersion.V2) { allowed.Add("contextAgents"); allowed.Add("contextGroups"); }
        Only(o, allowed, "context");
        if (o["registration"] is { } registration) Uuid(registration, "context.registration");
        if (o["instructor"] is { } instructor) Actor(instructor, "context.instructor");
        if (o["team"] is { } team)
        {
            var t = Object(team, "context.team");
            if (t["objectType"] is not JsonValue tv || tv.GetValueKind() != JsonValueKind.String || tv.GetValue<string>() != "Group")
                throw XapiException.BadRequest("context.team must be a Group.");
            Group(t, "context.team");
        }
        if (o["revision"] is { } revision)
        {
            Text(revision, "context.revision");
            if (objectType != "Activity") throw XapiException.BadRequest("context.revision is only for statements about an activity.");
        }
        if (o["platform"] is { } platform)
        {
            Text(platform, "context.platform");
            if (objectType != "Activity") throw XapiException.BadRequest("context.platform is only for statements about an activity.");
        }
        if (o["language"] is { } language && !IsLanguageTag(Text(language, "context.language")))
            throw XapiException.BadRequest("context.language must be a language tag.");
        if (o["statement"] is { } statement)
        {
            var st = Object(statement, "context.statement");
            Only(st, ["objectType", "id"], "context.statement");
            if (Text(Required(st, "objectType", "context.statement"), "context.statement.objectType") != "StatementRef")
                throw XapiException.BadRequest("context.statement must be a StatementRef.");
            Uuid(Required(st, "id", "context.statement"), "context.statement.id");
        }
        if (o["extensions"] is { } extensions) Extensions(extensions, "context.extensions");
        if (o["contextActivities"] is { } activities)
        {
            var ca = Object(activities, "context.contextActivities");
            Only(ca, ["parent", "grouping", "category", "other"], "context.contextActivities");
            foreach (var (kind, value) in ca)
            {
                var items = value is JsonArray array ? array.ToList() : [value];
                foreach (var item in items)
                {
                    var activity = Object(item, $"context.contextActivities.{kind}");
                    if (activity["objectType"] is { } t && Text(t, $"context.contextActivities.{kind}.objectType") != "Activity")
                        throw XapiException.BadRequest($"context.contextActivities.{kind} must hold activities.");
                    Activity(activity, $"context.contextActivities.{kind}");
                }
            }
        }
        if (o["contextAgents"] is { } agents) ContextActors(agents, "contextAgents", "contextAgent", "agent");
        if (o["contextGroups"] is { } groups) ContextActors(groups, "contextGroups", "contextGroup", "group");
    }

    private static void ContextActors(JsonNode node, string property, string objectType, string actorProperty)
    {
        var list = node as JsonArray ?? throw XapiException.BadRequest($"context.{property} must be an array.");
        foreach (var item in list)
        {
            var o = Object(item, $"context.{property}[]");
            Only(o, ["objectType", actorProperty, "relevantTypes"], $"context.{property}[]");
            if (Text(Required(o, "objectType", $"context.{property}[]"), $"context.{property}[].objectType") != objectType)
                throw XapiException.BadRequest($"context.{property}[].objectType must be {objectType}.");
            var actor = Object(Required(o, actorProperty, $"context.{property}[]"), $"context.{property}[].{actorProperty}");
            if (actorProperty == "group")
            {
                if (actor["objectType"] is not { } t || Text(t, "objectType") != "Group") throw XapiException.BadRequest($"context.{property}[].group must be a Group.");
                Group(actor, $"context.{property}[].group");
            }
            else
            {
                Actor(actor, $"context.{property}[].agent");
            }
            if (o["relevantTypes"] is { } types)
            {
                var array = types as JsonArray ?? throw XapiException.BadRequest($"context.{property}[].relevantTypes must be an array of IRIs.");
                if (array.Count == 0) throw XapiException.BadRequest($"context.{property}[].relevantTypes must not be empty.");
                foreach (var type in array) Iri(type, $"context.{property}[].relevantTypes[]");
            }
        }
    }

    public static DateTimeOffset Timestamp(JsonNode node, string path)
    {
        var text = Text(node, path);
        if (!TimestampPattern().IsMatch(text) || NegativeZeroOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw XapiException.BadRequest($"{path} must be an ISO 8601 date and time.");
        return at;
    }

    private static void Authority(JsonNode node)
    {
        var o = Object(node, "authority");
        var type = o["objectType"] is { } t ? Text(t, "authority.objectType") : "Agent";
        if (type == "Group")
        {
            Group(o, "authority");
            if (IdentifierCount(o, "authority") != 0 || o["member"] is not JsonArray { Count: 2 }) throw XapiException.BadRequest("An authority group must have exactly two members (an OAuth consumer and a user).");
        }
        else Actor(o, "authority");
    }

    private static void Version(JsonNode node, XapiVersion version)
    {
        var text = Text(node, "version");
        var accepted = version == XapiVersion.V2 ? StatementVersion2Pattern().IsMatch(text) : StatementVersion1Pattern().IsMatch(text);
        if (!accepted) throw XapiException.BadRequest($"version '{text}' is not a version this LRS accepts.");
    }

    private static void Attachments(JsonNode node)
    {
        var list = node as JsonArray ?? throw XapiException.BadRequest("attachments must be an array.");
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"attachments[{i}]";
            var a = Object(list[i], path);
            Only(a, ["usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"], path);
            Iri(Required(a, "usageType", path), $"{path}.usageType");
            LanguageMap(Required(a, "display", path), $"{path}.display");
            if (a["description"] is { } description) LanguageMap(description, $"{path}.description");
            if (!MediaTypePattern().IsMatch(Text(Required(a, "contentType", path), $"{path}.contentType")))
                throw XapiException.BadRequest($"{path}.contentType must be an internet media type.");
            if (Required(a, "length", path) is not JsonValue length || length.GetValueKind() != JsonValueKind.Number || !length.TryGetValue<long>(out var n) || n < 0)
                throw XapiException.BadRequest($"{path}.length must be a whole number.");
            Text(Required(a, "sha2", path), $"{path}.sha2");
            if (a["fileUrl"] is { } fileUrl) Iri(fileUrl, $"{path}.fileUrl");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s""<>\\^`{|}]+$")]
    private static partial Regex IriPattern();

    [GeneratedRegex("^mailto:[^@\\s]+@[^@\\s]+$")]
    private static partial Regex MboxPattern();

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex Sha1Pattern();

    [GeneratedRegex("^(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*(?:-[0-9a-wy-zA-WY-Z](?:-[a-zA-Z0-9]{2,8})+)*(?:-[xX](?:-[a-zA-Z0-9]{1,8})+)?$|^[xX](?:-[a-zA-Z0-9]{1,8})+$|^und$")]
    private static partial Regex LanguageTagPattern();

    [GeneratedRegex(@"^P(?:\d+(?:[.,]\d+)?W|(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?(?:T(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"-00(?::?00)?$")]
    private static partial Regex NegativeZeroOffset();

    [GeneratedRegex(@"^1\.0(?:\.\d+)?$")]
    private static partial Regex StatementVersion1Pattern();

    [GeneratedRegex(@"^(?:1\.0(?:\.\d+)?|2\.0(?:\.\d+)?)$")]
    private static partial Regex StatementVersion2Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*(?:\s*;.*)?$")]
    private static partial Regex MediaTypePattern();
}
