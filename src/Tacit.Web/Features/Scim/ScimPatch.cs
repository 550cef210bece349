using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>
/// PATCH (RFC 7644 §3.5.2) applied to a resource's SCIM JSON: add, replace and remove, with or without a path, in the
/// forms identity providers send (Entra ID's capitalised "Replace", "False" as a string, a manager given as a bare id,
/// <c>members</c> removed by value). The patched JSON is then saved as a PUT would save it, so a PATCH is checked as
/// strictly and is as whole (all operations or none) as a replacement.
/// </summary>
public static class ScimPatch
{
    public const int MaxOperations = 1000;

    public static void Apply(JsonObject resource, JsonObject body)
    {
        ScimRequest.RequireSchema(body, ScimSchemas.PatchOp);
        if (ScimJson.Get(body, "Operations") is not JsonArray operations)
            throw new ScimException(400, ScimException.InvalidSyntax, "A PATCH body has an \"Operations\" array.");
        if (operations.Count > MaxOperations) throw new ScimException(400, ScimException.TooMany, $"A PATCH takes at most {MaxOperations} operations.");
        foreach (var (operation, index) in operations.Select((o, i) => (o, i)))
        {
            if (operation is not JsonObject op) throw new ScimException(400, ScimException.InvalidSyntax, $"Operation {index + 1} is not an object.");
            var name = ScimJson.Get(op, "op") is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().ToLowerInvariant() : null;
            if (name is not ("add" or "replace" or "remove"))
                throw new ScimException(400, ScimException.InvalidSyntax, $"Operation {index + 1}: \"op\" must be add, replace or remove.");
            var pathText = ScimJson.Get(op, "path") switch
            {
                null => null,
                JsonValue p when p.GetValueKind() == JsonValueKind.String => p.GetValue<string>(),
                _ => throw new ScimException(400, ScimException.InvalidPath, $"Operation {index + 1}: \"path\" must be a string."),
            };
            var value = ScimJson.Get(op, "value")?.DeepClone();
            if (name == "remove")
            {
                if (string.IsNullOrWhiteSpace(pathText)) throw new ScimException(400, ScimException.NoTarget, $"Operation {index + 1}: remove needs a path.");
                Remove(resource, ScimPath.Parse(pathText), value);
                continue;
            }
            if (value is null) throw new ScimException(400, ScimException.InvalidValue, $"Operation {index + 1}: {name} needs a value.");
            if (string.IsNullOrWhiteSpace(pathText))
            {
                if (value is not JsonObject attributes)
                    throw new ScimException(400, ScimException.InvalidValue, $"Operation {index + 1}: without a path, the value is an object of attributes.");
                foreach (var (key, attributeValue) in attributes.ToList())
                {
                    // An extension's attributes may come as one object under its URN, or each under its full path.
                    if (ScimSchemas.Known.Contains(key, StringComparer.OrdinalIgnoreCase) && !ScimSchemas.IsCore(key) && attributeValue is JsonObject extension)
                    {
                        foreach (var (sub, subValue) in extension.ToList())
                            Set(resource, ScimPath.Parse(key + ":" + sub), subValue?.DeepClone(), name);
                        continue;
                    }
                    Set(resource, ScimPath.Parse(key), attributeValue?.DeepClone(), name);
                }
                continue;
            }
            Set(resource, ScimPath.Parse(pathText), value, name);
        }
    }

