using System.Globalization;
using System.Text.Json.Nodes;

namespace Tacit.Web.Tests.Api;

/// <summary>An operation of the OpenAPI document, as the fuzzer calls it: its body schema, if any, and the statuses it declares.</summary>
public sealed record FuzzOperation(string Method, string Route, string OperationId, IReadOnlyList<FuzzParameter> Parameters, JsonNode? Body,
    IReadOnlySet<int> Statuses)
{
    public override string ToString() => $"{OperationId} ({Method} {Route})";
}

public sealed record FuzzParameter(string Name, bool InPath, JsonNode Schema);

/// <summary>One request: what it tries, where it goes, and its body (none, or text that is meant to be JSON, or not).</summary>
public sealed record FuzzCase(string Tries, string PathAndQuery, string? Body);

/// <summary>An operation's requests: plausible ones (real ids, sensible values), and odd ones, each with one thing wrong.</summary>
public sealed record FuzzCases(IReadOnlyList<FuzzCase> Plausible, IReadOnlyList<FuzzCase> Odd);

/// <summary>
/// What the fuzzer knows of the data it works on: real ids by the word of the route before them (<c>people</c> in
/// <c>/api/people/{id}</c>, <c>merge-into</c> in <c>…/merge-into/{targetId}</c>), and values that make a plausible
/// request, by property or parameter name, or by <c>operationId.name</c> where one operation needs its own.
/// </summary>
public sealed record FuzzValues(IReadOnlyDictionary<string, IReadOnlyList<Guid>> Ids, IReadOnlyDictionary<string, JsonNode?> Good, DateTimeOffset Now);

/// <summary>
/// Turns the app's own OpenAPI document into requests a careless or hostile client sends. Each operation starts from a
/// plausible request (real ids, sensible values) and changes one thing at a time: each body field (and each array item
/// and map entry in it) null, of another type, huge (100 kB), with control characters or a lone surrogate, at extreme
/// dates (<c>9999-12-31T23:59:59Z</c>, <c>0001-01-01</c>), an impossible date, a bad or unknown id; each query parameter
/// malformed, huge or with NUL; each id in the path unknown, empty or of another kind; the body missing, null, not JSON
/// or of the wrong shape. Deterministic: the same document, values and seed give the same cases, and each operation's
/// cases depend only on its own id, so adding an operation changes no other's.
/// </summary>
public sealed class OpenApiFuzzer(JsonNode document, FuzzValues values, int seed)
{
    /// <summary>Stands for a string holding a lone surrogate, which only raw JSON text can carry (<c>"\ud800"</c>).</summary>
    private const string LoneSurrogate = "\u0001lone-surrogate\u0001";

    private static readonly string Huge = new('x', 100_000);

    /// <summary>How many combinations of real ids an operation's odd requests are each sent to.</summary>
    public const int RoutesPerOperation = 4;

    public IReadOnlyList<FuzzOperation> Operations() =>
    [
        .. from path in document["paths"]!.AsObject()
           from operation in path.Value!.AsObject()
           let o = operation.Value!
           select new FuzzOperation(operation.Key.ToUpperInvariant(), path.Key, (string)o["operationId"]!,
               // Headers (Idempotency-Key) are not the fuzzer's: it tries paths, queries and bodies.
               [.. (o["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] is "path" or "query")
                   .Select(p => new FuzzParameter((string)p!["name"]!, (string?)p["in"] == "path", p["schema"]!))],
               o["requestBody"]?["content"]?["application/json"]?["schema"],
               o["responses"]!.AsObject().Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture)).ToHashSet()),
    ];

