using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tacit.Matching;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(InstanceDocument))]
[JsonSerializable(typeof(MatchPlan))]
[JsonSerializable(typeof(RematchResult))]
[JsonSerializable(typeof(List<AssignmentRef>))]
internal sealed partial class MatchingJsonContext : JsonSerializerContext;

/// <summary>Deterministic JSON for instances and plans: fixed property order, invariant formatting, LF line ends, UTF-8 without BOM.</summary>
public static class PlanJson
{
    // Reasons contain "→" and department names may be non-ASCII: write them as UTF-8, not \u escapes, so plans stay readable.
    private static readonly MatchingJsonContext Context = new(new JsonSerializerOptions(MatchingJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    });

    public static string Serialize(MatchPlan plan) => Normalize(JsonSerializer.Serialize(plan, Context.MatchPlan));

    public static byte[] SerializeToUtf8(MatchPlan plan) => Encoding.UTF8.GetBytes(Serialize(plan));

    /// <summary>
    /// Writes the plan to <paramref name="utf8"/> as it is serialized, the same bytes as <see cref="SerializeToUtf8"/> without
    /// building the text in memory first (a 100,000-person plan is 108 MB of JSON, 216 MB as a string, copied three times).
    /// </summary>
    public static void Serialize(MatchPlan plan, Stream utf8)
    {
        JsonSerializer.Serialize(utf8, plan, Context.MatchPlan);
        utf8.WriteByte((byte)'\n');
    }

    public static MatchPlan Deserialize(string json) =>
        JsonSerializer.Deserialize(json, MatchingJsonContext.Default.MatchPlan) ?? throw new InstanceValidationException("plan is empty (JSON null)");

    public static string Serialize(RematchResult result) => Normalize(JsonSerializer.Serialize(result, Context.RematchResult));

    public static string Serialize(InstanceDocument instance) => Normalize(JsonSerializer.Serialize(instance, Context.InstanceDocument));

    /// <summary>Reads instance JSON strictly (see <see cref="InstanceDocument"/>) and validates it; errors name their JSON path.</summary>
    public static InstanceDocument DeserializeInstance(string json) => CompiledInstance.Parse(json).Source;

    /// <inheritdoc cref="DeserializeInstance(string)"/>
    public static InstanceDocument DeserializeInstance(ReadOnlySpan<byte> utf8Json) => CompiledInstance.Parse(utf8Json).Source;

    public static List<AssignmentRef> DeserializeAssignments(string json) =>
        JsonSerializer.Deserialize(json, MatchingJsonContext.Default.ListAssignmentRef) ?? [];

    private static string Normalize(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
}
