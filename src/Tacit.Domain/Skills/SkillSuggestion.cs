namespace Tacit.Domain.Skills;

public enum SuggestionStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    Merged = 3,
}

/// <summary>
/// A member's proposal for a skill the catalogue lacks. It stays out of the catalogue (and out of matching) while
/// pending; an admin approves it (as written or renamed: a new skill), merges it into an existing skill (its name
/// becomes an alias there) or rejects it. Each of these happens once.
/// </summary>
public sealed class SkillSuggestion : ITenantOwned
{
    public const int ReasonMaxLength = 500;

    private SkillSuggestion() { Name = ""; Category = ""; Description = ""; Reason = ""; }

    public SkillSuggestion(Guid organisationId, Guid suggestedBy, string name, string? category, string? description, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        SuggestedBy = suggestedBy;
        Name = Guard.Required(name, nameof(Name), "Skill name", Skill.NameMaxLength);
        Category = Guard.Optional(category, nameof(Category), "Category", Skill.CategoryMaxLength);
        Description = Guard.Optional(description, nameof(Description), "Description", Skill.DescriptionMaxLength);
        Reason = "";
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid SuggestedBy { get; private set; }
    public string Name { get; private set; }
    public string Category { get; private set; }
    public string Description { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public SuggestionStatus Status { get; private set; }
    /// <summary>The skill it became (approved) or joined (merged).</summary>
    public Guid? SkillId { get; private set; }
    /// <summary>Why it was rejected, for the person who suggested it; may be empty.</summary>
    public string Reason { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public void Approve(Guid skillId, DateTimeOffset now) => Decide(SuggestionStatus.Approved, skillId, "", now);

    public void MergeInto(Guid skillId, DateTimeOffset now) => Decide(SuggestionStatus.Merged, skillId, "", now);

    public void Reject(string? reason, DateTimeOffset now) =>
        Decide(SuggestionStatus.Rejected, null, Guard.Optional(reason, nameof(Reason), "Reason", ReasonMaxLength), now);

    /// <summary>Refuses a second decision, before the caller does any work towards it.</summary>
    public void EnsurePending()
    {
        if (Status != SuggestionStatus.Pending)
            throw new ConflictException($"The suggestion '{Name}' was already {Status.ToString().ToLowerInvariant()}.");
    }

    private void Decide(SuggestionStatus status, Guid? skillId, string reason, DateTimeOffset now)
    {
        EnsurePending();
        (Status, SkillId, Reason, DecidedAt) = (status, skillId, reason, now);
    }
}
