namespace Tacit.Domain.Cycles;

/// <summary>
/// A manager of a participating department, asked to support a cycle. Managers speak openly: what they answer is
/// shown to facilitators with their name (unlike participants' intake answers, which are confidential).
/// </summary>
public sealed class ManagerEnrolment : ITenantOwned
{
    public const int BarriersMaxLength = 2000;

    private ManagerEnrolment() { ExpectedBarriers = ""; }

    public ManagerEnrolment(Guid organisationId, Guid cycleId, Guid managerId, DateTimeOffset invitedAt)
    {
        Id = Guid.CreateVersion7(invitedAt);
        OrganisationId = organisationId;
        CycleId = cycleId;
        ManagerId = managerId;
        InvitedAt = invitedAt;
        ExpectedBarriers = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid ManagerId { get; private set; }
    public DateTimeOffset InvitedAt { get; private set; }
    public DateTimeOffset? RespondedAt { get; private set; }
    /// <summary>Null until the manager answers; then whether they support their people taking part.</summary>
    public bool? Supports { get; private set; }
    public string ExpectedBarriers { get; private set; }

    /// <summary>The manager answers (or changes the answer) while the cycle has not been matched yet.</summary>
    public void Respond(Cycle cycle, bool supports, string? expectedBarriers, DateTimeOffset now)
    {
        if (cycle.Id != CycleId) throw new InvalidOperationException("The enrolment belongs to another cycle.");
        if (cycle.State is CycleState.Draft or > CycleState.Mapped)
            throw new ConflictException(cycle.State == CycleState.Draft
                ? "Enrolment has not started yet."
                : "The cycle has been matched; support can no longer be changed here.");
        ExpectedBarriers = Guard.Optional(expectedBarriers, nameof(ExpectedBarriers), "Expected barriers", BarriersMaxLength);
        Supports = supports;
        RespondedAt = now;
    }

    /// <summary>Erasure of the manager: their words go; whether they supported the cycle still counts.</summary>
    public void EraseNote() => ExpectedBarriers = "";
}
