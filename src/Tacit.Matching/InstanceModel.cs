using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tacit.Matching;

/// <summary>
/// The matching input for one cycle, exactly as it appears in instance JSON (see docs/instance.schema.json).
/// Reading is strict (<see cref="PlanJson.DeserializeInstance(ReadOnlySpan{byte})"/>): <c>[JsonRequired]</c> marks what
/// the schema requires, and a property that is not nullable here refuses JSON <c>null</c>.
/// </summary>
public sealed class InstanceDocument
{
    [JsonRequired] public List<PersonRecord> People { get; set; } = [];
    [JsonRequired] public List<SkillRecord> Skills { get; set; } = [];
    [JsonRequired] public List<ShareRecord> Shares { get; set; } = [];
    [JsonRequired] public List<WantRecord> Wants { get; set; } = [];
    public List<PairRecord> LastCyclePairs { get; set; } = [];
    public MatchingSettings Settings { get; set; } = new();
}

public sealed class PersonRecord
{
    [JsonRequired] public string Id { get; set; } = "";
    [JsonRequired] public string Department { get; set; } = "";
    public string? ManagerId { get; set; }
    [JsonRequired] public int AuthorityLevel { get; set; }
    [JsonRequired] public int MaxLearnerSessions { get; set; }

    /// <summary>UTC hour-of-week cells 0–167 (0 = Monday 00:00–01:00 UTC) when the person can meet; null or empty = any time.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Availability { get; set; }

    /// <summary>At most this many sessions taught in the cycle across all the person's shares (a group session counts once); null = no cap.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTeacherSessions { get; set; }
}

public sealed class SkillRecord
{
    [JsonRequired] public string Id { get; set; } = "";
    public string? Name { get; set; }
}

public sealed class ShareRecord
{
    [JsonRequired] public string TeacherId { get; set; } = "";
    [JsonRequired] public string SkillId { get; set; } = "";
    [JsonRequired] public int Level { get; set; }
    [JsonRequired] public int Sessions { get; set; }
    public bool AcceptsGroups { get; set; }
    public int MaxGroupSize { get; set; } = 1;
}

public sealed class WantRecord
{
    [JsonRequired] public string LearnerId { get; set; } = "";
    [JsonRequired] public string SkillId { get; set; } = "";
    public Priority Priority { get; set; } = Priority.Medium;
    public string? PreferredTeacherId { get; set; }
}

public sealed class PairRecord
{
    [JsonRequired] public string LearnerId { get; set; } = "";
    [JsonRequired] public string TeacherId { get; set; } = "";
}

[JsonConverter(typeof(ExactEnumConverter<Priority>))]
public enum Priority
{
    Low,
    Medium,
    High,
}

[JsonConverter(typeof(ExactEnumConverter<AvailabilityRule>))]
public enum AvailabilityRule
{
    /// <summary>A session needs at least one hour cell common to the teacher and every learner in it.</summary>
    Hard,
    /// <summary>Allowed without a common hour, with <see cref="MatchingWeights.NoCommonHourPenalty"/> subtracted from the pair score.</summary>
    Soft,
}

[JsonConverter(typeof(ExactEnumConverter<LastCyclePairsRule>))]
public enum LastCyclePairsRule
{
    Hard,
    Soft,
}

public sealed class MatchingSettings
{
    public MatchingWeights Weights { get; set; } = new();

    /// <summary>When true, nobody is paired with anyone above or below them in their reporting chain, not only their direct manager and reports.</summary>
    public bool ExcludeWholeReportingChain { get; set; }

    /// <summary>Hard: last cycle's (learner, teacher) pairs are forbidden. Soft: allowed, with <see cref="MatchingWeights.RepeatPairPenalty"/> subtracted from the pair score.</summary>
    public LastCyclePairsRule LastCyclePairs { get; set; } = LastCyclePairsRule.Hard;

    /// <summary>Hard (default): teacher and learners must share an hour cell of <see cref="PersonRecord.Availability"/>. Soft: a penalty instead.</summary>
    public AvailabilityRule Availability { get; set; } = AvailabilityRule.Hard;

    /// <summary>When set, a learner is never taught by a teacher whose authority level differs from theirs by more than this.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxAuthorityGap { get; set; }
}

/// <summary>
/// Integer weights of the objective's second and third levels. Defaults are documented in docs/matching.md.
/// Every weight must be between 0 and <see cref="MaxWeight"/> so that the big-M constants stay far from overflow.
/// </summary>
public sealed class MatchingWeights
{
    public const int MaxWeight = 1000;

    public int HighPriority { get; set; } = 3;
    public int MediumPriority { get; set; } = 2;
    public int LowPriority { get; set; } = 1;
    public int CrossDepartment { get; set; } = 6;
    /// <summary>Per level of closeness: a pair with authority gap g earns PeerCloseness * (9 - g).</summary>
    public int PeerCloseness { get; set; } = 1;
    public int PreferredTeacher { get; set; } = 10;
    /// <summary>Per teacher level (1–5) of the share.</summary>
    public int TeacherLevel { get; set; } = 2;
    public int RepeatPairPenalty { get; set; } = 8;
    /// <summary>Charged per learner placed beyond a share's one-to-one capacity, so one-to-one is preferred when capacity allows.</summary>
    public int GroupPenalty { get; set; } = 3;
    /// <summary>Subtracted from the pair score when teacher and learner share no hour (only with <c>availability: "soft"</c>).</summary>
    public int NoCommonHourPenalty { get; set; } = 20;
}

/// <summary>
/// Enums are written and read as camelCase strings ("high", "soft"), spelled exactly: other cases ("High"),
/// numbers (2 or "2") and combinations ("low, high") are refused, naming the allowed values.
/// </summary>
public sealed class ExactEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly string[] Names = [.. Values.Select(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()))];
    private static readonly JsonEncodedText[] Encoded = [.. Names.Select(n => JsonEncodedText.Encode(n))];

    /// <summary>The value's name as it is written (for <see cref="PlanWriter"/>).</summary>
    internal static JsonEncodedText Name(TEnum value)
    {
        int i = Array.IndexOf(Values, value);
        return i >= 0 ? Encoded[i] : throw new JsonException($"{value} is not a {typeof(TEnum).Name}");
    }

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            for (int i = 0; i < Names.Length; i++)
                if (reader.ValueTextEquals(Names[i])) return Values[i];
        }
        throw new JsonException($"must be one of {string.Join(", ", Names.Select(n => "\"" + n + "\""))} (spelled exactly)");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        int i = Array.IndexOf(Values, value);
        if (i < 0) throw new JsonException($"{value} is not a {typeof(TEnum).Name}");
        writer.WriteStringValue(Names[i]);
    }
}
