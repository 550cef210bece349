using System.Globalization;

namespace Tacit.Web.Components.Shared;

/// <summary>Counts in words people read: "1 manager", "28 managers", never "manager(s)".</summary>
public static class Words
{
    public static string Count(int count, string one, string many) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";

    /// <summary>The regular plural: "skill" → "skills".</summary>
    public static string Count(int count, string one) => Count(count, one, one + "s");
}
