using Tacit.Domain.Offers;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests.Offers;

public class FeedbackTests
{
    private static readonly Guid Teacher = Guid.NewGuid(), Skill = Guid.NewGuid();

    private static Session SessionWith(Guid learner, Guid? skill = null) => AHeldSession(Teacher, learner, skill ?? Skill);

    [Fact]
    public void A_learner_rates_a_session_that_happened_and_a_teacher_notes_what_went_well()
    {
        var learner = Guid.NewGuid();
        var session = SessionWith(learner);
        var mine = new SessionFeedback(session, learner, Now);
        mine.Give(session, happened: true, 5, " how to pivot ", "ignored for learners", "Thanks!", thankYouIsPublic: true, Now);
        Assert.Equal((true, 5, "how to pivot", "", "Thanks!", true), (mine.Happened, mine.Usefulness, mine.Learned, mine.WentWell, mine.ThankYou, mine.ThankYouIsPublic));
        var theirs = new SessionFeedback(session, Teacher, Now);
        theirs.Give(session, happened: true, 3, "ignored", "Good questions", null, thankYouIsPublic: true, Now);
        Assert.Equal((true, (int?)null, "", "Good questions", false), (theirs.AsTeacher, theirs.Usefulness, theirs.Learned, theirs.WentWell, theirs.ThankYouIsPublic));
    }

    [Fact]
    public void Feedback_opens_when_the_session_starts_needs_a_rating_and_is_for_the_people_in_the_session_only()
    {
        var learner = Guid.NewGuid();
        var session = SessionWith(learner);
        Assert.Throws<ForbiddenException>(() => new SessionFeedback(session, Guid.NewGuid(), Now));
        var feedback = new SessionFeedback(session, learner, Now);
        Assert.Throws<ConflictException>(() => feedback.Give(session, true, 4, null, null, null, false, session.StartsAt.AddMinutes(-1)));
        // Ten minutes into a thirty-minute session they are done: feedback is open.
        new SessionFeedback(session, Teacher, Now).Give(session, true, null, null, "Quick one", null, false, session.StartsAt.AddMinutes(10));
        Assert.Throws<DomainException>(() => feedback.Give(session, true, null, null, null, null, false, Now));
        Assert.Throws<DomainException>(() => feedback.Give(session, true, 6, null, null, null, false, Now));
        feedback.Give(session, happened: false, null, null, null, null, false, Now);
        Assert.Equal((false, (int?)null), (feedback.Happened, feedback.Usefulness));
    }

    [Fact]
    public void A_skill_is_validated_by_peers_after_two_different_learners_rate_it_four_or_more()
    {
        var (ada, bo, cy) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        SessionFeedback Rated(Guid learner, int rating, Guid? skill = null)
        {
            var session = SessionWith(learner, skill);
            var feedback = new SessionFeedback(session, learner, Now);
            feedback.Give(session, true, rating, null, null, null, false, Now);
            return feedback;
        }
        Assert.Empty(Recognition.ValidatedSkills(Teacher, [Rated(ada, 5), Rated(ada, 5), Rated(bo, 3)]));
        Assert.Equal([Skill], Recognition.ValidatedSkills(Teacher, [Rated(ada, 4), Rated(bo, 5), Rated(cy, 2, Guid.NewGuid())]));
        Assert.Empty(Recognition.ValidatedSkills(Guid.NewGuid(), [Rated(ada, 4), Rated(bo, 5)]));
    }
}

public class CommitmentTests
{
    private static (Session Session, Guid Learner) Held()
    {
        var learner = Guid.NewGuid();
        return (AHeldSession(Guid.NewGuid(), learner), learner);
    }

