namespace Tacit.Domain.Skills;

/// <summary>An entry of an organisation's skill catalogue. Aliases let people find it by other names.</summary>
public sealed class Skill : ITenantOwned
{
    public const int NameMaxLength = 80;
    public const int CategoryMaxLength = 60;
    public const int DescriptionMaxLength = 500;

    private readonly List<SkillAlias> _aliases = [];

    private Skill() { Name = ""; Category = ""; Description = ""; }

    public Skill(Guid organisationId, string name, string category, string? description, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        Name = Guard.Required(name, nameof(Name), "Skill name", NameMaxLength);
        Category = Guard.Required(category, nameof(Category), "Category", CategoryMaxLength);
        Description = Guard.Optional(description, nameof(Description), "Description", DescriptionMaxLength);
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Name { get; private set; }
    public string Category { get; private set; }
    public string Description { get; private set; }
    public IReadOnlyCollection<SkillAlias> Aliases => _aliases;

    public void Update(string name, string category, string? description)
    {
        var n = Guard.Required(name, nameof(Name), "Skill name", NameMaxLength);
        var c = Guard.Required(category, nameof(Category), "Category", CategoryMaxLength);
        var d = Guard.Optional(description, nameof(Description), "Description", DescriptionMaxLength);
        (Name, Category, Description) = (n, c, d);
    }

    /// <summary>Replaces the aliases; blank and duplicate names and the skill's own name are dropped.</summary>
    public void SetAliases(IEnumerable<string> aliases)
    {
        var names = aliases
            .Select(a => Guard.Optional(a, nameof(Aliases), "Alias", NameMaxLength))
            .Where(a => a.Length > 0 && !a.Equals(Name, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        _aliases.RemoveAll(a => !names.Contains(a.Name, StringComparer.OrdinalIgnoreCase));
        foreach (var name in names.Where(n => !_aliases.Any(a => a.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
            _aliases.Add(new SkillAlias(OrganisationId, Id, name));
    }

    public bool IsKnownAs(string term) =>
        Name.Equals(term, StringComparison.OrdinalIgnoreCase)
        || _aliases.Any(a => a.Name.Equals(term, StringComparison.OrdinalIgnoreCase));
}

public sealed class SkillAlias : ITenantOwned
{
    private SkillAlias() { Name = ""; }

    internal SkillAlias(Guid organisationId, Guid skillId, string name)
    {
        Id = Guid.NewGuid();
        OrganisationId = organisationId;
        SkillId = skillId;
        Name = name;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid SkillId { get; private set; }
    public string Name { get; private set; }
}
