namespace Tacit.Domain.Skills;

public enum Priority
{
    Low = 1,
    Medium = 2,
    High = 3,
}

/// <summary>"I want to learn": a person asks for a skill, says why, and may name a colleague to learn from.</summary>
public sealed class Want : IPersonSkill
{
    public const int WhyMaxLength = 1000;

    private Want() { Why = ""; }

    public Want(Guid organisationId, Guid personId, Guid skillId, Priority priority, string? why,
        Guid? preferredTeacherId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        SkillId = skillId;
        CreatedAt = createdAt;
        Why = "";
        Update(priority, why, preferredTeacherId);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid SkillId { get; private set; }
    public Priority Priority { get; private set; }
    public string Why { get; private set; }
    public Guid? PreferredTeacherId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Update(Priority priority, string? why, Guid? preferredTeacherId)
    {
        if (!Enum.IsDefined(priority)) throw new DomainException("Priority must be high, medium or low.", nameof(Priority));
        if (preferredTeacherId == PersonId) throw new DomainException("You cannot learn from yourself.", nameof(PreferredTeacherId));
        Why = Guard.Optional(why, nameof(Why), "Why", WhyMaxLength);
        Priority = priority;
        PreferredTeacherId = preferredTeacherId;
    }

    public void MoveToSkill(Guid skillId) => SkillId = skillId;

    /// <summary>The preferred teacher was erased: the want stays, the preference goes.</summary>
    public void ForgetPreferredTeacher() => PreferredTeacherId = null;
}
