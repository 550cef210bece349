using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;

namespace Tacit.Domain.Tests;

/// <summary>
/// Domain objects in a known state, made through their real constructors and transitions, so a test sets up in one line
/// what it is not about (in the style of eShop's <c>tests/Ordering.UnitTests/Builders.cs</c>). A winter cycle: the
/// intake is open from <see cref="Opens"/> to <see cref="Closes"/>; things happen at <see cref="Now"/> unless told.
/// </summary>
internal static class Builders
{
    public static readonly DateTimeOffset Now = new(2026, 12, 20, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    public static readonly DateOnly Opens = new(2026, 12, 1);
    public static readonly DateOnly Closes = new(2026, 12, 15);
    public static readonly DateOnly Matching = Closes.AddDays(1);

    public static Person APerson(string email = "ada@example.com") => new(Guid.NewGuid(), email, "Ada", Now);

    /// <summary>A cycle taken through every step up to <paramref name="state"/>, each at <paramref name="at"/>.</summary>
    public static Cycle ACycle(CycleState state = CycleState.Draft, DateOnly? review = null, string[]? departments = null, DateTimeOffset? at = null)
    {
        var now = at ?? Now;
        var cycle = new Cycle(Guid.NewGuid(), "Winter", Opens, Closes, Matching, review, departments, now);
        var steps = new Action[]
        {
            cycle.StartEnrolment, cycle.OpenIntake, () => cycle.PublishMap(now), cycle.RecordMatch, () => cycle.Publish(ASucceededRun(cycle, now), now),
            () => cycle.StartReview(DateOnly.MaxValue), () => cycle.Close(now),
        };
        foreach (var step in steps.Take((int)state)) step();
        return cycle;
    }

    /// <summary>A queued run of a cycle whose map is published (a new one unless given).</summary>
    public static MatchRun ARun(Cycle? cycle = null, DateTimeOffset? at = null) =>
        new(cycle ?? ACycle(CycleState.Mapped), 1, new MatchWeights(), Guid.NewGuid(), at ?? Now);

    /// <summary>A run of the cycle that finished, as the background worker leaves it.</summary>
    public static MatchRun ASucceededRun(Cycle cycle, DateTimeOffset? at = null)
    {
        var run = ARun(cycle, at);
        run.Start(at ?? Now);
        run.Succeed(new MatchFigures(), at ?? Now);
        return run;
    }

    public static Proposal AProposal(Guid teacher, Guid[] learners, SessionKind kind = SessionKind.OneToOne, Guid? skill = null) =>
        new(ARun(), teacher, skill ?? Guid.NewGuid(), kind, learners, "", pinned: false);

    /// <summary>A published, pending offer: the teacher has not offered a time yet.</summary>
    public static Offer AnOffer(Guid teacher, Guid[] learners, SessionKind kind = SessionKind.OneToOne, Guid? skill = null, DateTimeOffset? at = null) =>
        new(AProposal(teacher, learners, kind, skill), at ?? Now);

    /// <summary>A one-to-one session at <paramref name="startsAt"/>, which the learner accepted at <paramref name="acceptedAt"/>.</summary>
    public static Session ASession(Guid teacher, Guid learner, DateTimeOffset startsAt, DateTimeOffset acceptedAt, Guid? skill = null)
    {
        var offer = AnOffer(teacher, [learner], skill: skill, at: acceptedAt);
        offer.MakeOffer(teacher, [startsAt], null, acceptedAt, TimeSpan.FromDays(7));
        return offer.Accept(learner, startsAt, acceptedAt);
    }

    /// <summary>A one-to-one session held two days before <see cref="Now"/>.</summary>
    public static Session AHeldSession(Guid teacher, Guid learner, Guid? skill = null) =>
        ASession(teacher, learner, Now.AddDays(-2), Now.AddDays(-3), skill);
}
