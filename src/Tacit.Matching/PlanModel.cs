using System.Text.Json.Serialization;

namespace Tacit.Matching;

/// <summary>The result of matching one cycle. Serialised deterministically (see <see cref="PlanJson"/>).</summary>
public sealed class MatchPlan
{
    /// <summary>Minimum cost of the flow network written by the DIMACS export (see docs/matching.md).</summary>
    public Int128 Objective { get; init; }
    public required PlanSummary Summary { get; init; }
    public required List<PlannedSession> Sessions { get; init; }
    public required List<UnmetWant> UnmetWants { get; init; }
    /// <summary>The plan's value on the objective's three levels (internal, so not part of the JSON).</summary>
    internal LexicographicValue Value { get; init; }
}

public sealed class PlanSummary
{
    public int People { get; init; }
    public int LearnersWithWants { get; init; }
    public int LearnersServed { get; init; }
    /// <summary>Learners served by the optimal flow of the relaxation (group shares carry sessions × maxGroupSize learners); the plan packs exactly that flow, so this is also an upper bound no plan can beat.</summary>
    public int RelaxationLearnersServedUpperBound { get; init; }
    /// <summary>Times a share's learners could not be packed into groups whose members are pairwise allowed and the share's learner capacity was lowered by one and the instance solved again (0 = the plan is the exact optimum; see docs/matching.md).</summary>
    public int GroupCompositionCuts { get; init; }
    public int Wants { get; init; }
    public int WantsMet { get; init; }
    public int HighPriorityWantsMet { get; init; }
    public int MediumPriorityWantsMet { get; init; }
    public int LowPriorityWantsMet { get; init; }
    public int Sessions { get; init; }
    public int OneToOneSessions { get; init; }
    public int GroupSessions { get; init; }
    public int LearnersInGroups { get; init; }
    public int CrossDepartmentAssignments { get; init; }
    /// <summary>Cross-department assignments per 1000 assignments (integer, so the plan stays byte-stable).</summary>
    public int CrossDepartmentPerMille { get; init; }
    public long PriorityWeightMet { get; init; }
    public long PairScoreTotal { get; init; }
    public long GroupPenaltyTotal { get; init; }
    public long FirstSessionBonus { get; init; }
    public long PriorityMultiplier { get; init; }
    public int NetworkNodes { get; init; }
    public int NetworkArcs { get; init; }
}

public sealed class PlannedSession
{
    public required string TeacherId { get; init; }
    public required string SkillId { get; init; }
    public SessionKind Kind { get; init; }
    public int DurationMinutes { get; init; }
    public required List<PlannedAssignment> Learners { get; init; }
    /// <summary>UTC hour-of-week cells (0 = Monday 00:00) common to the teacher and every learner, sorted; null when none of them restricts their availability.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? CommonHours { get; init; }
}

[JsonConverter(typeof(ExactEnumConverter<SessionKind>))]
public enum SessionKind
{
    OneToOne,
    Group,
}

public sealed class PlannedAssignment
{
    public required string LearnerId { get; init; }
    public Priority Priority { get; init; }
    public int PairScore { get; init; }
    public required List<string> Reasons { get; init; }
}

[JsonConverter(typeof(ExactEnumConverter<UnmetReason>))]
public enum UnmetReason
{
    NoSharers,
    OnlyExcludedSharers,
    LearnerAtSessionLimit,
    SharersAtCapacity,
}

public sealed class UnmetWant
{
    public required string LearnerId { get; init; }
    public required string SkillId { get; init; }
    public Priority Priority { get; init; }
    public UnmetReason ReasonCode { get; init; }
    /// <summary>The reason in the engine's words, for facilitators and the command line.</summary>
    public required string Reason { get; init; }
    /// <summary>For <see cref="UnmetReason.LearnerAtSessionLimit"/>: the learner's wants that hold their sessions (pinned or kept ones first, then in input order); empty when they take none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<HeldWant>? SessionsWentTo { get; init; }
    /// <summary>For <see cref="UnmetReason.OnlyExcludedSharers"/>: the hard rules that rule out every sharer, each once.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Exclusion>? ExcludedBy { get; init; }
    /// <summary>
    /// Every sharer who may teach the learner is without room (their sessions went to other learners): true for
    /// <see cref="UnmetReason.SharersAtCapacity"/>, and for <see cref="UnmetReason.LearnerAtSessionLimit"/> when they were all booked too.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SharersBooked { get; init; }
}

/// <summary>An accepted or declined (learner, teacher, skill) assignment, as referenced by <see cref="Matcher.Rematch"/>.</summary>
public sealed record AssignmentRef(string LearnerId, string TeacherId, string SkillId);

public sealed class RematchResult
{
    /// <summary>Minimum cost of the small network solved for the affected learners (same encoding as the full plan).</summary>
    public Int128 Objective { get; init; }
    public required List<PlannedSession> NewSessions { get; init; }
    public required List<UnmetWant> UnmetWants { get; init; }
}
