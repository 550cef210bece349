using Tacit.Domain.Cycles;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests.Cycles;

public class IntakeAndMatchingTests
{
    private static readonly Dictionary<Guid, IReadOnlyList<string>> NoAnswers = [];

    private static IntakeResponse ResponseTo(Cycle cycle) => new(cycle.OrganisationId, cycle.Id, Guid.NewGuid(), "Finance", Now);

    [Fact]
    public void An_intake_answer_is_recorded_whole_and_sorted()
    {
        var cycle = ACycle(CycleState.Intake);
        var question = new IntakeQuestion(ACycle(CycleState.Enrolment), "Taught before?", QuestionKind.SingleChoice, ["Yes", "No"], 1, Now);
        var response = ResponseTo(cycle);
        response.Answer(cycle, Opens.AddDays(1), 3, IntakeBarrier.NoTime | IntakeBarrier.DontKnowWhoCouldTeach, " busy ", ["TUE-14", "mon-09", "mon-09"],
            "Europe/Paris", [question], new Dictionary<Guid, IReadOnlyList<string>> { [question.Id] = ["No"] }, Now);
        Assert.Equal(3, response.MaxLearnerSessions);
        Assert.Equal(["mon-09", "tue-14"], response.Availability);
        Assert.Equal("busy", response.BarrierNote);
        Assert.Equal(["No"], Assert.Single(response.Answers).Values);
        Assert.Equal(Now, response.UpdatedAt);
    }

