using System.Text.RegularExpressions;

namespace Tacit.Domain.Organisations;

public sealed partial class Organisation
{
    public const int NameMaxLength = 120;
    public const int SlugMaxLength = 60;

    private Organisation() { Name = ""; Slug = ""; }

    public Organisation(string name, string slug, DateTimeOffset createdAt, bool isDemo = false)
    {
        Id = Guid.CreateVersion7(createdAt);
        Name = Guard.Required(name, nameof(Name), "Organisation name", NameMaxLength);
        Slug = ValidSlug(slug);
        CreatedAt = createdAt;
        IsDemo = isDemo;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    /// <summary>The organisation's short name in addresses; lower-case letters, digits and hyphens.</summary>
    public string Slug { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public bool IsDemo { get; private set; }
    /// <summary>Sessions a teacher gives per cycle at most, for those who do not say in the intake; null = no cap.</summary>
    public int? DefaultMaxTeacherSessions { get; private set; }

    public void SetDefaultMaxTeacherSessions(int? sessions) =>
        DefaultMaxTeacherSessions = Cycles.IntakeResponse.CheckedTeacherSessions(sessions, nameof(DefaultMaxTeacherSessions));

    public void Rename(string name) => Name = Guard.Required(name, nameof(Name), "Organisation name", NameMaxLength);

    public static string ValidSlug(string? slug)
    {
        var value = Guard.Required(slug, nameof(Slug), "URL name", SlugMaxLength).ToLowerInvariant();
        if (!SlugPattern().IsMatch(value))
            throw new DomainException("URL name may contain only lower-case letters, digits and single hyphens, and must start and end with a letter or digit.", nameof(Slug));
        return value;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
