using Tacit.Domain.Skills;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Skills;

/// <summary>The skills every new organisation starts with (shipped as starter-skills.txt; admins edit them afterwards).</summary>
public sealed class StarterCatalogue(TacitDbContext db, TimeProvider clock)
{
    public sealed record Entry(string Category, string Name, IReadOnlyList<string> Aliases, string Description);

    private static readonly Lazy<IReadOnlyList<Entry>> Entries = new(Read);

    public static IReadOnlyList<Entry> All => Entries.Value;

    /// <summary>Adds the catalogue to the organisation's change set; the caller saves in its own transaction.</summary>
    public IReadOnlyList<Skill> AddTo(Guid organisationId)
    {
        var now = clock.GetUtcNow();
        var skills = new List<Skill>();
        foreach (var entry in All)
        {
            var skill = new Skill(organisationId, entry.Name, entry.Category, entry.Description, now);
            skill.SetAliases(entry.Aliases);
            skills.Add(skill);
        }
        db.Skills.AddRange(skills);
        return skills;
    }

    private static List<Entry> Read()
    {
        using var stream = typeof(StarterCatalogue).Assembly.GetManifestResourceStream("Tacit.Web.Features.Skills.starter-skills.txt")
            ?? throw new InvalidOperationException("The starter skill catalogue is missing from the build.");
        using var reader = new StreamReader(stream);
        var entries = new List<Entry>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            var aliases = parts[2].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            entries.Add(new Entry(parts[0], parts[1], aliases, parts[3]));
        }
        return entries;
    }
}
