namespace Tacit.Domain.Skills;

/// <summary>What "I can share" and "I want to learn" have in common: one person and one skill.</summary>
public interface IPersonSkill : ITenantOwned
{
    Guid Id { get; }
    Guid PersonId { get; }
    Guid SkillId { get; }
}
