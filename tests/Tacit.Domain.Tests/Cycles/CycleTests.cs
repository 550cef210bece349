using Tacit.Domain.Cycles;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests.Cycles;

public class CycleTests
{
    [Theory]
    [InlineData(CycleState.Review)]
    [InlineData(CycleState.Closed)]
    public void The_next_cycle_starts_from_the_review_with_the_same_departments_and_a_new_schedule(CycleState state)
    {
        var cycle = ACycle(state);
        var next = cycle.Next("Spring cycle", Opens.AddMonths(3), Closes.AddMonths(3), Closes.AddMonths(3).AddDays(1), Now.AddDays(60));
        Assert.Equal((CycleState.Draft, cycle.Id, cycle.OrganisationId, "Spring cycle"), (next.State, next.PreviousCycleId, next.OrganisationId, next.Name));
        Assert.Equal(cycle.Departments, next.Departments);
        Assert.Null(next.ReviewDate);
    }

    [Theory]
    [InlineData(CycleState.Draft)]
    [InlineData(CycleState.Intake)]
    [InlineData(CycleState.Published)]
    public void The_next_cycle_cannot_start_before_the_review(CycleState state) =>
        Assert.Throws<ConflictException>(() => ACycle(state).Next("Spring cycle", Opens, Closes, Closes.AddDays(1), Now));

