namespace Tacit.Domain.Cycles;

/// <summary>What may stand in a participant's way; the facilitator sees these only as counts of groups of five or more.</summary>
[Flags]
public enum IntakeBarrier
{
    None = 0,
    NoTime = 1,
    DontKnowWhoCouldTeach = 2,
    NotSureIHaveAnythingToShare = 4,
    NotSureWhatToLearn = 8,
    UnsureOfManagerSupport = 16,
}

public static class IntakeBarriers
{
    public static readonly IReadOnlyList<IntakeBarrier> All =
        [IntakeBarrier.NoTime, IntakeBarrier.DontKnowWhoCouldTeach, IntakeBarrier.NotSureIHaveAnythingToShare, IntakeBarrier.NotSureWhatToLearn, IntakeBarrier.UnsureOfManagerSupport];

    public static string Describe(IntakeBarrier barrier) => barrier switch
    {
        IntakeBarrier.NoTime => "I don't have time",
        IntakeBarrier.DontKnowWhoCouldTeach => "I don't know who could teach me",
        IntakeBarrier.NotSureIHaveAnythingToShare => "I'm not sure I have anything to share",
        IntakeBarrier.NotSureWhatToLearn => "I don't know what I want to learn",
        IntakeBarrier.UnsureOfManagerSupport => "I'm not sure my manager supports it",
        _ => barrier.ToString(),
    };

    /// <summary>Aggregates of confidential answers are shown only for groups at least this large.</summary>
    public const int MinimumGroupSize = 5;
}

public enum QuestionKind
{
    SingleChoice,
    MultipleChoice,
    FreeText,
}

/// <summary>A question a facilitator adds to a cycle's intake, besides the standard ones.</summary>
public sealed class IntakeQuestion : ITenantOwned
{
    public const int TextMaxLength = 300;
    public const int OptionMaxLength = 100;
    public const int MaxOptions = 12;
    public const int MaxQuestionsPerCycle = 20;

    private readonly List<string> _options = [];

    private IntakeQuestion() { Text = ""; }