    private static void Set(JsonObject resource, ScimPath path, JsonNode? value, string op)
    {
        var container = path.Container(resource, create: true)!;
        var key = ScimJson.KeyOf(container, path.Attribute) ?? path.Attribute;
        var current = container[key];
        if (path.ValueFilter is { } filter)
        {
            var array = current as JsonArray ?? [];
            var matches = array.OfType<JsonObject>().Where(filter.Matches).ToList();
            if (matches.Count == 0)
            {
                // Entra ID replaces emails[type eq "work"].value on a person who has no work email yet: it is added.
                var made = ElementFrom(filter);
                array.Add(made);
                matches.Add(made);
            }
            foreach (var element in matches)
            {
                if (path.SubAttribute is { } sub) element[ScimJson.KeyOf(element, sub) ?? sub] = value?.DeepClone();
                else if (value is JsonObject replacement)
                    foreach (var (k, v) in replacement) element[ScimJson.KeyOf(element, k) ?? k] = v?.DeepClone();
                else throw new ScimException(400, ScimException.InvalidValue, $"The value for '{path}' must be an object.");
            }
            container[key] = array;
            return;
        }
        if (path.SubAttribute is { } subAttribute)
        {
            if (current is JsonArray elements)
            {
                foreach (var element in elements.OfType<JsonObject>()) element[ScimJson.KeyOf(element, subAttribute) ?? subAttribute] = value?.DeepClone();
                return;
            }
            var complex = current as JsonObject ?? [];
            complex[ScimJson.KeyOf(complex, subAttribute) ?? subAttribute] = value;
            container[key] = complex;
            return;
        }
        if (op == "add" && current is JsonArray existing)
        {
            // add to a multi-valued attribute appends, leaving out values already there.
            foreach (var item in value is JsonArray many ? many.Select(i => i?.DeepClone()).ToList() : [value])
                if (!existing.Any(e => JsonNode.DeepEquals(e, item) || (ValueOf(e) is { } ev && ev == ValueOf(item)))) existing.Add(item);
            return;
        }
        if (op == "add" && current is JsonObject existingComplex && value is JsonObject addition)
        {
            foreach (var (k, v) in addition) existingComplex[ScimJson.KeyOf(existingComplex, k) ?? k] = v?.DeepClone();
            return;
        }
        container[key] = value;
    }

    private static void Remove(JsonObject resource, ScimPath path, JsonNode? value)
    {
        var container = path.Container(resource, create: false);
        if (container is null) return;
        var key = ScimJson.KeyOf(container, path.Attribute);
        if (key is null) return;
        if (container[key] is JsonArray array && (path.ValueFilter is not null || value is JsonArray))
        {
            // members removed by value, as Entra ID sends them: {"op":"Remove","path":"members","value":[{"value":"id"}]}
            var values = value is JsonArray listed ? listed.Select(ValueOf).OfType<string>().ToHashSet(StringComparer.Ordinal) : null;
            var targets = array.OfType<JsonObject>().Where(e => (path.ValueFilter?.Matches(e) ?? true) && (values is null || values.Contains(ValueOf(e) ?? ""))).ToList();
            foreach (var element in targets)
            {
                if (path.SubAttribute is { } sub) { if (ScimJson.KeyOf(element, sub) is { } subKey) element.Remove(subKey); }
                else array.Remove(element);
            }
            return;
        }
        if (path.SubAttribute is { } subAttribute && container[key] is JsonObject complex)
        {
            if (ScimJson.KeyOf(complex, subAttribute) is { } subKey) complex.Remove(subKey);
            return;
        }
        container.Remove(key);
    }

    private static string? ValueOf(JsonNode? node) => node switch
    {
        JsonObject o when ScimJson.Get(o, "value") is JsonValue v && v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => null,
    };

    /// <summary>An element made from the equalities of a value filter: [type eq "work"] makes {"type": "work"}.</summary>
    private static JsonObject ElementFrom(ScimFilter filter)
    {
        var element = new JsonObject();
        void Collect(ScimFilter f)
        {
            switch (f)
            {
                case ScimFilter.Compare { Operator: "eq", Path.SubAttribute: null } c: element[c.Path.Attribute] = c.Value?.DeepClone(); break;
                case ScimFilter.And a: Collect(a.Left); Collect(a.Right); break;
                default: throw new ScimException(400, ScimException.NoTarget, "No element matches the path's filter, and it does not say what a new one would be.");
            }
        }
        Collect(filter);
        return element;
    }
}
