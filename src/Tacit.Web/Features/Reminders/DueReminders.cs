using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Features.Reminders;

/// <summary>
/// What a reminder does when its time comes, inside one organisation: looks at the record as it is now, tells whoever
/// still needs telling, and records that it did under a unique key in the same transaction as the notifications, so a
/// second run — a retried job, a restart, another instance — tells nobody twice.
/// </summary>
public sealed class DueReminders(TacitDbContext db, Notifier notifier, TimeProvider clock)
{
    /// <summary>How early a trigger may fire and still count as on time (clocks of several instances drift a little).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(2);

    /// <summary>Sends what is due; returns a later time when it fired too early for what the record now says.</summary>
    public Task<DateTimeOffset?> SendAsync(ReminderKind kind, Guid subjectId, CancellationToken ct = default) => kind switch
    {
        ReminderKind.SessionComingUp => SessionComingUpAsync(subjectId, ct),
        ReminderKind.FeedbackDue => FeedbackDueAsync(subjectId, ct),
        ReminderKind.OffersExpiring => OffersExpiringAsync(subjectId, ct),
        ReminderKind.CheckInDue => CheckInDueAsync(subjectId, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reminder."),
    };

    private async Task<DateTimeOffset?> SessionComingUpAsync(Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || session.Status == SessionStatus.Cancelled || !session.IsConfirmed || now >= session.StartsAt) return null;
        var due = session.StartsAt - ReminderScheduler.SessionNotice;
        if (now < due - Slack) return due;
        var key = $"session-coming-up:{session.Id:N}:{session.StartsAt.ToUnixTimeSeconds()}";
        if (await AlreadySentAsync(key, ct)) return null;
        var (skill, people) = await PeopleAsync(session, ct);
        string Name(Guid id) => people.TryGetValue(id, out var p) ? p.Name : "a colleague";
        string When(Guid id) => LocalTimes.Describe(people.TryGetValue(id, out var p) ? p.TimeZone : "UTC", session.StartsAt);
        notifier.Notify(session.TeacherId,
            $"Reminder: you share {skill} with {string.Join(", ", session.LearnerIds.Select(Name))} on {When(session.TeacherId)}.", OfferNotices.Link, urgent: true);
        foreach (var learner in session.LearnerIds)
            notifier.Notify(learner,
                $"Reminder: you learn {skill} with {Name(session.TeacherId)} on {When(learner)}. Your questions for them are on the offers page.", OfferNotices.Link, urgent: true);
        return await RecordAsync(key, ct);
    }

    private async Task<DateTimeOffset?> FeedbackDueAsync(Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || session.Status == SessionStatus.Cancelled || !session.IsConfirmed) return null;
        if (now < session.EndsAt - Slack) return session.EndsAt;
        var key = $"feedback-due:{session.Id:N}:{session.StartsAt.ToUnixTimeSeconds()}";
        if (await AlreadySentAsync(key, ct)) return null;
        var answered = await db.SessionFeedback.Where(f => f.SessionId == session.Id).Select(f => f.PersonId).ToListAsync(ct);
        var skill = await db.Skills.Where(s => s.Id == session.SkillId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? "a skill";
        notifier.Notify(session.LearnerIds.Append(session.TeacherId).Except(answered),
            $"How did your session on {skill} go? Say whether it happened and what you took from it.", $"/sessions/{session.Id}/feedback");
        return await RecordAsync(key, ct);
    }

