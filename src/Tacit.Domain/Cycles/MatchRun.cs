namespace Tacit.Domain.Cycles;

public enum MatchRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// The facilitator's weights for one match run, checked here so that a bad value is refused before any job starts.
/// Defaults and meaning are those of the matching engine (docs/matching.md).
/// </summary>
public sealed class MatchWeights
{
    public const int Max = 1000;

    public int HighPriority { get; set; } = 3;
    public int MediumPriority { get; set; } = 2;
    public int LowPriority { get; set; } = 1;
    public int CrossDepartment { get; set; } = 6;
    public int PeerCloseness { get; set; } = 1;
    public int PreferredTeacher { get; set; } = 10;
    public int TeacherLevel { get; set; } = 2;
    public int RepeatPairPenalty { get; set; } = 8;
    public int GroupPenalty { get; set; } = 3;
    public bool ExcludeWholeReportingChain { get; set; }
    /// <summary>Required: a session needs a free hour common to teacher and learners. Preferred: allowed without one, at <see cref="NoCommonHourPenalty"/>.</summary>
    public AvailabilityRule Availability { get; set; } = AvailabilityRule.Required;
    public int NoCommonHourPenalty { get; set; } = 20;
    /// <summary>The largest authority gap between teacher and learner; null = no limit.</summary>
    public int? MaxAuthorityGap { get; set; }

    public const int MaxAuthorityGapLimit = 8;

    public MatchWeights Checked()
    {
        Guard.InRange(HighPriority, 1, Max, nameof(HighPriority), "High priority weight");
        Guard.InRange(MediumPriority, 1, Max, nameof(MediumPriority), "Medium priority weight");
        Guard.InRange(LowPriority, 1, Max, nameof(LowPriority), "Low priority weight");
        Guard.InRange(CrossDepartment, 0, Max, nameof(CrossDepartment), "Crossing departments weight");
        Guard.InRange(PeerCloseness, 0, Max, nameof(PeerCloseness), "Peer closeness weight");
        Guard.InRange(PreferredTeacher, 0, Max, nameof(PreferredTeacher), "Preferred teacher weight");
        Guard.InRange(TeacherLevel, 0, Max, nameof(TeacherLevel), "Teacher level weight");
        Guard.InRange(RepeatPairPenalty, 0, Max, nameof(RepeatPairPenalty), "Repeat pair penalty");
        Guard.InRange(GroupPenalty, 0, Max, nameof(GroupPenalty), "Group penalty");
        Guard.InRange(NoCommonHourPenalty, 0, Max, nameof(NoCommonHourPenalty), "No common free hour penalty");
        if (!Enum.IsDefined(Availability)) throw new DomainException("Choose whether a common free hour is required or preferred.", nameof(Availability));
        if (MaxAuthorityGap is { } gap) Guard.InRange(gap, 0, MaxAuthorityGapLimit, nameof(MaxAuthorityGap), "Largest authority gap");
        return this;
    }

    public MatchWeights Copy() => (MatchWeights)MemberwiseClone();
}

/// <summary>Whether teacher and learners must share a free hour (from the intake's availability) or preferably do.</summary>
public enum AvailabilityRule
{
    Required,
    Preferred,
}

/// <summary>The figures a facilitator compares between runs.</summary>
public sealed class MatchFigures
{
    public int Participants { get; set; }
    public int Learners { get; set; }
    public int LearnersServed { get; set; }
    public int WantsTotal { get; set; }
    public int WantsMet { get; set; }
    public int Sessions { get; set; }
    public int GroupSessions { get; set; }
    public int Teachers { get; set; }
    public int CrossDepartmentAssignments { get; set; }
    public int PreferredTeacherAssignments { get; set; }
}

/// <summary>
/// One run of the matching engine on a cycle, done by a background job. Its progress is stored so that any
/// instance of the app can show it; at most one run of a cycle is queued or running at a time.
/// </summary>
public sealed class MatchRun : ITenantOwned
{
    public const int StageMaxLength = 200;
    public const int ErrorMaxLength = 2000;

    /// <summary>How often the instance doing a run says it is still alive (<see cref="HeartbeatAt"/>).</summary>
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A running run silent for this long died with its instance (killed, restarted, out of memory): any instance then
    /// fails it, within a minute of its last sign of life, and a new run may start.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(40);

