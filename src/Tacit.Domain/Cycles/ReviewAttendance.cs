namespace Tacit.Domain.Cycles;

/// <summary>
/// Someone attended a cycle's review meeting, as the facilitator recorded it once the review had started. It is
/// evidence of taking part (one xAPI "attended" statement per person and review) and is listed on the review.
/// </summary>
public sealed class ReviewAttendance : ITenantOwned
{
    private ReviewAttendance() { }

    public ReviewAttendance(Cycle cycle, Guid personId, DateTimeOffset now)
    {
        if (cycle.State is not (CycleState.Review or CycleState.Closed))
            throw new ConflictException("Who attended the review is recorded once the review has started.");
        Id = Guid.CreateVersion7(now);
        OrganisationId = cycle.OrganisationId;
        CycleId = cycle.Id;
        PersonId = personId;
        RecordedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid PersonId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