    public IntakeQuestion(Cycle cycle, string text, QuestionKind kind, IEnumerable<string>? options, int position, DateTimeOffset createdAt)
    {
        if (cycle.State > CycleState.Enrolment)
            throw new ConflictException("The intake has opened; its questions can no longer change.");
        if (!Enum.IsDefined(kind)) throw new DomainException("Choose single choice, multiple choice or free text.", nameof(Kind));
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = cycle.OrganisationId;
        CycleId = cycle.Id;
        Text = Guard.Required(text, nameof(Text), "Question", TextMaxLength);
        Kind = kind;
        Position = position;
        var cleaned = (options ?? []).Select(o => Guard.Optional(o, nameof(Options), "An option", OptionMaxLength))
            .Where(o => o.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (kind == QuestionKind.FreeText)
        {
            if (cleaned.Count > 0) throw new DomainException("A free-text question has no options.", nameof(Options));
        }
        else if (cleaned.Count < 2 || cleaned.Count > MaxOptions)
        {
            throw new DomainException($"A choice question needs between 2 and {MaxOptions} different options.", nameof(Options));
        }
        _options.AddRange(cleaned);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public string Text { get; private set; }
    public QuestionKind Kind { get; private set; }
    public int Position { get; private set; }
    public IReadOnlyList<string> Options => _options;

    /// <summary>Checks one person's answer to this question and returns it cleaned; empty means "not answered".</summary>
    public IReadOnlyList<string> Clean(IEnumerable<string>? answer)
    {
        var given = answer?.ToList() ?? [];
        if (given.Any(a => a is null)) throw new DomainException($"An answer to \"{Text}\" is empty (null); leave it out instead.", $"Answer:{Id}");
        var values = given.Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        switch (Kind)
        {
            case QuestionKind.FreeText:
                var text = Guard.Optional(string.Join('\n', values), $"Answer:{Id}", "An answer", IntakeResponse.FreeTextMaxLength);
                return text.Length == 0 ? [] : [text];
            case QuestionKind.SingleChoice when values.Count > 1:
                throw new DomainException($"Choose one answer to \"{Text}\".", $"Answer:{Id}");
            default:
                var unknown = values.FirstOrDefault(v => !_options.Contains(v, StringComparer.Ordinal));
                if (unknown is not null) throw new DomainException($"\"{unknown}\" is not one of the answers to \"{Text}\".", $"Answer:{Id}");
                return [.. _options.Where(values.Contains)];
        }
    }

    public void EnsureEditable(Cycle cycle)
    {
        if (cycle.State > CycleState.Enrolment)
            throw new ConflictException("The intake has opened; its questions can no longer change.");
    }
}

/// <summary>One answer of a person to a facilitator's question.</summary>
public sealed record QuestionAnswer(Guid QuestionId, IReadOnlyList<string> Values);

/// <summary>
/// A participant's confidential intake: barriers, availability and answers to the facilitator's questions. What
/// they want to learn and can share is kept as their wants and shares (the intake pre-fills them). Only the
/// person reads this record; facilitators see aggregates of groups of at least <see cref="IntakeBarriers.MinimumGroupSize"/>.
/// </summary>
public sealed class IntakeResponse : ITenantOwned
{
    public const int FreeTextMaxLength = 1000;
    public const int DefaultLearnerSessions = 2;
    public const int MaxLearnerSessionsLimit = 10;
    /// <summary>The largest cap a teacher (or the organisation's default) may set on sessions taught per cycle.</summary>
    public const int MaxTeacherSessionsLimit = 50;

    private readonly List<string> _availability = [];
    private List<QuestionAnswer> _answers = [];

    private IntakeResponse() { Department = ""; BarrierNote = ""; TimeZone = "UTC"; }

    public IntakeResponse(Guid organisationId, Guid cycleId, Guid personId, string department, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        CycleId = cycleId;
        PersonId = personId;
        Department = department;
        SubmittedAt = createdAt;
        BarrierNote = "";
        TimeZone = "UTC";
        MaxLearnerSessions = DefaultLearnerSessions;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid PersonId { get; private set; }
    /// <summary>
    /// The department the person answered from: the facilitator's figures group by it, so someone who moves later
    /// changes no figure (a move would otherwise take their answer from one group to another for all to see).
    /// </summary>
    public string Department { get; private set; }
    public IntakeBarrier Barriers { get; private set; }
    public string BarrierNote { get; private set; }
    /// <summary>Weekly one-hour slots such as "mon-09" (Monday 09:00–10:00) in <see cref="TimeZone"/>.</summary>
    public IReadOnlyList<string> Availability => _availability;
    public string TimeZone { get; private set; }
    /// <summary>The most sessions the person will attend as a learner this cycle.</summary>
    public int MaxLearnerSessions { get; private set; } = DefaultLearnerSessions;
    /// <summary>The most sessions the person will teach this cycle across all skills; null = the organisation's default.</summary>
    public int? MaxTeacherSessions { get; private set; }
    public IReadOnlyList<QuestionAnswer> Answers => _answers;
    public DateTimeOffset SubmittedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public static readonly IReadOnlyList<string> Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>Records the answers as a whole; anything invalid refuses all of it, so nothing is half-saved.</summary>
    public void Answer(Cycle cycle, DateOnly today, int maxLearnerSessions, IntakeBarrier barriers, string? barrierNote, IEnumerable<string>? availability,
        string? timeZone, IReadOnlyList<IntakeQuestion> questions, IReadOnlyDictionary<Guid, IReadOnlyList<string>> answers, DateTimeOffset now,
        int? maxTeacherSessions = null)
    {
        if (cycle.Id != CycleId) throw new InvalidOperationException("The response belongs to another cycle.");
        if (!cycle.AcceptsIntakeAnswers(today))
            throw new ConflictException(cycle.State > CycleState.Intake || today > cycle.IntakeCloses
                ? "The intake has closed; answers can no longer change."
                : $"The intake opens on {cycle.IntakeOpens:d MMMM yyyy}.");
        if ((int)barriers is < 0 or >= 32)
            throw new DomainException("Unknown barrier.", nameof(Barriers));
        var sessions = Guard.InRange(maxLearnerSessions, 0, MaxLearnerSessionsLimit, nameof(MaxLearnerSessions), "Sessions as a learner");
        var teaching = CheckedTeacherSessions(maxTeacherSessions, nameof(MaxTeacherSessions));
        var note = Guard.Optional(barrierNote, nameof(BarrierNote), "What else stands in your way", FreeTextMaxLength);
        var zone = Guard.Optional(timeZone, nameof(TimeZone), "Time zone", People.Person.TimeZoneMaxLength);
        if (zone.Length == 0) zone = "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            throw new DomainException($"'{zone}' is not a known time zone (use a name such as Europe/London).", nameof(TimeZone));
        var given = availability?.ToList() ?? [];
        if (given.Any(s => s is null)) throw new DomainException("A time slot is empty; give each as a day and hour, e.g. mon-09.", nameof(Availability));
        var slots = given.Select(s => s.Trim().ToLowerInvariant()).Distinct().ToList();
        var badSlot = slots.FirstOrDefault(s => !IsSlot(s));
        if (badSlot is not null) throw new DomainException($"'{badSlot}' is not a weekly time slot (use e.g. mon-09).", nameof(Availability));
        if (answers.Keys.Any(id => questions.All(q => q.Id != id)))
            throw new DomainException("An answer refers to a question this cycle does not ask.", "Answers");
        var cleaned = questions.OrderBy(q => q.Position)
            .Select(q => new QuestionAnswer(q.Id, q.Clean(answers.GetValueOrDefault(q.Id))))
            .Where(a => a.Values.Count > 0).ToList();

        MaxLearnerSessions = sessions;
        MaxTeacherSessions = teaching;
        Barriers = barriers;
        BarrierNote = note;
        TimeZone = zone;
        _availability.Clear();
        _availability.AddRange(slots.OrderBy(SlotOrder));
        _answers = cleaned;
        UpdatedAt = now;
    }

    /// <summary>
    /// Erasure (docs/security.md, "Erasing a person"): the note, availability and time zone go; free-text answers become
    /// <see cref="People.Erasure.RemovedText"/> so every figure the intake released still counts this response.
    /// </summary>
    public void Anonymise(IReadOnlySet<Guid> freeTextQuestions)
    {
        BarrierNote = "";
        TimeZone = "UTC";
        _availability.Clear();
        _answers = [.. _answers.Select(a => freeTextQuestions.Contains(a.QuestionId) ? a with { Values = [People.Erasure.RemovedText] } : a)];
    }

    public static bool IsSlot(string slot) =>
        slot.Length == 6 && slot[3] == '-' && Days.Contains(slot[..3]) && int.TryParse(slot[4..], out int hour) && hour is >= 0 and <= 23
        && char.IsAsciiDigit(slot[4]) && char.IsAsciiDigit(slot[5]);

    /// <summary>A cap on sessions taught per cycle, checked: null (no cap, or the default) or 0..<see cref="MaxTeacherSessionsLimit"/>.</summary>
    public static int? CheckedTeacherSessions(int? sessions, string field) =>
        sessions is { } n ? Guard.InRange(n, 0, MaxTeacherSessionsLimit, field, "Sessions you teach at most") : null;

    public static int DayIndex(string day) => day switch
    {
        "mon" => 0, "tue" => 1, "wed" => 2, "thu" => 3, "fri" => 4, "sat" => 5, "sun" => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(day), day, "not a day of the week"),
    };

    public static string Slot(int day, int hour) => $"{Days[day]}-{hour:00}";

    private static int SlotOrder(string slot) => Days.ToList().IndexOf(slot[..3]) * 24 + int.Parse(slot[4..], System.Globalization.CultureInfo.InvariantCulture);
}