    /// <summary>
    /// The odd requests, at most <paramref name="max"/> chosen by the seed, each on every route the stage's real ids make
    /// (up to <see cref="RoutesPerOperation"/>: the intake that is open and the one that is not, the session to come and
    /// the one over); and the plausible request on each of those routes.
    /// </summary>
    public FuzzCases CasesFor(FuzzOperation operation, int max)
    {
        var random = new Random(seed ^ StableHash(operation.OperationId));
        var body = operation.Body is { } schema ? Good(operation, "", schema) : null;
        var plausible = body?.ToJsonString();
        var bindings = Bindings(operation, random);

        var odd = new List<FuzzCase>();
        foreach (var parameter in operation.Parameters.Where(p => p.InPath))
            foreach (var (tries, value) in PathValues(operation, parameter, random))
                odd.Add(new($"{{{parameter.Name}}} {tries}", Route(operation, new Dictionary<string, string>(bindings[0]) { [parameter.Name] = value }), plausible));
        foreach (var route in bindings.Select(b => Route(operation, b)))
        {
            foreach (var parameter in operation.Parameters.Where(p => !p.InPath))
                foreach (var (tries, value) in QueryValues(parameter.Schema, random))
                    odd.Add(new($"?{parameter.Name}= {tries}", $"{route}?{value(parameter.Name)}", plausible));
            if (operation.Body is not { } bodySchema) continue;
            foreach (var (tries, text) in WholeBodies()) odd.Add(new(tries, route, text));
            foreach (var (where, slot) in Slots(Resolve(bodySchema), []))
                foreach (var (tries, value) in BadValues(slot, random))
                    odd.Add(new($"{Describe(where)} {tries}", route, Written(Replaced(body!, where, value))));
        }
        return new([.. bindings.Select(b => new FuzzCase("a plausible request", Route(operation, b), plausible))], [.. odd.OrderBy(_ => random.Next()).Take(max)]);
    }

    // Values for the route's parameters: every combination of the real ids of the kinds the route names (a few at most),
    // or the stage's good value for a parameter that is not an id (a cycle's step).
    private List<Dictionary<string, string>> Bindings(FuzzOperation operation, Random random)
    {
        List<Dictionary<string, string>> bindings = [[]];
        foreach (var parameter in operation.Parameters.Where(p => p.InPath))
        {
            var ids = IdsBefore(operation.Route, parameter.Name);
            IEnumerable<string> choices = GoodValue(operation, parameter.Name) is { } good ? [(string)good!]
                : ids.Count > 0 ? ids.Select(id => id.ToString()) : [Unknown(random)];
            bindings = [.. from binding in bindings from choice in choices select new Dictionary<string, string>(binding) { [parameter.Name] = choice }];
        }
        return [.. bindings.OrderBy(_ => random.Next()).Take(RoutesPerOperation)];
    }

    private static string Route(FuzzOperation operation, IReadOnlyDictionary<string, string> binding) =>
        binding.Aggregate(operation.Route, (route, parameter) => route.Replace($"{{{parameter.Key}}}", parameter.Value, StringComparison.Ordinal));

    private IReadOnlyList<Guid> IdsBefore(string route, string name)
    {
        var segments = route.Split('/');
        var at = Array.FindIndex(segments, s => s.StartsWith($"{{{name}}}", StringComparison.Ordinal));
        return at > 0 && values.Ids.TryGetValue(segments[at - 1], out var ids) ? ids : [];
    }

    private IEnumerable<(string, string)> PathValues(FuzzOperation operation, FuzzParameter parameter, Random random)
    {
        if (Kind(parameter.Schema) == "uuid")
        {
            var others = values.Ids.Values.SelectMany(i => i).Except(IdsBefore(operation.Route, parameter.Name)).ToList();
            yield return ("unknown", Unknown(random));
            yield return ("empty", Guid.Empty.ToString());
            yield return ("not a guid", "not-a-guid");
            if (others.Count > 0) yield return ("of another kind", others[random.Next(others.Count)].ToString());
        }
        else
        {
            yield return ("unknown", "no-such-thing");
            // NUL in a path is refused before the app (Kestrel answers 400; the test server throws), other controls are not.
            yield return ("with a control character", "a%01b");
            yield return ("huge", new string('x', 5_000));
            yield return ("of other characters", Uri.EscapeDataString("Zoë 🙂 ../.."));
        }
    }

