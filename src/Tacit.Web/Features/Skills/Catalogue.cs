using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Skills;

public sealed record SkillInput(string Name, string Category, string? Description, IReadOnlyList<string>? Aliases);

public sealed record MergePlan(Guid SourceId, string Source, Guid TargetId, string Target, int Shares, int Wants);

/// <summary>Admins keep the catalogue: add, change, remove unused skills, and merge duplicates keeping every link.</summary>
public sealed class Catalogue(TacitDbContext db, TimeProvider clock, Microsoft.Extensions.Caching.Memory.IMemoryCache cache)
{
    public async Task<Skill> CreateAsync(SkillInput input, CancellationToken cancellationToken = default)
    {
        var skill = new Skill(db.CurrentOrganisationId, input.Name, input.Category, input.Description, clock.GetUtcNow());
        skill.SetAliases(input.Aliases ?? []);
        await EnsureNamesFreeAsync(skill, cancellationToken);
        db.Skills.Add(skill);
        await db.SaveChangesAsync(cancellationToken);
        SkillQueries.ForgetPickerOptions(cache, db.CurrentOrganisationId);
        return skill;
    }

    public async Task<Skill> UpdateAsync(Guid id, SkillInput input, CancellationToken cancellationToken = default)
    {
        var skill = await FindAsync(id, cancellationToken);
        skill.Update(input.Name, input.Category, input.Description);
        if (input.Aliases is not null) skill.SetAliases(input.Aliases);
        await EnsureNamesFreeAsync(skill, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        SkillQueries.ForgetPickerOptions(cache, db.CurrentOrganisationId);
        return skill;
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var skill = await FindAsync(id, cancellationToken);
        if (await db.Shares.AnyAsync(s => s.SkillId == id, cancellationToken) || await db.Wants.AnyAsync(w => w.SkillId == id, cancellationToken))
            throw new ConflictException($"People share or want '{skill.Name}'; merge it into another skill instead of deleting it.");
        db.Skills.Remove(skill);
        await db.SaveChangesAsync(cancellationToken);
        SkillQueries.ForgetPickerOptions(cache, db.CurrentOrganisationId);
    }

    /// <summary>
    /// Merges <paramref name="sourceId"/> into <paramref name="targetId"/>: shares and wants move over (where a
    /// person has both, the stronger share and the higher-priority want survive), the source's names become aliases.
    /// </summary>
    public async Task<Skill> MergeAsync(Guid sourceId, Guid targetId, CancellationToken cancellationToken = default)
    {
        if (sourceId == targetId) throw new DomainException("Choose two different skills to merge.", "TargetId");
        var source = await FindAsync(sourceId, cancellationToken);
        var target = await FindAsync(targetId, cancellationToken);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);

        var targetShares = await db.Shares.Where(s => s.SkillId == targetId).ToDictionaryAsync(s => s.PersonId, cancellationToken);
        foreach (var share in await db.Shares.Where(s => s.SkillId == sourceId).ToListAsync(cancellationToken))
        {
            if (targetShares.TryGetValue(share.PersonId, out var kept))
            {
                kept.Update(Math.Max(kept.Level, share.Level), Math.Max(kept.SessionsPerCycle, share.SessionsPerCycle),
                    kept.AcceptsGroups || share.AcceptsGroups, Math.Max(kept.MaxGroupSize, share.MaxGroupSize));
                db.Shares.Remove(share);
            }
            else share.MoveToSkill(targetId);
        }
        var targetWants = await db.Wants.Where(w => w.SkillId == targetId).ToDictionaryAsync(w => w.PersonId, cancellationToken);
        foreach (var want in await db.Wants.Where(w => w.SkillId == sourceId).ToListAsync(cancellationToken))
        {
            if (targetWants.TryGetValue(want.PersonId, out var kept))
            {
                var why = string.Join(" ", new[] { kept.Why, want.Why }.Where(w => w.Length > 0).Distinct());
                kept.Update((Priority)Math.Max((int)kept.Priority, (int)want.Priority), why.Length > Want.WhyMaxLength ? kept.Why : why,
                    kept.PreferredTeacherId ?? want.PreferredTeacherId);
                db.Wants.Remove(want);
            }
            else want.MoveToSkill(targetId);
        }
        target.SetAliases(target.Aliases.Select(a => a.Name).Append(source.Name).Concat(source.Aliases.Select(a => a.Name)).ToList());
        // Flush the moves first: the source row can only go once nothing points at it.
        await db.SaveChangesAsync(cancellationToken);
        SkillQueries.ForgetPickerOptions(cache, db.CurrentOrganisationId);
        db.Skills.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        SkillQueries.ForgetPickerOptions(cache, db.CurrentOrganisationId);
        await transaction.CommitAsync(cancellationToken);
        return target;
    }

