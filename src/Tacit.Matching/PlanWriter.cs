using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tacit.Matching;

/// <summary>
/// Writes plans as JSON with <see cref="Utf8JsonWriter"/>, property by property in the models' declared order, flushing
/// to the stream as it goes: the same bytes the source-generated serializer wrote (a test compares them), without its
/// metadata path, which took about 0.8 s of the 135 MB plan of a 100,000-person cycle in a fresh process (issue 13, point 6).
/// </summary>
internal static class PlanWriter
{
    // Reasons contain "→" and department names may be non-ASCII: written as UTF-8, not \u escapes, so plans stay readable.
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private const int FlushAt = 1 << 16;

    public static void Write(MatchPlan plan, Stream utf8)
    {
        using var json = new Utf8JsonWriter(utf8, Options);
        json.WriteStartObject();
        Objective(json, plan.Objective);
        json.WritePropertyName("summary"u8);
        Summary(json, plan.Summary);
        Array(json, "sessions"u8, plan.Sessions, Session);
        Array(json, "unmetWants"u8, plan.UnmetWants, UnmetWant);
        json.WriteEndObject();
        json.Flush();
    }

    public static void Write(RematchResult result, Stream utf8)
    {
        using var json = new Utf8JsonWriter(utf8, Options);
        json.WriteStartObject();
        Objective(json, result.Objective);
        Array(json, "newSessions"u8, result.NewSessions, Session);
        Array(json, "unmetWants"u8, result.UnmetWants, UnmetWant);
        json.WriteEndObject();
        json.Flush();
    }

    private static void Objective(Utf8JsonWriter json, Int128 objective)
    {
        json.WritePropertyName("objective"u8);
        json.WriteRawValue(objective.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    private static void Summary(Utf8JsonWriter json, PlanSummary s)
    {
        json.WriteStartObject();
        json.WriteNumber("people"u8, s.People);
        json.WriteNumber("learnersWithWants"u8, s.LearnersWithWants);
        json.WriteNumber("learnersServed"u8, s.LearnersServed);
        json.WriteNumber("relaxationLearnersServedUpperBound"u8, s.RelaxationLearnersServedUpperBound);
        json.WriteNumber("groupCompositionCuts"u8, s.GroupCompositionCuts);
        json.WriteNumber("wants"u8, s.Wants);
        json.WriteNumber("wantsMet"u8, s.WantsMet);
        json.WriteNumber("highPriorityWantsMet"u8, s.HighPriorityWantsMet);
        json.WriteNumber("mediumPriorityWantsMet"u8, s.MediumPriorityWantsMet);
        json.WriteNumber("lowPriorityWantsMet"u8, s.LowPriorityWantsMet);
        json.WriteNumber("sessions"u8, s.Sessions);
        json.WriteNumber("oneToOneSessions"u8, s.OneToOneSessions);
        json.WriteNumber("groupSessions"u8, s.GroupSessions);
        json.WriteNumber("learnersInGroups"u8, s.LearnersInGroups);
        json.WriteNumber("crossDepartmentAssignments"u8, s.CrossDepartmentAssignments);
        json.WriteNumber("crossDepartmentPerMille"u8, s.CrossDepartmentPerMille);
        json.WriteNumber("priorityWeightMet"u8, s.PriorityWeightMet);
        json.WriteNumber("pairScoreTotal"u8, s.PairScoreTotal);
        json.WriteNumber("groupPenaltyTotal"u8, s.GroupPenaltyTotal);
        json.WriteNumber("firstSessionBonus"u8, s.FirstSessionBonus);
        json.WriteNumber("priorityMultiplier"u8, s.PriorityMultiplier);
        json.WriteNumber("networkNodes"u8, s.NetworkNodes);
        json.WriteNumber("networkArcs"u8, s.NetworkArcs);
        json.WriteEndObject();
    }

    private static void Session(Utf8JsonWriter json, PlannedSession session)
    {
        json.WriteStartObject();
        json.WriteString("teacherId"u8, session.TeacherId);
        json.WriteString("skillId"u8, session.SkillId);
        json.WriteString("kind"u8, ExactEnumConverter<SessionKind>.Name(session.Kind));
        json.WriteNumber("durationMinutes"u8, session.DurationMinutes);
        json.WriteStartArray("learners"u8);
        foreach (var learner in session.Learners)
        {
            json.WriteStartObject();
            json.WriteString("learnerId"u8, learner.LearnerId);
            json.WriteString("priority"u8, ExactEnumConverter<Priority>.Name(learner.Priority));
            json.WriteNumber("pairScore"u8, learner.PairScore);
            json.WriteStartArray("reasons"u8);
            foreach (string reason in learner.Reasons) json.WriteStringValue(reason);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (session.CommonHours is { } hours)
        {
            json.WriteStartArray("commonHours"u8);
            foreach (int hour in hours) json.WriteNumberValue(hour);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void UnmetWant(Utf8JsonWriter json, UnmetWant unmet)
    {
        json.WriteStartObject();
        json.WriteString("learnerId"u8, unmet.LearnerId);
        json.WriteString("skillId"u8, unmet.SkillId);
        json.WriteString("priority"u8, ExactEnumConverter<Priority>.Name(unmet.Priority));
        json.WriteString("reasonCode"u8, ExactEnumConverter<UnmetReason>.Name(unmet.ReasonCode));
        json.WriteString("reason"u8, unmet.Reason);
        if (unmet.SessionsWentTo is { } held)
        {
            json.WriteStartArray("sessionsWentTo"u8);
            foreach (var want in held)
            {
                json.WriteStartObject();
                json.WriteString("skillId"u8, want.SkillId);
                json.WriteString("priority"u8, ExactEnumConverter<Priority>.Name(want.Priority));
                json.WriteString("placement"u8, ExactEnumConverter<Placement>.Name(want.Placement));
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (unmet.ExcludedBy is { } excluded)
        {
            json.WriteStartArray("excludedBy"u8);
            foreach (var exclusion in excluded) json.WriteStringValue(ExactEnumConverter<Exclusion>.Name(exclusion));
            json.WriteEndArray();
        }
        if (unmet.SharersBooked) json.WriteBoolean("sharersBooked"u8, true);
        json.WriteEndObject();
    }

    /// <summary>Writes a property holding an array of records (the plan's second level), flushing to the stream as it goes.</summary>
    private static void Array<T>(Utf8JsonWriter json, ReadOnlySpan<byte> name, List<T> items, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            write(json, item);
            if (json.BytesPending > FlushAt) json.Flush();
        }
        json.WriteEndArray();
    }
}
