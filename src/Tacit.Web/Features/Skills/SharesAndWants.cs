using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Skills;

public sealed record ShareInput(Guid PersonId, Guid SkillId, int Level, int SessionsPerCycle, bool AcceptsGroups, int MaxGroupSize);

public sealed record WantInput(Guid PersonId, Guid SkillId, Priority Priority, string? Why, Guid? PreferredTeacherId);

/// <summary>A share as its person's lists show it: with the skill's name.</summary>
public sealed record ShareEntry(Guid Id, string Skill, int Level, int SessionsPerCycle, bool AcceptsGroups, int MaxGroupSize);

/// <summary>A want as its person's lists show it: with the skill's name and the preferred teacher's, if any.</summary>
public sealed record WantEntry(Guid Id, string Skill, Priority Priority, string Why, string? PreferredTeacher);

/// <summary>What a person can share (by skill name) and wants to learn (highest priority first).</summary>
public sealed record PersonSkills(IReadOnlyList<ShareEntry> Shares, IReadOnlyList<WantEntry> Wants);

/// <summary>"I can share" and "I want to learn" entries: listing, adding, changing and removing them.</summary>
public sealed class SharesAndWants(TacitDbContext db, TimeProvider clock)
{
    public async Task<PersonSkills> OfAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var shares = await db.Shares.AsNoTracking().Where(s => s.PersonId == personId)
            .Join(db.Skills, s => s.SkillId, k => k.Id, (s, k) => new ShareEntry(s.Id, k.Name, s.Level, s.SessionsPerCycle, s.AcceptsGroups, s.MaxGroupSize))
            .ToListAsync(cancellationToken);
        var wants = await db.Wants.AsNoTracking().Where(w => w.PersonId == personId)
            .Join(db.Skills, w => w.SkillId, k => k.Id, (w, k) => new WantEntry(w.Id, k.Name, w.Priority, w.Why,
                db.People.Where(p => p.Id == w.PreferredTeacherId).Select(p => p.DisplayName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new PersonSkills([.. shares.OrderBy(s => s.Skill)], [.. wants.OrderByDescending(w => w.Priority).ThenBy(w => w.Skill)]);
    }

    public async Task<Share> AddShareAsync(Actor actor, ShareInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureMayActFor("skills", input.PersonId);
        await EnsurePersonAsync(input.PersonId, nameof(ShareInput.PersonId), cancellationToken);
        await EnsureSkillAsync(input.SkillId, cancellationToken);
        if (await db.Shares.AnyAsync(s => s.PersonId == input.PersonId && s.SkillId == input.SkillId, cancellationToken))
            throw new ConflictException("This skill is already in the list of what they can share; change that entry instead.", nameof(ShareInput.SkillId));
        var share = new Share(db.CurrentOrganisationId, input.PersonId, input.SkillId, input.Level, input.SessionsPerCycle,
            input.AcceptsGroups, input.MaxGroupSize, clock.GetUtcNow());
        db.Shares.Add(share);
        await db.SaveChangesAsync(cancellationToken);
        return share;
    }

    public async Task<Share> UpdateShareAsync(Actor actor, Guid id, int level, int sessionsPerCycle, bool acceptsGroups, int maxGroupSize, CancellationToken cancellationToken = default)
    {
        var share = await db.Shares.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException("No such share.");
        actor.EnsureMayActFor("skills", share.PersonId);
        share.Update(level, sessionsPerCycle, acceptsGroups, maxGroupSize);
        await db.SaveChangesAsync(cancellationToken);
        return share;
    }

    public async Task RemoveShareAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var share = await db.Shares.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException("No such share.");
        actor.EnsureMayActFor("skills", share.PersonId);
        db.Shares.Remove(share);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Want> AddWantAsync(Actor actor, WantInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureMayActFor("skills", input.PersonId);
        await EnsurePersonAsync(input.PersonId, nameof(WantInput.PersonId), cancellationToken);
        await EnsureSkillAsync(input.SkillId, cancellationToken);
        if (input.PreferredTeacherId is { } teacher) await EnsurePersonAsync(teacher, nameof(WantInput.PreferredTeacherId), cancellationToken);
        if (await db.Wants.AnyAsync(w => w.PersonId == input.PersonId && w.SkillId == input.SkillId, cancellationToken))
            throw new ConflictException("This skill is already in the list of what they want to learn; change that entry instead.", nameof(WantInput.SkillId));
        var want = new Want(db.CurrentOrganisationId, input.PersonId, input.SkillId, input.Priority, input.Why, input.PreferredTeacherId, clock.GetUtcNow());
        db.Wants.Add(want);
        await db.SaveChangesAsync(cancellationToken);
        return want;
    }

    public async Task<Want> UpdateWantAsync(Actor actor, Guid id, Priority priority, string? why, Guid? preferredTeacherId, CancellationToken cancellationToken = default)
    {
        var want = await db.Wants.SingleOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw new NotFoundException("No such want.");
        actor.EnsureMayActFor("skills", want.PersonId);
        if (preferredTeacherId is { } teacher) await EnsurePersonAsync(teacher, nameof(WantInput.PreferredTeacherId), cancellationToken);
        want.Update(priority, why, preferredTeacherId);
        await db.SaveChangesAsync(cancellationToken);
        return want;
    }

    /// <summary>
    /// What the skill forms (My skills, the intake) do: the skill typed by name or alias, added, or updated when the
    /// person already has it. Returns the skill's name and whether it was new.
    /// </summary>
    public async Task<(string Skill, bool Added)> SaveShareAsync(Actor actor, Guid personId, string? skillName, int level, int sessionsPerCycle,
        bool acceptsGroups, int maxGroupSize, CancellationToken cancellationToken = default)
    {
        var skill = await SkillQueries.ResolveAsync(db, skillName, nameof(ShareInput.SkillId), cancellationToken);
        var existing = await db.Shares.Where(x => x.PersonId == personId && x.SkillId == skill.Id).Select(x => (Guid?)x.Id).SingleOrDefaultAsync(cancellationToken);
        if (existing is { } id) await UpdateShareAsync(actor, id, level, sessionsPerCycle, acceptsGroups, maxGroupSize, cancellationToken);
        else await AddShareAsync(actor, new ShareInput(personId, skill.Id, level, sessionsPerCycle, acceptsGroups, maxGroupSize), cancellationToken);
        return (skill.Name, existing is null);
    }

    /// <summary>As <see cref="SaveShareAsync"/>, for a want; the preferred teacher is given by email.</summary>
    public async Task<(string Skill, bool Added)> SaveWantAsync(Actor actor, Guid personId, string? skillName, Priority priority, string? why,
        string? preferredTeacherEmail, CancellationToken cancellationToken = default)
    {
        var skill = await SkillQueries.ResolveAsync(db, skillName, nameof(WantInput.SkillId), cancellationToken);
        Guid? teacher = null;
        if (!string.IsNullOrWhiteSpace(preferredTeacherEmail))
        {
            var email = Guard.Email(preferredTeacherEmail, nameof(WantInput.PreferredTeacherId));
            teacher = await db.People.Where(p => p.Email == email && p.IsActive).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new DomainException($"Nobody in your organisation has the email {email}.", nameof(WantInput.PreferredTeacherId));
        }
        var existing = await db.Wants.Where(x => x.PersonId == personId && x.SkillId == skill.Id).Select(x => (Guid?)x.Id).SingleOrDefaultAsync(cancellationToken);
        if (existing is { } id) await UpdateWantAsync(actor, id, priority, why, teacher, cancellationToken);
        else await AddWantAsync(actor, new WantInput(personId, skill.Id, priority, why, teacher), cancellationToken);
        return (skill.Name, existing is null);
    }

    public async Task RemoveWantAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var want = await db.Wants.SingleOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw new NotFoundException("No such want.");
        actor.EnsureMayActFor("skills", want.PersonId);
        db.Wants.Remove(want);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task EnsurePersonAsync(Guid id, string field, CancellationToken cancellationToken)
    {
        if (!await db.People.AnyAsync(p => p.Id == id, cancellationToken))
            throw new DomainException("There is no such person in this organisation.", field);
    }

    private async Task EnsureSkillAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Skills.AnyAsync(s => s.Id == id, cancellationToken))
            throw new DomainException("There is no such skill in this organisation's catalogue.", nameof(ShareInput.SkillId));
    }
}
