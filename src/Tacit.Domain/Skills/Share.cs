namespace Tacit.Domain.Skills;

/// <summary>"I can share": a person offers a skill, at a level, for a number of sessions each cycle.</summary>
public sealed class Share : IPersonSkill
{
    public const int MaxSessionsPerCycle = 20;
    public const int MaxGroupSizeLimit = 30;

    private Share() { }

    public Share(Guid organisationId, Guid personId, Guid skillId, int level, int sessionsPerCycle,
        bool acceptsGroups, int maxGroupSize, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        SkillId = skillId;
        CreatedAt = createdAt;
        Update(level, sessionsPerCycle, acceptsGroups, maxGroupSize);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid SkillId { get; private set; }
    /// <summary>1 (can explain the basics) to 5 (expert).</summary>
    public int Level { get; private set; }
    public int SessionsPerCycle { get; private set; }
    public bool AcceptsGroups { get; private set; }
    /// <summary>Largest group of learners in one session; 1 when the person takes no groups.</summary>
    public int MaxGroupSize { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Update(int level, int sessionsPerCycle, bool acceptsGroups, int maxGroupSize)
    {
        Level = Guard.InRange(level, 1, 5, nameof(Level), "Level");
        SessionsPerCycle = Guard.InRange(sessionsPerCycle, 1, MaxSessionsPerCycle, nameof(SessionsPerCycle), "Sessions per cycle");
        AcceptsGroups = acceptsGroups;
        MaxGroupSize = acceptsGroups
            ? Guard.InRange(maxGroupSize, 2, MaxGroupSizeLimit, nameof(MaxGroupSize), "Largest group")
            : 1;
    }

    /// <summary>Used when two catalogue entries are merged: the share follows the surviving skill.</summary>
    public void MoveToSkill(Guid skillId) => SkillId = skillId;
}