    private static IEnumerable<(string, Func<string, string>)> QueryValues(JsonNode schema, Random random)
    {
        string Query(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";
        IEnumerable<string> raw = Kind(schema) switch
        {
            "integer" or "number" => ["abc", "-1", "0", "99999999999", "1.5", ""],
            "boolean" => ["maybe", ""],
            "uuid" => ["x", Guid.Empty.ToString(), Unknown(random)],
            _ => [Huge, "a\0b", "\u0001\u001f", "Zoë 🙂 日本語", "%", "'", "*", "csv"],
        };
        foreach (var value in raw) yield return ($"'{Short(value)}'", name => Query(name, value));
        yield return ("twice", name => $"{Query(name, "1")}&{Query(name, "2")}");
    }

    private static IEnumerable<(string, string?)> WholeBodies() =>
    [
        ("with no body", null),
        ("with body null", "null"),
        ("with body []", "[]"),
        ("with body \"x\"", "\"x\""),
        ("with body {", "{"),
        ("with body {}", "{}"),
        ("with a body nested 100 deep", new string('[', 100) + new string(']', 100)),
    ];

    // What each place in the body holds, found from the schema: properties, an array's first item, a map's first entry and its key.
    private IEnumerable<(IReadOnlyList<string> Where, JsonNode Schema)> Slots(JsonNode schema, IReadOnlyList<string> where)
    {
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var resolved = Resolve(property!);
            IReadOnlyList<string> at = [.. where, name];
            yield return (at, resolved);
            if (Kind(resolved) == "array")
                foreach (var slot in Slots(new JsonObject { ["properties"] = new JsonObject { ["[0]"] = resolved["items"]!.DeepClone() } }, at)) yield return slot;
            if (resolved["additionalProperties"] is JsonObject entry)
            {
                yield return ([.. at, "{key}"], new JsonObject { ["type"] = "string", ["format"] = "uuid" });
                foreach (var slot in Slots(new JsonObject { ["properties"] = new JsonObject { ["{value}"] = entry.DeepClone() } }, at)) yield return slot;
            }
            if (Kind(resolved) == "object" && resolved["properties"] is not null)
                foreach (var slot in Slots(resolved, at)) yield return slot;
        }
    }

