namespace Tacit.Domain.Cycles;

/// <summary>Where a learning cycle is. The order is the order of the product's learning cycle.</summary>
public enum CycleState
{
    Draft,
    Enrolment,
    Intake,
    Mapped,
    Matched,
    Published,
    Review,
    Closed,
}

/// <summary>
/// A learning cycle: enrol managers, collect intake answers, map, match, publish, review. Every change of
/// state is a guarded method: an action out of order throws <see cref="ConflictException"/> and changes nothing.
/// Dates are calendar dates in the organisation's own sense; times of actions come from the caller's clock.
/// </summary>
public sealed class Cycle : ITenantOwned
{
    public const int NameMaxLength = 120;

    /// <summary>The review is held about a month after the map is published, unless the facilitator set a date.</summary>
    public static readonly TimeSpan DefaultReviewDelay = TimeSpan.FromDays(30);

    private readonly List<string> _departments = [];

    private Cycle() { Name = ""; }

    public Cycle(Guid organisationId, string name, DateOnly intakeOpens, DateOnly intakeCloses, DateOnly matchingDate,
        DateOnly? reviewDate, IEnumerable<string>? departments, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        Name = "";
        CreatedAt = createdAt;
        State = CycleState.Draft;
        Rename(name);
        Schedule(intakeOpens, intakeCloses, matchingDate, reviewDate, DateOnly.FromDateTime(createdAt.UtcDateTime));
        SetParticipants(departments);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Name { get; private set; }
    public CycleState State { get; private set; }
    public DateOnly IntakeOpens { get; private set; }
    public DateOnly IntakeCloses { get; private set; }
    public DateOnly MatchingDate { get; private set; }
    /// <summary>Null until set by the facilitator or, at the latest, when the map is published.</summary>
    public DateOnly? ReviewDate { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? MapPublishedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    /// <summary>The match run whose proposals were published.</summary>
    public Guid? PublishedRunId { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>The cycle this one follows, when it was started from that one's review.</summary>
    public Guid? PreviousCycleId { get; private set; }

    /// <summary>Departments taking part; empty means everyone.</summary>
    public IReadOnlyList<string> Departments => _departments;

    public bool IncludesEveryone => _departments.Count == 0;

    public bool Includes(string department) =>
        IncludesEveryone || _departments.Contains(department, StringComparer.OrdinalIgnoreCase);

    public void Rename(string name) => Name = Guard.Required(name, nameof(Name), "Cycle name", NameMaxLength);

    /// <summary>Sets the dates; allowed until intake closes, and checked as a whole so no half-change is kept.</summary>
    public void Schedule(DateOnly intakeOpens, DateOnly intakeCloses, DateOnly matchingDate, DateOnly? reviewDate, DateOnly today)
    {
        if (State > CycleState.Intake)
            throw new ConflictException("The intake has closed; the cycle's dates can no longer change.");
        (DateOnly Date, string Field)[] dates = [(intakeOpens, nameof(IntakeOpens)), (intakeCloses, nameof(IntakeCloses)),
            (matchingDate, nameof(MatchingDate)), .. reviewDate is { } planned ? [(planned, nameof(ReviewDate))] : Array.Empty<(DateOnly, string)>()];
        if (dates.FirstOrDefault(d => !Guard.IsWithinHorizon(d.Date, today)).Field is { } far)
            throw new DomainException($"A cycle's dates must be within {Guard.HorizonYears} years of today.", far);
        if (intakeCloses <= intakeOpens)
            throw new DomainException("The intake must close after it opens.", nameof(IntakeCloses));
        if (matchingDate < intakeCloses)
            throw new DomainException("Matching can happen only once the intake has closed.", nameof(MatchingDate));
        if (reviewDate is { } review && review <= intakeCloses)
            throw new DomainException("The review must come after the intake closes.", nameof(ReviewDate));
        (IntakeOpens, IntakeCloses, MatchingDate, ReviewDate) = (intakeOpens, intakeCloses, matchingDate, reviewDate);
    }

    public void SetParticipants(IEnumerable<string>? departments)
    {
        if (State > CycleState.Enrolment)
            throw new ConflictException("Who takes part is settled once the intake opens.");
        var names = (departments ?? [])
            .Select(d => Guard.Optional(d, nameof(Departments), "Department", People.Person.DepartmentMaxLength))
            .Where(d => d.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        _departments.Clear();
        _departments.AddRange(names);
    }

    public void StartEnrolment() => Move(CycleState.Draft, CycleState.Enrolment);

    public void OpenIntake() => Move(CycleState.Enrolment, CycleState.Intake);

    /// <summary>Whether a participant may answer (or change) their intake now.</summary>
    public bool AcceptsIntakeAnswers(DateOnly today) => State == CycleState.Intake && today >= IntakeOpens && today <= IntakeCloses;

    /// <summary>
    /// Whether the intake is closed for good: the cycle has moved past it, which no step undoes. (Its closing date
    /// is not enough: the intake can be rescheduled to reopen while the cycle is still in it.)
    /// </summary>
    public bool IntakeClosed => State > CycleState.Intake;

    /// <summary>Closes the intake and publishes the map; the review date defaults to a month later.</summary>
    public void PublishMap(DateTimeOffset now)
    {
        Move(CycleState.Intake, CycleState.Mapped);
        MapPublishedAt = now;
        ReviewDate ??= DateOnly.FromDateTime((now + DefaultReviewDelay).UtcDateTime);
    }

    /// <summary>A match run finished; running again before publishing replaces the proposals.</summary>
    public void RecordMatch()
    {
        if (State is not (CycleState.Mapped or CycleState.Matched))
            throw new ConflictException(State < CycleState.Mapped
                ? "Publish the map before matching."
                : "The proposals are published; this cycle cannot be matched again.");
        State = CycleState.Matched;
    }

    /// <summary>Publishes one successful run's proposals; they become offers the teachers make.</summary>
    public void Publish(MatchRun run, DateTimeOffset now)
    {
        if (State != CycleState.Matched) Move(CycleState.Matched, CycleState.Published); // throws: says where the cycle is
        if (run.CycleId != Id) throw new InvalidOperationException("The run belongs to another cycle.");
        if (run.Status != MatchRunStatus.Succeeded) throw new ConflictException("Only a finished, successful match run can be published.");
        Move(CycleState.Matched, CycleState.Published);
        PublishedAt = now;
        PublishedRunId = run.Id;
    }

    /// <summary>
    /// Starts the review, from its planned date on; <paramref name="beforeItsDate"/> is a facilitator's deliberate choice to
    /// start it sooner, and the review date becomes today so the record says when it happened.
    /// </summary>
    public void StartReview(DateOnly today, bool beforeItsDate = false)
    {
        if (State == CycleState.Published && ReviewDate is { } review && today < review && !beforeItsDate)
            throw new ConflictException($"The review is planned for {review:yyyy-MM-dd}; it can start from that day, or earlier if you say so.");
        Move(CycleState.Published, CycleState.Review);
        if (ReviewDate is null || today < ReviewDate) ReviewDate = today;
    }

    public void Close(DateTimeOffset now)
    {
        Move(CycleState.Review, CycleState.Closed);
        ClosedAt = now;
    }

    /// <summary>
    /// The cycle after this one, started from its review: the same departments, a new schedule. The wants this cycle
    /// left unmet are carried over by the caller (<see cref="CarriedWant"/>).
    /// </summary>
    public Cycle Next(string name, DateOnly intakeOpens, DateOnly intakeCloses, DateOnly matchingDate, DateTimeOffset now)
    {
        if (State is not (CycleState.Review or CycleState.Closed))
            throw new ConflictException($"The cycle is {Describe(State)}; the next one starts from its review.");
        return new Cycle(OrganisationId, name, intakeOpens, intakeCloses, matchingDate, null, _departments, now) { PreviousCycleId = Id };
    }

    /// <summary>What the facilitator does next, for the cycle page. Null once the cycle is closed.</summary>
    public string? NextStep => State switch
    {
        CycleState.Draft => "Invite the managers of the participating departments (start enrolment).",
        CycleState.Enrolment => "Open the intake questionnaire.",
        CycleState.Intake => $"Close the intake and publish the map (the intake runs until {IntakeCloses:yyyy-MM-dd}).",
        CycleState.Mapped => "Run the matching.",
        CycleState.Matched => "Review the proposals and publish them.",
        CycleState.Published => $"Hold the review on {ReviewDate:yyyy-MM-dd}.",
        CycleState.Review => "Close the cycle and start the next one.",
        _ => null,
    };

    private void Move(CycleState from, CycleState to)
    {
        if (State != from)
            throw new ConflictException(State == to
                ? $"The cycle is already {Describe(to)}."
                : $"The cycle is {Describe(State)}; it must be {Describe(from)} to do this.");
        State = to;
    }

    private static string Describe(CycleState state) => state switch
    {
        CycleState.Draft => "a draft",
        CycleState.Enrolment => "enrolling managers",
        CycleState.Intake => "in intake",
        CycleState.Mapped => "mapped",
        CycleState.Matched => "matched",
        CycleState.Published => "published",
        CycleState.Review => "in review",
        _ => "closed",
    };
}