    [Fact]
    public void A_want_is_carried_only_into_a_cycle_that_follows_another()
    {
        var next = ACycle(CycleState.Review).Next("Spring cycle", Opens, Closes, Closes.AddDays(1), Now);
        var carried = new CarriedWant(next, Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.Equal((next.Id, next.PreviousCycleId), (carried.CycleId, (Guid?)carried.FromCycleId));
        Assert.Throws<InvalidOperationException>(() => new CarriedWant(ACycle(), Guid.NewGuid(), Guid.NewGuid(), Now));
    }

    [Fact]
    public void A_cycle_goes_through_every_state_in_order()
    {
        var cycle = ACycle();
        Assert.Equal(CycleState.Draft, cycle.State);
        cycle.StartEnrolment();
        cycle.OpenIntake();
        Assert.True(cycle.AcceptsIntakeAnswers(Opens));
        cycle.PublishMap(Now.AddDays(22));
        Assert.Equal(Now.AddDays(22), cycle.MapPublishedAt);
        cycle.RecordMatch();
        cycle.RecordMatch();
        cycle.Publish(ASucceededRun(cycle), Now.AddDays(23));
        cycle.StartReview(cycle.ReviewDate!.Value);
        cycle.Close(Now.AddDays(60));
        Assert.Equal(CycleState.Closed, cycle.State);
        Assert.Null(cycle.NextStep);
    }

    public static TheoryData<CycleState, string> RefusedActions()
    {
        var data = new TheoryData<CycleState, string>();
        foreach (var state in Enum.GetValues<CycleState>())
            foreach (var action in new[] { "StartEnrolment", "OpenIntake", "PublishMap", "RecordMatch", "Publish", "StartReview", "Close" })
                data.Add(state, action);
        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedActions))]
    public void Every_action_is_allowed_only_in_its_own_state_and_a_refusal_changes_nothing(CycleState state, string action)
    {
        var allowedIn = action switch
        {
            "StartEnrolment" => [CycleState.Draft],
            "OpenIntake" => [CycleState.Enrolment],
            "PublishMap" => [CycleState.Intake],
            "RecordMatch" => [CycleState.Mapped, CycleState.Matched],
            "Publish" => [CycleState.Matched],
            "StartReview" => [CycleState.Published],
            _ => new[] { CycleState.Review },
        };
        var cycle = ACycle(state);
        var before = (cycle.State, cycle.MapPublishedAt, cycle.PublishedAt, cycle.ClosedAt, cycle.ReviewDate);
        Action act = action switch
        {
            "StartEnrolment" => cycle.StartEnrolment,
            "OpenIntake" => cycle.OpenIntake,
            "PublishMap" => () => cycle.PublishMap(Now),
            "RecordMatch" => cycle.RecordMatch,
            "Publish" => () => cycle.Publish(ASucceededRun(state == CycleState.Matched ? cycle : ACycle(CycleState.Matched)), Now),
            "StartReview" => () => cycle.StartReview(DateOnly.MaxValue),
            _ => () => cycle.Close(Now),
        };

        if (allowedIn.Contains(state))
        {
            act();
            // Matching again before publishing is allowed and stays in Matched; everything else moves on.
            if (state != CycleState.Matched || action != "RecordMatch") Assert.NotEqual(before.State, cycle.State);
        }
        else
        {
            var error = Assert.Throws<ConflictException>(act);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.Equal(before, (cycle.State, cycle.MapPublishedAt, cycle.PublishedAt, cycle.ClosedAt, cycle.ReviewDate));
        }
    }

    [Fact]
    public void Publishing_twice_says_so()
    {
        var cycle = ACycle(CycleState.Published);
        Assert.Equal("The cycle is already published.", Assert.Throws<ConflictException>(() => cycle.Publish(ASucceededRun(ACycle(CycleState.Matched)), Now)).Message);
    }

    [Fact]
    public void The_review_date_defaults_to_a_month_after_the_map_unless_the_facilitator_chose_one()
    {
        var defaulted = ACycle(CycleState.Intake);
        defaulted.PublishMap(new DateTimeOffset(2026, 12, 16, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2027, 1, 15), defaulted.ReviewDate);

        var chosen = ACycle(review: new DateOnly(2027, 2, 1));
        chosen.StartEnrolment();
        chosen.OpenIntake();
        chosen.PublishMap(Now);
        Assert.Equal(new DateOnly(2027, 2, 1), chosen.ReviewDate);
    }

    [Fact]
    public void The_review_cannot_start_before_its_date()
    {
        var cycle = ACycle(CycleState.Published);
        var review = cycle.ReviewDate!.Value;
        Assert.Throws<ConflictException>(() => cycle.StartReview(review.AddDays(-1)));
        Assert.Equal(CycleState.Published, cycle.State);
        cycle.StartReview(review);
        Assert.Equal(CycleState.Review, cycle.State);
    }

    [Fact]
    public void A_facilitator_may_start_the_review_before_its_date_and_the_date_becomes_that_day()
    {
        var cycle = ACycle(CycleState.Published);
        var early = cycle.ReviewDate!.Value.AddDays(-10);
        cycle.StartReview(early, beforeItsDate: true);
        Assert.Equal((CycleState.Review, early), (cycle.State, cycle.ReviewDate));
        Assert.Throws<ConflictException>(() => cycle.StartReview(early, beforeItsDate: true));
    }

    [Theory]
    [InlineData(15, 1, 20, null, "IntakeCloses")]
    [InlineData(1, 15, 10, null, "MatchingDate")]
    [InlineData(1, 15, 16, 14, "ReviewDate")]
    [InlineData(1, 15, 16, 15, "ReviewDate")]
    public void Dates_out_of_order_are_refused_and_the_old_dates_stay(int opens, int closes, int matching, int? review, string field)
    {
        var cycle = ACycle();
        var error = Assert.Throws<DomainException>(() => cycle.Schedule(new DateOnly(2026, 12, opens), new DateOnly(2026, 12, closes),
            new DateOnly(2026, 12, matching), review is { } r ? new DateOnly(2026, 12, r) : null, Today));
        Assert.Equal(field, error.Field);
        Assert.Equal((Opens, Closes, Matching, (DateOnly?)null), (cycle.IntakeOpens, cycle.IntakeCloses, cycle.MatchingDate, cycle.ReviewDate));
    }

    [Theory]
    [InlineData("9999-12-31", "IntakeOpens")]
    [InlineData("0001-01-01", "IntakeOpens")]
    [InlineData("2029-01-01", "MatchingDate")]
    [InlineData("2024-12-01", "IntakeOpens")]
    public void Dates_beyond_two_years_either_way_are_refused_and_the_old_dates_stay(string date, string field)
    {
        var cycle = ACycle();
        var far = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var (opens, closes, matching) = field == "MatchingDate" ? (Opens, Closes, far) : (far, DateOnly.MaxValue, DateOnly.MaxValue);
        var error = Assert.Throws<DomainException>(() => cycle.Schedule(opens, closes, matching, null, Today));
        Assert.Equal((field, "A cycle's dates must be within 2 years of today."), (error.Field, error.Message));
        Assert.Equal((Opens, Closes, Matching), (cycle.IntakeOpens, cycle.IntakeCloses, cycle.MatchingDate));
        Assert.Throws<DomainException>(() => new Cycle(Guid.NewGuid(), "Far", opens, closes, matching, null, null, Now));
    }

    [Fact]
    public void Dates_and_participants_freeze_when_their_phase_is_over()
    {
        var mapped = ACycle(CycleState.Mapped);
        Assert.Throws<ConflictException>(() => mapped.Schedule(Opens, Closes, Closes, null, Today));
        var intake = ACycle(CycleState.Intake);
        Assert.Throws<ConflictException>(() => intake.SetParticipants(["Sales"]));
        intake.Schedule(Opens, Closes.AddDays(3), Closes.AddDays(4), null, Today);
        Assert.Equal(Closes.AddDays(3), intake.IntakeCloses);
    }

    [Fact]
    public void Intake_answers_are_accepted_only_during_the_intake_window()
    {
        var cycle = ACycle(CycleState.Intake);
        Assert.False(cycle.AcceptsIntakeAnswers(Opens.AddDays(-1)));
        Assert.True(cycle.AcceptsIntakeAnswers(Closes));
        Assert.False(cycle.AcceptsIntakeAnswers(Closes.AddDays(1)));
        cycle.PublishMap(Now);
        Assert.False(cycle.AcceptsIntakeAnswers(Closes));
    }

    [Fact]
    public void Participants_are_everyone_or_the_chosen_departments()
    {
        Assert.True(ACycle().Includes("Anything"));
        var chosen = ACycle(departments: ["Sales", "sales", " ", "Finance"]);
        Assert.Equal(["Finance", "Sales"], chosen.Departments);
        Assert.True(chosen.Includes("SALES"));
        Assert.False(chosen.Includes("Legal"));
    }

    [Fact]
    public void Every_state_but_closed_names_the_next_step()
    {
        foreach (var state in Enum.GetValues<CycleState>().Where(s => s != CycleState.Closed))
            Assert.False(string.IsNullOrWhiteSpace(ACycle(state).NextStep));
    }
}
