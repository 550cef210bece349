using System.Globalization;
using System.Text.RegularExpressions;

namespace Tacit.Web.Components.Shared;

/// <summary>Counts in words people read: "1 manager", "28 managers", never "manager(s)".</summary>
public static partial class Words
{
    public static string Count(int count, string one, string many) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";

    /// <summary>The regular plural: "skill" → "skills".</summary>
    public static string Count(int count, string one) => Count(count, one, one + "s");

    /// <summary>An enum value as words in a sentence: InProgress → "in progress", High → "high". The one way pages name one.</summary>
    public static string Of(Enum value) => Capital().Replace(value.ToString(), " $1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Capital();
}