    private async Task<DateTimeOffset?> OffersExpiringAsync(Guid cycleId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var horizon = now + ReminderScheduler.OfferNotice + Slack;
        var expiring = await db.Offers.AsNoTracking()
            .Where(o => o.CycleId == cycleId && (o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered) && o.ExpiresAt > now && o.ExpiresAt <= horizon)
            .ToListAsync(ct);
        var keys = expiring.ToDictionary(o => o.Id, o => $"offer-expiring:{o.Id:N}:{o.ExpiresAt.ToUnixTimeSeconds()}");
        var sent = (await SentAmongAsync(keys.Values, ct)).ToHashSet();
        var due = expiring.Where(o => !sent.Contains(keys[o.Id])).ToList();
        if (due.Count == 0) return null;
        var skills = await db.Skills.Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var peopleIds = due.SelectMany(o => o.LearnerIds.Append(o.TeacherId)).Distinct().ToList();
        var people = new Dictionary<Guid, (string Name, string TimeZone)>();
        foreach (var ids in peopleIds.Chunk(1000))
            foreach (var p in await db.People.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName, p.TimeZone }).ToListAsync(ct))
                people[p.Id] = (p.DisplayName, p.TimeZone);
        foreach (var chunk in due.Chunk(1000))
        {
            foreach (var offer in chunk)
            {
                var skill = skills.GetValueOrDefault(offer.SkillId, "a skill");
                string When(Guid id) => LocalTimes.Describe(people.TryGetValue(id, out var p) ? p.TimeZone : "UTC", offer.ExpiresAt);
                if (offer.Status == OfferStatus.Pending)
                    notifier.Notify(offer.TeacherId, $"Your match to share {skill} expires on {When(offer.TeacherId)}: offer some times, or decline.", OfferNotices.Link, urgent: true);
                else
                    foreach (var learner in offer.LearnerIds)
                        notifier.Notify(learner, $"The times {(people.TryGetValue(offer.TeacherId, out var t) ? t.Name : "a colleague")} offered to teach you {skill} expire on {When(learner)}: choose one, or ask for others.",
                            OfferNotices.Link, urgent: true);
                db.SentReminders.Add(new SentReminder(db.CurrentOrganisationId, keys[offer.Id], now));
            }
            await SaveAsync(ct);
        }
        return null;
    }

    private async Task<DateTimeOffset?> CheckInDueAsync(Guid commitmentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var commitment = await db.Commitments.SingleOrDefaultAsync(c => c.Id == commitmentId, ct);
        if (commitment?.PartnerId is not { } partnerId) return null;
        var people = await db.People.Where(p => p.Id == partnerId || p.Id == commitment.LearnerId)
            .Select(p => new { p.Id, p.DisplayName, p.TimeZone }).ToDictionaryAsync(p => p.Id, ct);
        var zone = people.GetValueOrDefault(partnerId)?.TimeZone ?? "UTC";
        var due = ReminderScheduler.CheckInMoment(commitment.DueOn, zone);
        if (now < due - Slack) return due;
        var key = $"check-in-due:{commitment.Id:N}";
        if (await AlreadySentAsync(key, ct)) return null;
        // The due date has come in the partner's time zone, whatever the date is in UTC.
        if (!commitment.AskPartnerIfDue(commitment.DueOn, now)) return null;
        var learner = people.GetValueOrDefault(commitment.LearnerId)?.DisplayName ?? "A colleague";
        notifier.Notify(partnerId, $"{learner} asked you to check in today on what they committed to: \"{commitment.Text}\".", OfferNotices.Link, urgent: true);
        return await RecordAsync(key, ct);
    }

    private async Task<(string Skill, Dictionary<Guid, (string Name, string TimeZone)> People)> PeopleAsync(Session session, CancellationToken ct)
    {
        var ids = session.LearnerIds.Append(session.TeacherId).ToList();
        var people = await db.People.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName, p.TimeZone })
            .ToDictionaryAsync(p => p.Id, p => (p.DisplayName, p.TimeZone), ct);
        var skill = await db.Skills.Where(s => s.Id == session.SkillId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? "a skill";
        return (skill, people);
    }

    private Task<bool> AlreadySentAsync(string key, CancellationToken ct) => db.SentReminders.AnyAsync(r => r.Key == key, ct);

    private async Task<List<string>> SentAmongAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var sent = new List<string>();
        foreach (var chunk in keys.Chunk(1000))
            sent.AddRange(await db.SentReminders.Where(r => chunk.Contains(r.Key)).Select(r => r.Key).ToListAsync(ct));
        return sent;
    }

    private async Task<DateTimeOffset?> RecordAsync(string key, CancellationToken ct)
    {
        db.SentReminders.Add(new SentReminder(db.CurrentOrganisationId, key, clock.GetUtcNow()));
        await SaveAsync(ct);
        return null;
    }

    /// <summary>Saves the notifications with their record; when another run recorded the same reminder first, nothing of this run is kept.</summary>
    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (ConflictException)
        {
            db.ChangeTracker.Clear();
        }
    }
}
