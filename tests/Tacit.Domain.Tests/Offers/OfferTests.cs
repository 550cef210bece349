using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests.Offers;

public class OfferTests
{
    private static readonly Guid Teacher = Guid.NewGuid(), Learner = Guid.NewGuid(), Stranger = Guid.NewGuid();
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private static Offer NewOffer(SessionKind kind = SessionKind.OneToOne) => AnOffer(Teacher, [Learner], kind, at: Now.AddDays(-1));

    private static Offer Offered(params DateTimeOffset[] times)
    {
        var offer = NewOffer();
        offer.MakeOffer(Teacher, times.Length == 0 ? [Now.AddDays(2), Now.AddDays(3)] : times, "Tea?", Now, Week);
        return offer;
    }

    [Fact]
    public void A_teacher_offers_times_a_learner_accepts_one_and_a_session_of_thirty_minutes_exists()
    {
        var offer = Offered(Now.AddDays(3), Now.AddDays(2), Now.AddDays(2));
        Assert.Equal([Now.AddDays(2), Now.AddDays(3)], offer.Times);
        Assert.Equal(Now.AddDays(2), offer.ExpiresAt); // never later than the first offered time
        var session = offer.Accept(Learner, Now.AddDays(3), Now.AddHours(1));
        Assert.Equal((OfferStatus.Accepted, session.Id), (offer.Status, offer.SessionId));
        Assert.Equal((Now.AddDays(3), 30, 0), (session.StartsAt, session.DurationMinutes, session.Sequence));
        Assert.Equal($"session-{session.Id:N}@tacit", session.CalendarUid);
    }