    private async Task<Skill> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Skills.Include(s => s.Aliases).SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
        ?? throw new NotFoundException("No such skill.");

    /// <summary>Adds one more name to a skill (a suggestion merged into it), refused when another skill goes by it.</summary>
    public async Task<Skill> AddAliasAsync(Guid id, string alias, CancellationToken cancellationToken = default)
    {
        var skill = await FindAsync(id, cancellationToken);
        skill.SetAliases(skill.Aliases.Select(a => a.Name).Append(alias).ToList());
        await EnsureNamesFreeAsync(skill, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        SkillQueries.ForgetPickerOptions(cache, db.CurrentOrganisationId);
        return skill;
    }

    /// <summary>What merging would move, for the question asked before doing it.</summary>
    public async Task<MergePlan> PlanMergeAsync(Guid sourceId, Guid targetId, CancellationToken cancellationToken = default)
    {
        if (sourceId == targetId) throw new DomainException("Choose two different skills to merge.", "TargetId");
        var source = await FindAsync(sourceId, cancellationToken);
        var target = await FindAsync(targetId, cancellationToken);
        return new MergePlan(source.Id, source.Name, target.Id, target.Name,
            await db.Shares.CountAsync(s => s.SkillId == sourceId, cancellationToken),
            await db.Wants.CountAsync(w => w.SkillId == sourceId, cancellationToken));
    }

    /// <summary><see cref="PlanMergeAsync(Guid, Guid, CancellationToken)"/> for the skills typed in the pickers (names or aliases).</summary>
    public async Task<MergePlan> PlanMergeAsync(string? source, string? target, CancellationToken cancellationToken = default)
    {
        var from = await SkillQueries.ResolveAsync(db, source, "SourceId", cancellationToken);
        var into = await SkillQueries.ResolveAsync(db, target, "TargetId", cancellationToken);
        return await PlanMergeAsync(from.Id, into.Id, cancellationToken);
    }

    /// <summary>Merges the skills typed in the pickers; returns what was moved.</summary>
    public async Task<MergePlan> MergeAsync(string? source, string? target, CancellationToken cancellationToken = default)
    {
        var plan = await PlanMergeAsync(source, target, cancellationToken);
        await MergeAsync(plan.SourceId, plan.TargetId, cancellationToken);
        return plan;
    }

    /// <summary>
    /// A name or alias belongs to one skill only: "Excel" cannot find two skills. Compared without case, against every
    /// other skill's name and aliases; the message names the skill that already has it.
    /// </summary>
    private async Task EnsureNamesFreeAsync(Skill skill, CancellationToken cancellationToken)
    {
        var names = skill.Aliases.Select(a => a.Name.ToLowerInvariant()).Append(skill.Name.ToLowerInvariant()).ToList();
        var takenByName = await db.Skills.AsNoTracking().Where(s => s.Id != skill.Id && names.Contains(s.Name.ToLower()))
            .Select(s => s.Name).ToListAsync(cancellationToken);
        var takenByAlias = await db.SkillAliases.AsNoTracking().Where(a => a.SkillId != skill.Id && names.Contains(a.Name.ToLower()))
            .Join(db.Skills, a => a.SkillId, s => s.Id, (a, s) => new { Alias = a.Name, Skill = s.Name }).ToListAsync(cancellationToken);
        string? SkillNamed(string name) => takenByName.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        string? SkillAlsoKnownAs(string name) => takenByAlias.FirstOrDefault(a => a.Alias.Equals(name, StringComparison.OrdinalIgnoreCase))?.Skill;

        if (SkillNamed(skill.Name) is not null)
            throw new ConflictException($"The catalogue already has a skill called '{skill.Name}'.", nameof(Skill.Name));
        if (SkillAlsoKnownAs(skill.Name) is { } owner)
            throw new ConflictException($"'{skill.Name}' is already another name of the skill '{owner}'; a name belongs to one skill only.", nameof(Skill.Name));
        foreach (var alias in skill.Aliases.Select(a => a.Name))
        {
            if (SkillNamed(alias) is { } other)
                throw new ConflictException($"'{alias}' is the name of the skill '{other}'; an alias belongs to one skill only. Merge the two skills instead.", nameof(Skill.Aliases));
            if (SkillAlsoKnownAs(alias) is { } holder)
                throw new ConflictException($"'{alias}' is already an alias of the skill '{holder}'; an alias belongs to one skill only.", nameof(Skill.Aliases));
        }
    }
}
