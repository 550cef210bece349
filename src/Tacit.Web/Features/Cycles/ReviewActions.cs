using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Cycles;

public enum WaitingFor
{
    /// <summary>A teacher has not offered times yet.</summary>
    Times,
    /// <summary>A learner has not answered the times offered.</summary>
    Answer,
    /// <summary>Someone in a session that has ended has not said how it went.</summary>
    Feedback,
}

/// <summary>One thing one person still has to do in a cycle, and whether they can sign in to do it.</summary>
public sealed record PendingAction(Guid PersonId, string Name, bool CanSignIn, WaitingFor WaitingFor, string Skill, DateTimeOffset? SessionStartsAt, string Link);

/// <summary>The actions still waiting, counted, with at most <see cref="ReviewActions.Listed"/> of them named.</summary>
public sealed record PendingActionsDto(int Times, int Answers, int Feedback, int PeopleWhoCannotSignIn, IReadOnlyList<PendingAction> Actions);

/// <summary>
/// What still needs a person in a published cycle — offers without times, offers without an answer, sessions without
/// feedback — so the review can chase them with one reminder each instead of only counting them. Someone who cannot
/// sign in yet is flagged: their reminder mail carries an invitation of their own (see <see cref="NotificationMailer"/>).
/// </summary>
public sealed class ReviewActions(TacitDbContext db, Notifier notifier, CompanySignIn.CompanySignInLookup companySignIn, Audit.AuditLog audit, TimeProvider clock)
{
    public const int Listed = 200;

    public async Task<PendingActionsDto> ListAsync(Guid cycleId, CancellationToken ct = default)
    {
        var (actions, _) = await PendingAsync(cycleId, ct);
        return new PendingActionsDto(actions.Count(a => a.WaitingFor == WaitingFor.Times), actions.Count(a => a.WaitingFor == WaitingFor.Answer),
            actions.Count(a => a.WaitingFor == WaitingFor.Feedback), actions.Where(a => !a.CanSignIn).Select(a => a.PersonId).Distinct().Count(),
            [.. actions.Take(Listed)]);
    }

    /// <summary>Reminds everyone with something waiting, once per thing; returns how many people were reminded.</summary>
    public async Task<int> RemindAsync(Guid cycleId, CancellationToken ct = default)
    {
        var (actions, cycleName) = await PendingAsync(cycleId, ct);
        foreach (var a in actions)
            notifier.Notify(a.PersonId, a.WaitingFor switch
            {
                WaitingFor.Times => $"A reminder: your colleague is waiting for the times you can teach {a.Skill}.",
                WaitingFor.Answer => $"A reminder: times are offered for your session on {a.Skill}; choose one or ask for others.",
                _ => $"A reminder: how did your session on {a.Skill} go? Say whether it happened and what you took from it.",
            }, a.Link);
        var people = actions.Select(a => a.PersonId).Distinct().Count();
        audit.Record("cycle.review-reminded", cycleName, $"{actions.Count} actions, {people} people reminded");
        await db.SaveChangesAsync(ct);
        return people;
    }

    private async Task<(List<PendingAction> Actions, string CycleName)> PendingAsync(Guid cycleId, CancellationToken ct)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var now = clock.GetUtcNow();
        var offers = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycleId && (o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered)).ToListAsync(ct);
        var ended = (await db.Sessions.AsNoTracking().Where(s => s.CycleId == cycleId && s.Status != SessionStatus.Cancelled && s.StartsAt <= now).ToListAsync(ct))
            .Where(s => s.EndsAt <= now).ToList();
        var endedIds = ended.Select(s => s.Id).ToList();
        var answered = (await db.SessionFeedback.AsNoTracking().Where(f => endedIds.Contains(f.SessionId) && f.GivenAt != null)
            .Select(f => new { f.SessionId, f.PersonId }).ToListAsync(ct)).Select(f => (f.SessionId, f.PersonId)).ToHashSet();
        // Each person in a session that has ended says for themselves how it went; those who have not are asked.
        List<(Guid Person, WaitingFor For, Guid SkillId, DateTimeOffset? Starts, string Link)> raw =
        [
            .. offers.Where(o => o.Status == OfferStatus.Pending).Select(o => (o.TeacherId, WaitingFor.Times, o.SkillId, (DateTimeOffset?)null, "/offers")),
            .. offers.Where(o => o.Status == OfferStatus.Offered).SelectMany(o => o.LearnerIds.Select(l => (l, WaitingFor.Answer, o.SkillId, (DateTimeOffset?)null, "/offers"))),
            .. ended.SelectMany(s => s.LearnerIds.Prepend(s.TeacherId).Where(p => !answered.Contains((s.Id, p)))
                .Select(p => (p, WaitingFor.Feedback, s.SkillId, (DateTimeOffset?)s.StartsAt, $"/sessions/{s.Id}/feedback"))),
        ];
        var people = raw.Select(r => r.Person).Distinct().ToList();
        var found = await db.People.AsNoTracking().Where(p => people.Contains(p.Id) && p.IsActive)
            .Select(p => new { p.Id, p.DisplayName, CanSignIn = db.Users.Any(u => u.PersonId == p.Id && u.PasswordHash != null) })
            .ToDictionaryAsync(p => p.Id, ct);
        var skills = await db.SkillNamesAsync(raw.Select(r => r.SkillId), ct);
        var everyoneCan = await companySignIn.EnabledAsync(ct);
        return ([.. raw.Where(r => found.ContainsKey(r.Person))
            .Select(r => new PendingAction(r.Person, found[r.Person].DisplayName, everyoneCan || found[r.Person].CanSignIn, r.For, skills.GetValueOrDefault(r.SkillId, "a skill"), r.Starts, r.Link))
            .OrderBy(a => a.WaitingFor).ThenBy(a => a.Name, StringComparer.CurrentCulture).ThenBy(a => a.SessionStartsAt)], cycle.Name);
    }
}
