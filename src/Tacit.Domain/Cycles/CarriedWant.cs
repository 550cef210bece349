namespace Tacit.Domain.Cycles;

/// <summary>
/// A want a cycle left unmet, carried into the next cycle: its learner sees it there, and the facilitator sees how
/// many wants the new cycle starts with. The want itself stays the person's own (they may change or drop it).
/// </summary>
public sealed class CarriedWant : ITenantOwned
{
    private CarriedWant() { }

    public CarriedWant(Cycle next, Guid learnerId, Guid skillId, DateTimeOffset now)
    {
        if (next.PreviousCycleId is not { } from) throw new InvalidOperationException("Only a cycle that follows another carries wants.");
        Id = Guid.CreateVersion7(now);
        OrganisationId = next.OrganisationId;
        CycleId = next.Id;
        FromCycleId = from;
        LearnerId = learnerId;
        SkillId = skillId;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid FromCycleId { get; private set; }
    public Guid LearnerId { get; private set; }
    public Guid SkillId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
