using Tacit.Domain.Cycles;

namespace Tacit.Domain.Offers;

public enum OfferStatus
{
    /// <summary>Published from a proposal; the teacher has not yet offered times or declined.</summary>
    Pending,
}

/// <summary>
/// What publishing a proposal creates: the teacher is asked to make an offer to the learners. The offer comes from
/// the person asked to share; choosing times, declining and accepting are the next part of the cycle.
/// </summary>
public sealed class Offer : ITenantOwned
{
    private readonly List<Guid> _learnerIds = [];

    private Offer() { }

    public Offer(Proposal proposal, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        OrganisationId = proposal.OrganisationId;
        CycleId = proposal.CycleId;
        ProposalId = proposal.Id;
        TeacherId = proposal.TeacherId;
        SkillId = proposal.SkillId;
        Kind = proposal.Kind;
        _learnerIds.AddRange(proposal.LearnerIds);
        Status = OfferStatus.Pending;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid CycleId { get; private set; }
    public Guid ProposalId { get; private set; }
    public Guid TeacherId { get; private set; }
    public Guid SkillId { get; private set; }
    public SessionKind Kind { get; private set; }
    public IReadOnlyList<Guid> LearnerIds => _learnerIds;
    public OfferStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
