using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests;

/// <summary>What erasing a person does to each thing it touches (docs/security.md, "Erasing a person").</summary>
public class ErasureTests
{
    [Theory]
    [InlineData("Ann offered you a time", "Erased person offered you a time")]
    [InlineData("Annual review with Ann.", "Annual review with Erased person.")]
    [InlineData("Write to ann@acme.example or Ann", "Write to (address removed) or Erased person")]
    [InlineData("Joanna and Ann-Marie", "Joanna and Ann-Marie")]
    [InlineData("Ann's notes", "Erased person's notes")]
    public void A_name_is_replaced_as_a_whole_word_and_the_address_wherever_it_is(string text, string expected) =>
        Assert.Equal(expected, Erasure.Redact(text, "Ann", "ann@acme.example"));

    [Fact]
    public void An_erased_person_keeps_nothing_that_says_who_they_were_and_cannot_be_changed_or_brought_back()
    {
        var person = APerson();
        person.UpdateProfile("Ada Lovelace", "Analyst", "Finance", 7, "London", "Europe/London", "Numbers");
        person.SetRoles(Roles.Admin);
        person.AssignManager(Guid.NewGuid());
        person.Erase(Now);

        Assert.Equal((Erasure.ErasedName, Erasure.ErasedEmail(person.Id), "", "", "", "", "UTC", (Guid?)null, Roles.Member, false, (DateTimeOffset?)Now),
            (person.DisplayName, person.Email, person.JobTitle, person.Department, person.Location, person.Bio, person.TimeZone, person.ManagerId, person.Roles, person.IsActive, person.ErasedAt));
        // Exactly the erased name and address: a looser "does not contain 'ada'" failed whenever the id's hex held "ada".
        Assert.Equal($"{Erasure.ErasedName}  {Erasure.ErasedEmail(person.Id)}".ToLowerInvariant(), person.SearchText);
        Assert.Throws<ConflictException>(person.Reactivate);
        Assert.Throws<ConflictException>(() => person.UpdateProfile("Ada", null, null, 5, null, null, null));
        Assert.Throws<ConflictException>(() => person.ChangeEmail("ada@example.com"));
        Assert.Throws<ConflictException>(() => person.Erase(Now));
    }

    [Fact]
    public void An_intake_answer_loses_its_words_and_availability_but_keeps_the_choices_and_barriers_it_was_counted_with()
    {
        var cycle = ACycle(CycleState.Enrolment);
        var choice = new IntakeQuestion(cycle, "Taught before?", QuestionKind.SingleChoice, ["Yes", "No"], 0, Now);
        var open = new IntakeQuestion(cycle, "What would help?", QuestionKind.FreeText, null, 1, Now);
        cycle.OpenIntake();
        var response = new IntakeResponse(cycle.OrganisationId, cycle.Id, Guid.NewGuid(), "Finance", Now);
        response.Answer(cycle, Opens, 2, IntakeBarrier.NoTime, "My manager, Bob", ["mon-09"], "Europe/London", [choice, open],
            new Dictionary<Guid, IReadOnlyList<string>> { [choice.Id] = ["Yes"], [open.Id] = ["Time with Bob"] }, Now);

        response.Anonymise(new HashSet<Guid> { open.Id });

        Assert.Equal(("", "UTC", 0, IntakeBarrier.NoTime, "Finance"), (response.BarrierNote, response.TimeZone, response.Availability.Count, response.Barriers, response.Department));
        Assert.Equal(["Yes"], response.Answers.Single(a => a.QuestionId == choice.Id).Values);
        Assert.Equal([Erasure.RemovedText], response.Answers.Single(a => a.QuestionId == open.Id).Values);
    }

    [Fact]
    public void An_upcoming_group_goes_on_without_a_learner_and_a_session_without_its_teacher_or_last_learner_is_cancelled()
    {
        Guid teacher = Guid.NewGuid(), first = Guid.NewGuid(), second = Guid.NewGuid();
        var offer = AnOffer(teacher, [first, second], SessionKind.Group, at: Now.AddDays(-1));
        offer.MakeOffer(teacher, [Now.AddDays(3)], null, Now, TimeSpan.FromDays(2));
        var group = offer.Accept(first, Now.AddDays(3), Now);
        group.Join(offer, second, Now);

        Assert.True(group.Drop(first, "Left", Now));
        Assert.Equal((SessionStatus.Scheduled, 1), (group.Status, group.LearnerIds.Count));
        Assert.True(group.Drop(second, "Left", Now));
        Assert.Equal((SessionStatus.Cancelled, "Left"), (group.Status, group.CancelReason));

        var held = ASession(teacher, first, Now.AddDays(-2), Now.AddDays(-3));
        Assert.False(held.Drop(teacher, "Left", Now));
        Assert.Equal(SessionStatus.Scheduled, held.Status);
        var upcoming = ASession(teacher, first, Now.AddDays(2), Now.AddDays(-1));
        Assert.True(upcoming.Drop(teacher, "Left", Now));
        Assert.Equal(SessionStatus.Cancelled, upcoming.Status);
    }
}