    public static TheoryData<string, Action<IntakeResponse, Cycle, IntakeQuestion>> BadAnswers => new()
    {
        { "slot", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, ["mon-9"], "UTC", [q], NoAnswers, Now) },
        { "zone", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, [], "Mars/Olympus", [q], NoAnswers, Now) },
        { "sessions", (r, c, q) => r.Answer(c, Opens, 11, IntakeBarrier.None, null, [], "UTC", [q], NoAnswers, Now) },
        { "barrier", (r, c, q) => r.Answer(c, Opens, 2, (IntakeBarrier)64, null, [], "UTC", [q], NoAnswers, Now) },
        { "two choices", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, [], "UTC", [q], new Dictionary<Guid, IReadOnlyList<string>> { [q.Id] = ["Yes", "No"] }, Now) },
        { "unknown choice", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, [], "UTC", [q], new Dictionary<Guid, IReadOnlyList<string>> { [q.Id] = ["Maybe"] }, Now) },
        { "unknown question", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, [], "UTC", [q], new Dictionary<Guid, IReadOnlyList<string>> { [Guid.NewGuid()] = ["Yes"] }, Now) },
        { "note", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, new string('x', 1001), [], "UTC", [q], NoAnswers, Now) },
        { "null slot", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, [null!], "UTC", [q], NoAnswers, Now) },
        { "null answer", (r, c, q) => r.Answer(c, Opens, 2, IntakeBarrier.None, null, [], "UTC", [q], new Dictionary<Guid, IReadOnlyList<string>> { [q.Id] = [null!] }, Now) },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public void A_bad_answer_is_refused_and_the_previous_answers_stay(string _, Action<IntakeResponse, Cycle, IntakeQuestion> answer)
    {
        var cycle = ACycle(CycleState.Intake);
        var question = new IntakeQuestion(ACycle(CycleState.Draft), "Taught before?", QuestionKind.SingleChoice, ["Yes", "No"], 1, Now);
        var response = ResponseTo(cycle);
        response.Answer(cycle, Opens, 1, IntakeBarrier.NoTime, "first", ["wed-10"], "UTC", [question], NoAnswers, Now);
        Assert.Throws<DomainException>(() => answer(response, cycle, question));
        Assert.Equal((1, IntakeBarrier.NoTime, "first", "UTC"), (response.MaxLearnerSessions, response.Barriers, response.BarrierNote, response.TimeZone));
        Assert.Equal(["wed-10"], response.Availability);
    }

    [Theory]
    [InlineData(CycleState.Enrolment, "2026-12-02", "opens on")]
    [InlineData(CycleState.Intake, "2026-11-30", "opens on")]
    [InlineData(CycleState.Intake, "2026-12-16", "has closed")]
    [InlineData(CycleState.Mapped, "2026-12-10", "has closed")]
    public void Answers_are_taken_only_while_the_intake_is_open(CycleState state, string today, string message)
    {
        var cycle = ACycle(state);
        var error = Assert.Throws<ConflictException>(() =>
            ResponseTo(cycle).Answer(cycle, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), 2, IntakeBarrier.None, null, [], "UTC", [], NoAnswers, Now));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Questions_need_sensible_options_and_freeze_when_the_intake_opens()
    {
        var draft = ACycle(CycleState.Draft);
        Assert.Throws<DomainException>(() => new IntakeQuestion(draft, "Pick", QuestionKind.SingleChoice, ["Only"], 1, Now));
        Assert.Throws<DomainException>(() => new IntakeQuestion(draft, "Pick", QuestionKind.MultipleChoice, ["A", "a"], 1, Now));
        Assert.Throws<DomainException>(() => new IntakeQuestion(draft, "Tell", QuestionKind.FreeText, ["A", "B"], 1, Now));
        Assert.Throws<DomainException>(() => new IntakeQuestion(draft, " ", QuestionKind.FreeText, null, 1, Now));
        var question = new IntakeQuestion(draft, "Tell", QuestionKind.FreeText, null, 1, Now);
        Assert.Equal(["a\nb"], question.Clean(["a", "b"]));
        Assert.Empty(question.Clean([" "]));
        Assert.Throws<ConflictException>(() => new IntakeQuestion(ACycle(CycleState.Intake), "Late", QuestionKind.FreeText, null, 1, Now));
        Assert.Throws<ConflictException>(() => question.EnsureEditable(ACycle(CycleState.Intake)));
    }

    [Theory]
    [InlineData(CycleState.Draft, false)]
    [InlineData(CycleState.Enrolment, true)]
    [InlineData(CycleState.Intake, true)]
    [InlineData(CycleState.Mapped, true)]
    [InlineData(CycleState.Matched, false)]
    public void Managers_answer_from_enrolment_until_matching(CycleState state, bool allowed)
    {
        var cycle = ACycle(state);
        var enrolment = new ManagerEnrolment(cycle.OrganisationId, cycle.Id, Guid.NewGuid(), Now);
        if (allowed)
        {
            enrolment.Respond(cycle, supports: false, " deadlines ", Now);
            Assert.Equal((false, "deadlines", Now), (enrolment.Supports, enrolment.ExpectedBarriers, enrolment.RespondedAt));
        }
        else
        {
            Assert.Throws<ConflictException>(() => enrolment.Respond(cycle, supports: true, null, Now));
            Assert.Null(enrolment.Supports);
        }
    }

    [Theory]
    [InlineData(CycleState.Draft)]
    [InlineData(CycleState.Intake)]
    public void Matching_needs_a_published_map(CycleState state)
    {
        var error = Assert.Throws<ConflictException>(() => new MatchRun(ACycle(state), 1, new MatchWeights(), Guid.NewGuid(), Now));
        Assert.Contains("publish the map", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(MatchWeights.HighPriority), 0)]
    [InlineData(nameof(MatchWeights.CrossDepartment), -1)]
    [InlineData(nameof(MatchWeights.GroupPenalty), 1001)]
    public void Weights_out_of_range_are_refused_naming_the_weight(string weight, int value)
    {
        var weights = new MatchWeights();
        typeof(MatchWeights).GetProperty(weight)!.SetValue(weights, value);
        var error = Assert.Throws<DomainException>(() => new MatchRun(ACycle(CycleState.Mapped), 1, weights, Guid.NewGuid(), Now));
        Assert.Equal(weight, error.Field);
    }

    [Fact]
    public void A_run_starts_once_finishes_once_and_keeps_its_own_copy_of_the_weights()
    {
        var weights = new MatchWeights { CrossDepartment = 9 };
        var run = new MatchRun(ACycle(CycleState.Mapped), 1, weights, Guid.NewGuid(), Now);
        weights.CrossDepartment = 1;
        Assert.Equal(9, run.Weights.CrossDepartment);
        Assert.Throws<ConflictException>(() => run.Succeed(new MatchFigures(), Now));
        run.Start(Now);
        Assert.Throws<ConflictException>(() => run.Start(Now));
        run.Report(140, "Solving");
        Assert.Equal(100, run.ProgressPercent);
        run.Succeed(new MatchFigures { LearnersServed = 3 }, Now);
        run.Fail("late failure", Now);
        Assert.Equal((MatchRunStatus.Succeeded, 3, ""), (run.Status, run.Figures.LearnersServed, run.Error));
    }

    [Fact]
    public void Only_a_successful_run_of_the_cycle_can_be_published()
    {
        var cycle = ACycle(CycleState.Matched);
        var running = new MatchRun(cycle, 2, new MatchWeights(), Guid.NewGuid(), Now);
        running.Start(Now);
        Assert.Throws<ConflictException>(() => cycle.Publish(running, Now));
        Assert.Throws<InvalidOperationException>(() => cycle.Publish(ASucceededRun(ACycle(CycleState.Matched)), Now));
        Assert.Equal(CycleState.Matched, cycle.State);
        var done = ASucceededRun(cycle);
        cycle.Publish(done, Now);
        Assert.Equal((CycleState.Published, done.Id), (cycle.State, cycle.PublishedRunId));
    }

    [Fact]
    public void Pairs_are_pinned_or_excluded_only_while_matching_and_never_with_oneself()
    {
        var someone = Guid.NewGuid();
        Assert.Throws<ConflictException>(() => new PairRule(ACycle(CycleState.Intake), someone, Guid.NewGuid(), Guid.NewGuid(), PairRuleKind.Pin, Now));
        Assert.Throws<DomainException>(() => new PairRule(ACycle(CycleState.Mapped), someone, someone, Guid.NewGuid(), PairRuleKind.Exclude, Now));
        Assert.Equal(PairRuleKind.Exclude, new PairRule(ACycle(CycleState.Matched), someone, Guid.NewGuid(), Guid.NewGuid(), PairRuleKind.Exclude, Now).Kind);
    }
}