    [Fact]
    public void A_published_offer_expires_after_the_configured_answer_window_which_must_be_positive()
    {
        var proposal = AProposal(Teacher, [Learner]);
        Assert.Equal(Now + TimeSpan.FromDays(3), new Offer(proposal, Now, TimeSpan.FromDays(3)).ExpiresAt);
        Assert.Equal(Now + Offer.DefaultAnswerWithin, new Offer(proposal, Now).ExpiresAt);
        Assert.Throws<DomainException>(() => new Offer(proposal, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Group_sessions_last_an_hour() => Assert.Equal(60, NewOffer(SessionKind.Group).DurationMinutes);

    [Fact]
    public void Only_the_teacher_offers_or_declines_and_only_a_learner_answers()
    {
        var offer = NewOffer();
        Assert.Throws<ForbiddenException>(() => offer.MakeOffer(Learner, [Now.AddDays(1)], null, Now, Week));
        Assert.Throws<ForbiddenException>(() => offer.Decline(Stranger, "busy", Now));
        offer.MakeOffer(Teacher, [Now.AddDays(1)], null, Now, Week);
        Assert.Throws<ForbiddenException>(() => offer.Accept(Teacher, Now.AddDays(1), Now));
        Assert.Throws<ForbiddenException>(() => offer.AskForOtherTimes(Stranger, null, Now, Week));
        Assert.Equal(OfferStatus.Offered, offer.Status);
    }

    public static TheoryData<string, DateTimeOffset[]> BadTimes => new()
    {
        { "none", [] },
        { "four", [Now.AddDays(1), Now.AddDays(2), Now.AddDays(3), Now.AddDays(4)] },
        { "past", [Now.AddHours(-1), Now.AddDays(2)] },
        { "beyond the horizon", [Now.AddDays(2), Now.AddYears(Guard.HorizonYears).AddDays(1)] },
        { "at the calendar's end", [new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero)] },
    };

    [Theory]
    [MemberData(nameof(BadTimes))]
    public void Bad_times_are_refused_and_the_offer_stays_pending(string _, DateTimeOffset[] times)
    {
        var offer = NewOffer();
        Assert.Throws<DomainException>(() => offer.MakeOffer(Teacher, times, null, Now, Week));
        Assert.Equal(OfferStatus.Pending, offer.Status);
        Assert.Empty(offer.Times);
    }

    [Fact]
    public void A_session_moves_only_to_a_time_in_the_next_two_years_and_is_left_as_it_was_otherwise()
    {
        var session = ASession(Teacher, Learner, Now.AddDays(2), Now);
        foreach (var far in new[] { Now.AddYears(Guard.HorizonYears).AddDays(1), DateTimeOffset.MaxValue.AddSeconds(-1) })
            Assert.Equal("StartsAt", Assert.Throws<DomainException>(() => session.Reschedule(Teacher, far, Now)).Field);
        Assert.Equal((Now.AddDays(2), 0), (session.StartsAt, session.Sequence));
        session.Reschedule(Learner, Now.AddYears(1), Now);
        Assert.Equal((Now.AddYears(1), 1), (session.StartsAt, session.Sequence));
    }

    [Fact]
    public void A_commitment_is_due_within_the_next_two_years()
    {
        var held = AHeldSession(Teacher, Learner);
        var error = Assert.Throws<DomainException>(() => new Commitment(held, Learner, "Practise", DateOnly.MaxValue, null, Now));
        Assert.Equal(("DueOn", "The date must be within the next 2 years."), (error.Field, error.Message));
        Assert.Equal(Today.AddYears(2), new Commitment(held, Learner, "Practise", Today.AddYears(2), null, Now).DueOn);
    }

    [Fact]
    public void Asking_for_other_times_sends_the_offer_back_to_the_teacher()
    {
        var offer = Offered();
        offer.AskForOtherTimes(Learner, "Mornings are better", Now, Week);
        Assert.Equal((OfferStatus.Pending, "Mornings are better"), (offer.Status, offer.LearnerNote));
        Assert.Empty(offer.Times);
        Assert.Throws<ConflictException>(() => offer.Accept(Learner, Now.AddDays(2), Now));
        offer.MakeOffer(Teacher, [Now.AddDays(4)], null, Now, Week);
        Assert.Equal(OfferStatus.Offered, offer.Status);
    }

    [Fact]
    public void Accepting_twice_or_a_time_not_offered_is_refused()
    {
        var offer = Offered();
        Assert.Throws<DomainException>(() => offer.Accept(Learner, Now.AddDays(5), Now));
        offer.Accept(Learner, Now.AddDays(2), Now);
        Assert.Equal("This offer has been accepted already.", Assert.Throws<ConflictException>(() => offer.Accept(Learner, Now.AddDays(3), Now)).Message);
        Assert.Throws<ConflictException>(() => offer.Decline(Teacher, "too late", Now));
    }

    [Fact]
    public void An_offer_nobody_answers_expires_and_then_refuses_everything()
    {
        var offer = Offered();
        Assert.False(offer.ExpireIfDue(Now.AddDays(1)));
        Assert.Throws<ConflictException>(() => offer.Accept(Learner, Now.AddDays(2), Now.AddDays(2)));
        Assert.True(offer.ExpireIfDue(Now.AddDays(2)));
        Assert.Equal(OfferStatus.Expired, offer.Status);
        Assert.False(offer.ExpireIfDue(Now.AddDays(3)));
        Assert.Throws<ConflictException>(() => offer.Decline(Teacher, "sorry", Now.AddDays(3)));
    }

    [Fact]
    public void A_decline_needs_a_reason()
    {
        var offer = NewOffer();
        Assert.Throws<DomainException>(() => offer.Decline(Teacher, " ", Now));
        offer.Decline(Teacher, "On leave", Now);
        Assert.Equal((OfferStatus.Declined, "On leave"), (offer.Status, offer.DeclineReason));
    }

    [Fact]
    public void Sessions_are_rescheduled_or_cancelled_by_their_people_and_each_change_raises_the_sequence()
    {
        var session = Offered().Accept(Learner, Now.AddDays(2), Now);
        Assert.Throws<ForbiddenException>(() => session.Cancel(Stranger, "no", Now));
        Assert.Throws<DomainException>(() => session.Reschedule(Learner, Now.AddHours(-1), Now));
        session.Reschedule(Learner, Now.AddDays(4), Now);
        Assert.Equal((Now.AddDays(4), 1), (session.StartsAt, session.Sequence));
        Assert.Throws<DomainException>(() => session.Cancel(Teacher, "", Now));
        // Once it has started, it is not cancelled: the feedback says whether it happened.
        Assert.Equal("This session has started; say in your feedback whether it happened.",
            Assert.Throws<ConflictException>(() => session.Cancel(Teacher, "Ill", Now.AddDays(4).AddMinutes(5))).Message);
        Assert.Equal("This session has started; say in your feedback whether it happened.",
            Assert.Throws<ConflictException>(() => session.Reschedule(Learner, Now.AddDays(6), Now.AddDays(4).AddMinutes(5))).Message);
        session.Cancel(Teacher, "Ill", Now.AddDays(1));
        Assert.Equal((SessionStatus.Cancelled, 2, "Ill"), (session.Status, session.Sequence, session.CancelReason));
        Assert.Equal("This session was cancelled.", Assert.Throws<ConflictException>(() => session.Reschedule(Learner, Now.AddDays(5), Now)).Message);
        Assert.Throws<ConflictException>(() => session.Cancel(Learner, "again", Now));
    }

    [Fact]
    public void A_teacher_who_leaves_ends_the_offer_as_declined_and_a_learner_who_leaves_is_taken_off_it()
    {
        var taught = Offered();
        Assert.True(taught.Withdraw(Teacher, Now.AddHours(1)));
        Assert.Equal((OfferStatus.Declined, Offer.TeacherLeftReason), (taught.Status, taught.DeclineReason));
        Assert.Equal([Learner], taught.LearnerIds);
        Assert.False(taught.Withdraw(Learner, Now.AddHours(2))); // over already

        var other = Guid.NewGuid();
        var group = AnOffer(Teacher, [Learner, other], SessionKind.Group);
        Assert.True(group.Withdraw(other, Now));
        Assert.Equal(OfferStatus.Pending, group.Status);
        Assert.Equal([Learner], group.LearnerIds);
        Assert.False(group.Withdraw(Stranger, Now));
        Assert.True(group.Withdraw(Learner, Now));
        Assert.Equal(OfferStatus.Expired, group.Status);
        Assert.Empty(group.LearnerIds);
    }
}

public class GroupSessionTests
{
    [Fact]
    public void Group_learners_accept_one_by_one_and_the_session_runs_from_the_second()
    {
        var (teacher, ada, bo, stranger) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var offer = AnOffer(teacher, [ada, bo], SessionKind.Group, at: Now.AddDays(-1));
        offer.MakeOffer(teacher, [Now.AddDays(2)], null, Now, TimeSpan.FromDays(7));
        var session = offer.Accept(ada, Now.AddDays(2), Now);
        Assert.False(session.IsConfirmed);
        Assert.Equal(60, session.DurationMinutes);
        Assert.Throws<ForbiddenException>(() => session.Join(offer, stranger, Now));
        Assert.Throws<ConflictException>(() => session.Join(offer, ada, Now));
        session.Join(offer, bo, Now);
        Assert.True(session.IsConfirmed);
        Assert.Equal([ada, bo], session.LearnerIds);
        Assert.Equal(1, session.Sequence);
    }
}