    private IEnumerable<(string, JsonNode?)> BadValues(JsonNode schema, Random random)
    {
        var kind = Kind(schema);
        yield return ("null", null);
        if (kind is not "string" and not "uuid" and not "date" and not "date-time") yield return ("a string", "x");
        if (kind is not "integer" and not "number") yield return ("a number", 12345);
        if (kind != "boolean") yield return ("true", true);
        if (kind != "object") yield return ("an object", new JsonObject());
        if (kind != "array") yield return ("an array", new JsonArray());
        IEnumerable<JsonNode?> odd = kind switch
        {
            "integer" or "number" => [-1, 0, int.MaxValue, 2147483648L, -2147483649L, 1e300, 1.5, "12"],
            "boolean" => ["true", 1],
            "uuid" => ["", "not-a-guid", Guid.Empty.ToString(), Unknown(random), AnyId(random)],
            "date" => ["9999-12-31", "0001-01-01", "2025-02-30", "31/12/2025", "9999-12-31T23:59:59Z", ""],
            "date-time" => ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "0001-01-01", "9999-12-31T23:59:59-14:00",
                "0001-01-01T00:00:00+14:00", "2025-13-01T00:00:00Z", "yesterday", values.Now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture), values.Now.AddYears(50).ToString("O", CultureInfo.InvariantCulture)],
            "array" => [new JsonArray(), new JsonArray((JsonNode?)null), new JsonArray(Huge), new JsonArray([.. Enumerable.Repeat("x", 1000).Select(x => (JsonNode)x)]),
                new JsonArray(new JsonArray())],
            "object" => [new JsonObject(), new JsonObject { ["not-a-guid"] = new JsonArray("x") }],
            _ => ["", "   ", Huge, "a\0b", "\u0001\u001f", LoneSurrogate, "Zoë 🙂 日本語", "<script>alert(1)</script>", "'; DROP TABLE people; --"],
        };
        foreach (var value in odd) yield return ($"= {Short(value?.ToJsonString() ?? "null")}", value);
    }

    /// <summary>An id nothing has, from the seed.</summary>
    private static string Unknown(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private string AnyId(Random random)
    {
        var all = values.Ids.Values.SelectMany(i => i).ToList();
        return all.Count > 0 ? all[random.Next(all.Count)].ToString() : Unknown(random);
    }

    // A plausible value: the stage's own for the name, else one of the schema's kind.
    private JsonNode? Good(FuzzOperation operation, string name, JsonNode schema)
    {
        if (GoodValue(operation, name) is { } good) return good;
        var resolved = Resolve(schema);
        return Kind(resolved) switch
        {
            "object" when resolved["properties"] is JsonObject properties =>
                new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Good(operation, p.Key, p.Value!)))),
            "object" => new JsonObject(),
            "array" => new JsonArray(Good(operation, name, resolved["items"]!)),
            "uuid" => AnyId(new Random(seed)),
            "date" => DateOnly.FromDateTime(values.Now.UtcDateTime).AddDays(7).ToString("O", CultureInfo.InvariantCulture),
            "date-time" => values.Now.AddDays(3).ToString("O", CultureInfo.InvariantCulture),
            "integer" or "number" => 2,
            "boolean" => true,
            _ => "Fuzz",
        };
    }

    private JsonNode? GoodValue(FuzzOperation operation, string name) =>
        values.Good.TryGetValue($"{operation.OperationId}.{name}", out var own) || values.Good.TryGetValue(name, out own) ? own?.DeepClone() : null;

    // A copy of the body with one place changed; an array or map the place is in gets an item if it has none.
    private static JsonNode Replaced(JsonNode body, IReadOnlyList<string> where, JsonNode? value)
    {
        var copy = body.DeepClone();
        JsonNode parent = copy;
        for (var i = 0; i < where.Count; i++)
        {
            var step = where[i];
            var last = i == where.Count - 1;
            switch (step)
            {
                case "[0]":
                    var array = parent.AsArray();
                    if (array.Count == 0) array.Add((JsonNode?)"x");
                    if (last) array[0] = value;
                    else parent = array[0] ??= new JsonObject();
                    break;
                case "{key}":
                    var entries = parent.AsObject();
                    var first = entries.FirstOrDefault();
                    entries.Clear();
                    var name = value is JsonValue text && text.TryGetValue<string>(out var key) ? key : value?.ToJsonString() ?? "null";
                    entries[name] = first.Value?.DeepClone() ?? new JsonArray("x");
                    break;
                case "{value}":
                    var map = parent.AsObject();
                    var entry = map.FirstOrDefault().Key ?? Guid.Empty.ToString();
                    if (last) map[entry] = value;
                    else parent = map[entry] ??= new JsonArray("x");
                    break;
                default:
                    var obj = parent.AsObject();
                    if (last) obj[step] = value;
                    else parent = obj[step] ??= where[i + 1] == "[0]" ? new JsonArray() : new JsonObject();
                    break;
            }
        }
        return copy;
    }

    private static string Written(JsonNode body) =>
        body.ToJsonString().Replace(JsonValue.Create(LoneSurrogate).ToJsonString(), "\"a\\ud800b\"", StringComparison.Ordinal);

    private static string Describe(IReadOnlyList<string> where) => string.Concat(where.Select((s, i) => i == 0 || s.StartsWith('[') || s.StartsWith('{') ? s : "." + s));

    // The schema a $ref or a "null or X" stands for.
    private JsonNode Resolve(JsonNode schema)
    {
        if ((string?)schema["$ref"] is { } reference) return Resolve(document["components"]!["schemas"]![reference.Split('/')[^1]]!);
        if (schema["oneOf"] is JsonArray alternatives && alternatives.FirstOrDefault(a => (string?)a!["type"] != "null") is { } other) return Resolve(other);
        return schema;
    }

    // What a schema holds: uuid, date, date-time, integer, number, boolean, array, object or string.
    private static string Kind(JsonNode schema)
    {
        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => (string)t!).ToList(),
            JsonValue one => [(string)one!],
            _ => schema["additionalProperties"] is not null || schema["properties"] is not null ? ["object"] : ["string"],
        };
        var kind = new[] { "integer", "number", "boolean", "array", "object", "string" }.FirstOrDefault(types.Contains) ?? "string";
        return kind == "string" && (string?)schema["format"] is "uuid" or "date" or "date-time" ? (string)schema["format"]! : kind;
    }

    private static string Short(string value) => value.Length > 40 ? $"{value[..20]}… ({value.Length} characters)" : value;

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