    /// <summary>What a facilitator reads on a run whose instance died.</summary>
    public const string LostMessage = "The server doing this run stopped before it finished (it may have restarted). Start the run again.";

    private MatchRun() { Stage = ""; Error = ""; Weights = new(); Figures = new(); }

    public MatchRun(Cycle cycle, int number, MatchWeights weights, Guid requestedBy, DateTimeOffset now)
    {
        if (cycle.State is not (CycleState.Mapped or CycleState.Matched))
            throw new ConflictException(cycle.State < CycleState.Mapped
                ? "Close the intake and publish the map before matching."
                : "The proposals are published; this cycle cannot be matched again.");
        Id = Guid.CreateVersion7(now);
        OrganisationId = cycle.OrganisationId;
        CycleId = cycle.Id;
        Number = number;
        Weights = weights.Copy().Checked();
        RequestedBy = requestedBy;
        RequestedAt = now;
        Status = MatchRunStatus.Queued;
        Stage = "Waiting to start";
        Error = "";
        Figures = new();
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public int Number { get; private set; }
    public MatchRunStatus Status { get; private set; }
    public int ProgressPercent { get; private set; }
    public string Stage { get; private set; }
    public MatchWeights Weights { get; private set; }
    public MatchFigures Figures { get; private set; }
    public Guid RequestedBy { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>The last time the instance doing the run said it was alive; see <see cref="Lease"/>.</summary>
    public DateTimeOffset? HeartbeatAt { get; private set; }
    public string Error { get; private set; }

    public bool IsActive => Status is MatchRunStatus.Queued or MatchRunStatus.Running;

    /// <summary>Running, but silent for longer than the <see cref="Lease"/>. A queued run is never lost: any instance takes it.</summary>
    public bool IsLost(DateTimeOffset now) => Status == MatchRunStatus.Running && now - (HeartbeatAt ?? StartedAt ?? RequestedAt) > Lease;

    /// <summary>The worker claims a queued run with an equivalent atomic update, so that only one app instance starts it.</summary>
    public void Start(DateTimeOffset now)
    {
        if (Status != MatchRunStatus.Queued) throw new ConflictException("This run has already started.");
        Status = MatchRunStatus.Running;
        StartedAt = now;
        HeartbeatAt = now;
        Report(1, "Starting");
    }

    public void Report(int percent, string stage)
    {
        ProgressPercent = Math.Clamp(percent, 0, 100);
        Stage = stage.Length > StageMaxLength ? stage[..StageMaxLength] : stage;
    }

    public void Succeed(MatchFigures figures, DateTimeOffset now)
    {
        if (Status != MatchRunStatus.Running) throw new ConflictException("Only a running match can finish.");
        Figures = figures;
        Status = MatchRunStatus.Succeeded;
        FinishedAt = now;
        Report(100, "Done");
    }

    public void Fail(string error, DateTimeOffset now)
    {
        if (!IsActive) return;
        Error = error.Length > ErrorMaxLength ? error[..ErrorMaxLength] : error;
        Status = MatchRunStatus.Failed;
        FinishedAt = now;
        Stage = "Failed";
    }

    /// <summary>
    /// The id of a proposal, unmet want or skipped pin of this run, each greater than the last made here
    /// (<see cref="IncreasingIds"/>), so that the match job can store them in id order as it makes them.
    /// </summary>
    internal Guid NextRowId() => (rowIds ??= new IncreasingIds(RequestedAt)).Next();

    private IncreasingIds? rowIds;
}

public enum SessionKind
{
    OneToOne,
    Group,
}

/// <summary>A session the engine proposes in one run: a teacher, a skill and its learners, with the reasons.</summary>
public sealed class Proposal : ITenantOwned
{
    private readonly List<Guid> _learnerIds = [];

    private Proposal() { Reasons = ""; }

    public Proposal(MatchRun run, Guid teacherId, Guid skillId, SessionKind kind, IEnumerable<Guid> learnerIds, string reasons, bool pinned,
        IEnumerable<int>? commonHours = null)
    {
        Id = run.NextRowId();
        OrganisationId = run.OrganisationId;
        CycleId = run.CycleId;
        RunId = run.Id;
        TeacherId = teacherId;
        SkillId = skillId;
        Kind = kind;
        _learnerIds.AddRange(learnerIds);
        Reasons = reasons;
        Pinned = pinned;
        CommonHours = commonHours is null ? null : [.. commonHours.Distinct().Order()];
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid RunId { get; private set; }
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public SessionKind Kind { get; private set; }
    public IReadOnlyList<Guid> LearnerIds => _learnerIds;
    /// <summary>One reason per line, for every learner: "Ada: crosses departments: Finance → Sales; high priority".</summary>
    public string Reasons { get; private set; }
    public bool Pinned { get; private set; }
    /// <summary>
    /// The UTC hour-of-week cells (see <see cref="WeeklyAvailability"/>) in which the teacher and every learner are free;
    /// null when none of them said when they are free, empty when they said and share no hour.
    /// </summary>
    public List<int>? CommonHours { get; private set; }

    /// <summary>Erasure: the common hours tell when the person is free.</summary>
    public void ForgetCommonHours() => CommonHours = null;
}

/// <summary>A want the run could not meet, and why, in words the learner can be shown.</summary>
public sealed class UnmetWant : ITenantOwned
{
    public const int ReasonMaxLength = 500;

    private UnmetWant() { ReasonCode = ""; Reason = ""; }

    public UnmetWant(MatchRun run, Guid learnerId, Guid skillId, string reasonCode, string reason)
    {
        Id = run.NextRowId();
        OrganisationId = run.OrganisationId;
        RunId = run.Id;
        LearnerId = learnerId;
        SkillId = skillId;
        ReasonCode = reasonCode;
        Reason = reason.Length > ReasonMaxLength ? reason[..ReasonMaxLength] : reason;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid RunId { get; private set; }
    public Guid LearnerId { get; private set; }
    public Guid SkillId { get; private set; }
    public string ReasonCode { get; private set; }
    public string Reason { get; private set; }
}

/// <summary>
/// A facilitator's pin a run did not honour, and why: the rule it broke when the run started (someone moved manager,
/// left, stopped sharing, or the run's settings differ). The sentence is composed when it is shown, so it names people
/// as they are called then; <see cref="Named"/> are the people the reason names beyond the pair (a reporting line, who left).
/// </summary>
public sealed class SkippedPin : ITenantOwned
{
    public const int ReasonCodeMaxLength = 40;

    private readonly List<Guid> _named = [];

    private SkippedPin() { ReasonCode = ""; }

    public SkippedPin(MatchRun run, PairRule pin, string reasonCode, IEnumerable<Guid> named)
    {
        Id = run.NextRowId();
        OrganisationId = run.OrganisationId;
        RunId = run.Id;
        LearnerId = pin.LearnerId;
        TeacherId = pin.TeacherId;
        SkillId = pin.SkillId;
        ReasonCode = reasonCode;
        _named.AddRange(named);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid RunId { get; private set; }
    public Guid LearnerId { get; private set; }
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public string ReasonCode { get; private set; }
    public IReadOnlyList<Guid> Named => _named;
}

public enum PairRuleKind
{
    Pin,
    Exclude,
}

/// <summary>A facilitator's instruction for the next runs: always propose this pair (pin), or never (exclude).</summary>
public sealed class PairRule : ITenantOwned
{
    private PairRule() { }

    public PairRule(Cycle cycle, Guid learnerId, Guid teacherId, Guid skillId, PairRuleKind kind, DateTimeOffset now)
    {
        if (cycle.State is not (CycleState.Mapped or CycleState.Matched))
            throw new ConflictException("Pairs can be pinned or excluded between publishing the map and publishing the proposals.");
        if (learnerId == teacherId) throw new DomainException("Nobody is matched with themselves.", nameof(TeacherId));
        if (!Enum.IsDefined(kind)) throw new DomainException("Choose pin or exclude.", nameof(Kind));
        Id = Guid.CreateVersion7(now);
        OrganisationId = cycle.OrganisationId;
        CycleId = cycle.Id;
        LearnerId = learnerId;
        TeacherId = teacherId;
        SkillId = skillId;
        Kind = kind;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid LearnerId { get; private set; }
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public PairRuleKind Kind { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
