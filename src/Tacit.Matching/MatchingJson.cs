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
    /// <summary>The plan as JSON text, ending with a line feed (written by <see cref="PlanWriter"/>).</summary>
    public static string Serialize(MatchPlan plan) => Encoding.UTF8.GetString(SerializeToUtf8(plan));

    public static byte[] SerializeToUtf8(MatchPlan plan)
    {
        var bytes = new MemoryStream();
        Serialize(plan, bytes);
        return bytes.ToArray();
    }

    /// <summary>
    /// Writes the plan to <paramref name="utf8"/> as it is made, the same bytes as <see cref="SerializeToUtf8"/> without
    /// building the text in memory first (a 100,000-person plan is 135 MB of JSON).
    /// </summary>
    public static void Serialize(MatchPlan plan, Stream utf8)
    {
        PlanWriter.Write(plan, utf8);
        utf8.WriteByte((byte)'\n');
    }

    public static MatchPlan Deserialize(string json) =>
        JsonSerializer.Deserialize(json, MatchingJsonContext.Default.MatchPlan) ?? throw new InstanceValidationException("plan is empty (JSON null)");

    public static string Serialize(RematchResult result)
    {
        var bytes = new MemoryStream();
        PlanWriter.Write(result, bytes);
        bytes.WriteByte((byte)'\n');
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    public static string Serialize(InstanceDocument instance) => JsonSerializer.Serialize(instance, Instances.InstanceDocument).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    /// <summary>Reads instance JSON strictly (see <see cref="InstanceDocument"/>) and validates it; errors name their JSON path.</summary>
    public static InstanceDocument DeserializeInstance(string json) => CompiledInstance.Parse(json).Source;

    /// <inheritdoc cref="DeserializeInstance(string)"/>
    public static InstanceDocument DeserializeInstance(ReadOnlySpan<byte> utf8Json) => CompiledInstance.Parse(utf8Json).Source;

    public static List<AssignmentRef> DeserializeAssignments(string json) =>
        JsonSerializer.Deserialize(json, MatchingJsonContext.Default.ListAssignmentRef) ?? [];

    // Instances are written by the serializer (the generator's, tests'), as readable UTF-8 with LF line ends.
    private static readonly MatchingJsonContext Instances = new(new JsonSerializerOptions(MatchingJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    });
}
