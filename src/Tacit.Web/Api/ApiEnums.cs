using System.Text.Json;
using System.Text.Json.Serialization;
using Tacit.Domain;

namespace Tacit.Web.Api;

/// <summary>
/// How the API names enum values: camelCase strings ("oneToOne", "inProgress"), never numbers. The JSON converter and
/// the places that name a value outside a JSON value (dictionary keys, error messages, query parameters) use this one rule.
/// </summary>
public static class ApiEnums
{
    public static JsonStringEnumConverter Converter() => new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    public static string Name(Enum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Reads a value by its API name, ignoring case; anything else is refused with the names that would do.</summary>
    public static T Parse<T>(string? text, string field, IEnumerable<T>? allowed = null) where T : struct, Enum
    {
        var values = (allowed ?? Enum.GetValues<T>()).ToList();
        foreach (var value in values)
            if (string.Equals(Name(value), text, StringComparison.OrdinalIgnoreCase)) return value;
        var names = values.Select(v => Name(v)).ToList();
        throw new DomainException($"{field} must be {string.Join(", ", names[..^1])} or {names[^1]}.", field);
    }
}
