using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Skills;

public sealed record SuggestionInput(string Name, string? Category, string? Description);

/// <summary>What an admin adds to the catalogue; any part left out is taken from the suggestion as written.</summary>
public sealed record ApprovalInput(string? Name, string? Category, string? Description);

public sealed record SuggestionDto(Guid Id, string Name, string Category, string Description, Guid SuggestedBy, string SuggestedByName,
    DateTimeOffset CreatedAt, SuggestionStatus Status, Guid? SkillId, string Reason);

/// <summary>
/// Members suggest skills the catalogue lacks; admins approve (maybe renamed), merge into an existing skill as an alias,
/// or reject. The person who suggested it hears of the decision in the app. Pending suggestions are not skills: they
/// are in no picker and no match until approved.
/// </summary>
public sealed class SkillSuggestions(TacitDbContext db, Catalogue catalogue, Notifier notifier, TimeProvider clock)
{
    public async Task<SkillSuggestion> SuggestAsync(Guid personId, SuggestionInput input, CancellationToken cancellationToken = default)
    {
        var suggestion = new SkillSuggestion(db.CurrentOrganisationId, personId, input.Name, input.Category, input.Description, clock.GetUtcNow());
        var lower = suggestion.Name.ToLowerInvariant();
        if (await db.Skills.Where(s => s.Name.ToLower() == lower || s.Aliases.Any(a => a.Name.ToLower() == lower))
                .Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) is { } existing)
            throw new ConflictException(existing.Equals(suggestion.Name, StringComparison.OrdinalIgnoreCase)
                ? $"The catalogue already has '{existing}': pick it from the suggestions."
                : $"The catalogue already has '{suggestion.Name}' as another name of '{existing}': pick that from the suggestions.", nameof(SuggestionInput.Name));
        if (await db.SkillSuggestions.AnyAsync(s => s.Status == SuggestionStatus.Pending && s.Name.ToLower() == lower, cancellationToken))
            throw new ConflictException($"'{suggestion.Name}' is already suggested and waiting for an admin.", nameof(SuggestionInput.Name));
        db.SkillSuggestions.Add(suggestion);
        await db.SaveChangesAsync(cancellationToken);
        return suggestion;
    }

    public Task<List<SuggestionDto>> PendingAsync(CancellationToken cancellationToken = default) =>
        ListAsync(db.SkillSuggestions.Where(s => s.Status == SuggestionStatus.Pending), cancellationToken);

    public Task<List<SuggestionDto>> OfAsync(Guid personId, CancellationToken cancellationToken = default) =>
        ListAsync(db.SkillSuggestions.Where(s => s.SuggestedBy == personId), cancellationToken);

    public async Task<SuggestionDto> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await ListAsync(db.SkillSuggestions.Where(s => s.Id == id), cancellationToken)).SingleOrDefault()
        ?? throw new NotFoundException("No such suggestion.");

    /// <summary>Adds the suggestion to the catalogue as a new skill, under the admin's name, category and description where given.</summary>
    public async Task<Skill> ApproveAsync(Guid id, ApprovalInput input, CancellationToken cancellationToken = default)
    {
        var suggestion = await LoadPendingAsync(id, cancellationToken);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        var skill = await catalogue.CreateAsync(new SkillInput(Or(input.Name, suggestion.Name), Or(input.Category, suggestion.Category),
            Or(input.Description, suggestion.Description), []), cancellationToken);
        suggestion.Approve(skill.Id, clock.GetUtcNow());
        notifier.Notify(suggestion.SuggestedBy, skill.Name.Equals(suggestion.Name, StringComparison.Ordinal)
            ? $"Your suggestion '{suggestion.Name}' is now in the skill catalogue."
            : $"Your suggestion '{suggestion.Name}' is now in the skill catalogue as '{skill.Name}'.", Link(skill.Name), email: false);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return skill;
    }

    /// <summary>The suggestion names a skill the catalogue has under another name: its name becomes an alias of that skill.</summary>
    public async Task<Skill> MergeAsync(Guid id, Guid skillId, CancellationToken cancellationToken = default)
    {
        var suggestion = await LoadPendingAsync(id, cancellationToken);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        var skill = await catalogue.AddAliasAsync(skillId, suggestion.Name, cancellationToken);
        suggestion.MergeInto(skill.Id, clock.GetUtcNow());
        notifier.Notify(suggestion.SuggestedBy, $"Your suggestion '{suggestion.Name}' is in the skill catalogue as another name of '{skill.Name}'.",
            Link(skill.Name), email: false);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return skill;
    }

    /// <summary><see cref="MergeAsync(Guid, Guid, CancellationToken)"/> into the skill typed in the picker (a name or alias).</summary>
    public async Task<Skill> MergeAsync(Guid id, string? skill, CancellationToken cancellationToken = default)
    {
        await LoadPendingAsync(id, cancellationToken);
        return await MergeAsync(id, (await SkillQueries.ResolveAsync(db, skill, "SkillId", cancellationToken)).Id, cancellationToken);
    }

    public async Task RejectAsync(Guid id, string? reason, CancellationToken cancellationToken = default)
    {
        var suggestion = await LoadPendingAsync(id, cancellationToken);
        suggestion.Reject(reason, clock.GetUtcNow());
        notifier.Notify(suggestion.SuggestedBy, suggestion.Reason.Length == 0
            ? $"Your suggestion '{suggestion.Name}' was not added to the skill catalogue."
            : $"Your suggestion '{suggestion.Name}' was not added to the skill catalogue: {suggestion.Reason}", "/skills", email: false);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<SkillSuggestion> LoadPendingAsync(Guid id, CancellationToken cancellationToken)
    {
        var suggestion = await db.SkillSuggestions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("No such suggestion.");
        suggestion.EnsurePending();
        return suggestion;
    }

    private async Task<List<SuggestionDto>> ListAsync(IQueryable<SkillSuggestion> suggestions, CancellationToken cancellationToken) =>
        (await suggestions.AsNoTracking().OrderBy(s => s.Id)
            .Join(db.People, s => s.SuggestedBy, p => p.Id, (s, p) => new { s, p.DisplayName }).ToListAsync(cancellationToken))
        .Select(x => new SuggestionDto(x.s.Id, x.s.Name, x.s.Category, x.s.Description, x.s.SuggestedBy, x.DisplayName, x.s.CreatedAt,
            x.s.Status, x.s.SkillId, x.s.Reason)).ToList();

    private static string Or(string? chosen, string suggested) => string.IsNullOrWhiteSpace(chosen) ? suggested : chosen;

    private static string Link(string skill) => $"/skills?q={Uri.EscapeDataString(skill)}";
}
