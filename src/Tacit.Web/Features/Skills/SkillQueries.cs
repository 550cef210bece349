using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Domain;
using Tacit.Domain.Skills;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Skills;

public sealed record SkillOption(string Value, string Label);

public sealed record SkillSummary(Guid Id, string Name, string Category, string Description, IReadOnlyList<string> Aliases);

/// <summary>
/// Reading the catalogue, for the skill pages and the API alike: finding skills by any of their names (searching
/// "Excel" finds "Spreadsheets"), the picker's suggestions, categories and how many people share and want each.
/// </summary>
public sealed class SkillQueries(TacitDbContext db, IMemoryCache cache)
{
    public async Task<Page<SkillSummary>> SearchAsync(string? term, string? category, Paging paging, CancellationToken cancellationToken = default)
    {
        IQueryable<Skill> skills = db.Skills.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(term))
        {
            var t = term.Trim().ToLowerInvariant();
            skills = skills.Where(s => s.Name.ToLower().Contains(t) || s.Aliases.Any(a => a.Name.ToLower().Contains(t)));
        }
        if (!string.IsNullOrWhiteSpace(category)) skills = skills.Where(s => s.Category == category);
        var total = await skills.CountAsync(cancellationToken);
        var page = await skills.OrderBy(s => s.Name).Skip(paging.Skip).Take(paging.PageSize)
            .Select(s => new { s.Id, s.Name, s.Category, s.Description, Aliases = s.Aliases.OrderBy(a => a.Name).Select(a => a.Name).ToList() })
            .ToListAsync(cancellationToken);
        return new Page<SkillSummary>(page.Select(s => new SkillSummary(s.Id, s.Name, s.Category, s.Description, s.Aliases)).ToList(),
            paging.PageNumber, paging.PageSize, total);
    }

    public async Task<SkillSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.Skills.AsNoTracking().Include(s => s.Aliases).SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } skill
            ? Summary(skill) : null;

    public static SkillSummary Summary(Skill s) => new(s.Id, s.Name, s.Category, s.Description, [.. s.Aliases.Select(a => a.Name).Order()]);

    /// <summary>
    /// The skill picker's suggestions: every name, and every alias pointing at its skill. Pages that show the picker
    /// are among the most visited, so the list is kept for a minute per organisation; catalogue changes made through
    /// this instance drop it at once (<see cref="ForgetPickerOptions"/>), other instances within the minute.
    /// </summary>
    public async Task<IReadOnlyList<SkillOption>> PickerOptionsAsync()
    {
        var key = ("skill-options", db.CurrentOrganisationId);
        if (cache.TryGetValue(key, out IReadOnlyList<SkillOption>? cached) && cached is not null) return cached;
        var skills = await db.Skills.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new { s.Name, s.Category, Aliases = s.Aliases.Select(a => a.Name).ToList() }).ToListAsync();
        var options = new List<SkillOption>();
        foreach (var s in skills)
        {
            options.Add(new SkillOption(s.Name, s.Category));
            // An alias suggests the skill it belongs to: typing "Excel" offers "Spreadsheets".
            options.AddRange(s.Aliases.Order().Select(a => new SkillOption(s.Name, $"also known as {a}")));
        }
        return cache.Set(key, (IReadOnlyList<SkillOption>)options, TimeSpan.FromMinutes(1));
    }

    public static void ForgetPickerOptions(IMemoryCache cache, Guid organisationId) => cache.Remove(("skill-options", organisationId));

    /// <summary>The skill typed into a picker, as <see cref="ResolveAsync(TacitDbContext, string?, string, CancellationToken)"/> finds it.</summary>
    public async Task<(Guid Id, string Name)> ResolveAsync(string? typed, string field, CancellationToken cancellationToken = default)
    {
        var skill = await ResolveAsync(db, typed, field, cancellationToken);
        return (skill.Id, skill.Name);
    }

    /// <summary>
    /// The skill a person typed into the picker: its exact name or one of its aliases. Refused for
    /// <paramref name="field"/>: the name the caller gives the skill it asks for (SkillId for a share or want).
    /// Static, for use cases that find the skill in their own unit of work.
    /// </summary>
    public static async Task<Skill> ResolveAsync(TacitDbContext db, string? typed, string field, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(typed)) throw new DomainException("Choose a skill.", field);
        // What no skill's name can be (a control character, which PostgreSQL cannot even search for) is refused as such.
        var name = Guard.Optional(typed, field, "A skill's name", Skill.NameMaxLength);
        var lower = name.ToLowerInvariant();
        return await db.Skills.FirstOrDefaultAsync(s => s.Name.ToLower() == lower, cancellationToken)
            ?? await db.Skills.FirstOrDefaultAsync(s => s.Aliases.Any(a => a.Name.ToLower() == lower), cancellationToken)
            ?? throw new DomainException($"There is no skill called '{name}' in the catalogue; pick one from the suggestions.", field);
    }

    /// <summary>How many people share and how many want each of these skills (the catalogue's "shared by" and "wanted by").</summary>
    public async Task<Dictionary<Guid, (int SharedBy, int WantedBy)>> PeopleCountsAsync(IReadOnlyCollection<Guid> skillIds,
        CancellationToken cancellationToken = default)
    {
        var shared = await db.Shares.Where(s => skillIds.Contains(s.SkillId)).GroupBy(s => s.SkillId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var wanted = await db.Wants.Where(w => skillIds.Contains(w.SkillId)).GroupBy(w => w.SkillId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return skillIds.ToDictionary(id => id, id => (shared.GetValueOrDefault(id), wanted.GetValueOrDefault(id)));
    }

    public Task<List<string>> CategoriesAsync(CancellationToken cancellationToken = default) =>
        db.Skills.AsNoTracking().Select(s => s.Category).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
}