    [Fact]
    public void A_learner_commits_and_the_partner_is_asked_once_on_the_due_date()
    {
        var (session, learner) = Held();
        var partner = Guid.NewGuid();
        var commitment = new Commitment(session, learner, " Build the budget model ", new DateOnly(2027, 1, 10), partner, Now);
        Assert.Equal(("Build the budget model", CommitmentStatus.Open), (commitment.Text, commitment.Status));
        Assert.False(commitment.AskPartnerIfDue(new DateOnly(2027, 1, 9), Now));
        Assert.True(commitment.AskPartnerIfDue(new DateOnly(2027, 1, 10), Now));
        Assert.False(commitment.AskPartnerIfDue(new DateOnly(2027, 1, 11), Now));
        Assert.Throws<ForbiddenException>(() => commitment.Mark(partner, CommitmentStatus.Done, Now));
        commitment.Mark(learner, CommitmentStatus.Done, Now);
        Assert.Equal(CommitmentStatus.Done, commitment.Status);
    }

    [Fact]
    public void Commitments_are_the_learners_with_a_date_ahead_and_a_partner_who_is_someone_else()
    {
        var (session, learner) = Held();
        Assert.Throws<ForbiddenException>(() => new Commitment(session, session.TeacherId, "Teach", new DateOnly(2027, 1, 1), null, Now));
        Assert.Throws<DomainException>(() => new Commitment(session, learner, "Do", new DateOnly(2026, 12, 19), null, Now));
        Assert.Throws<DomainException>(() => new Commitment(session, learner, "Do", new DateOnly(2027, 1, 1), learner, Now));
        Assert.Throws<DomainException>(() => new Commitment(session, learner, " ", new DateOnly(2027, 1, 1), null, Now));
        var alone = new Commitment(session, learner, "Do", new DateOnly(2027, 1, 1), null, Now);
        Assert.False(alone.AskPartnerIfDue(new DateOnly(2027, 2, 1), Now));
    }
}

public class SessionQuestionsTests
{
    [Fact]
    public void A_learner_writes_questions_until_the_session_starts()
    {
        var (teacher, learner) = (Guid.NewGuid(), Guid.NewGuid());
        var session = ASession(teacher, learner, Now.AddDays(2), Now);
        Assert.Throws<ForbiddenException>(() => new SessionQuestions(session, teacher, Now));
        var questions = new SessionQuestions(session, learner, Now);
        questions.Write(session, " How do pivot tables group dates? ", Now);
        Assert.Equal("How do pivot tables group dates?", questions.Text);
        Assert.Throws<ConflictException>(() => questions.Write(session, "Too late", Now.AddDays(2)));
        Assert.Equal("How do pivot tables group dates?", questions.Text);
    }
}

public class FollowUpTests
{
    [Fact]
    public void Follow_ups_come_once_a_session_has_started_from_its_people()
    {
        var (teacher, learner) = (Guid.NewGuid(), Guid.NewGuid());
        var session = AHeldSession(teacher, learner);

        Assert.Throws<ConflictException>(() => new FollowUp(session, learner, new DateOnly(2026, 12, 18), "Too soon", session.StartsAt.AddMinutes(-1)));
        Assert.Throws<ForbiddenException>(() => new FollowUp(session, Guid.NewGuid(), new DateOnly(2026, 12, 19), "Stranger", Now));
        Assert.Throws<DomainException>(() => new FollowUp(session, learner, new DateOnly(2026, 12, 17), "Before it", Now));
        Assert.Throws<DomainException>(() => new FollowUp(session, learner, new DateOnly(2026, 12, 19), " ", Now));
        var followUp = new FollowUp(session, learner, new DateOnly(2026, 12, 19), "Showed my model", Now);
        Assert.Equal((new DateOnly(2026, 12, 19), "Showed my model"), (followUp.HeldOn, followUp.Note));

        var proposal = AProposal(teacher, [learner], skill: session.SkillId);
        var next = Offer.FollowUpOf(session, proposal, learner, Now);
        Assert.Equal((OfferStatus.Pending, teacher), (next.Status, next.TeacherId));
        Assert.Throws<ForbiddenException>(() => Offer.FollowUpOf(session, proposal, Guid.NewGuid(), Now));
    }
}
