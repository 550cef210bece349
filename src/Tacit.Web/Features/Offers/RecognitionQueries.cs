using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Offers;

public sealed record ThankYouNote(string From, string Text, DateTimeOffset GivenAt);

public sealed record PersonRecognition(int SessionsLearned, int SessionsTaught, double HoursReceived, double HoursGiven,
    IReadOnlyList<string> ValidatedSkills, IReadOnlyList<ThankYouNote> ThankYous);

/// <summary>
/// What a profile shows of someone's learning and teaching. A session counts as held once it is over, was not
/// cancelled, and nobody in it said it did not happen. Learning and teaching count alike; nothing is ranked.
/// </summary>
public static class RecognitionQueries
{
    /// <summary>The sessions that may count for the person: theirs, not cancelled, begun before now (the profile's compiled query repeats this).</summary>
    public static IQueryable<Session> SessionsOf(TacitDbContext db, Guid personId, DateTimeOffset now) =>
        db.Sessions.AsNoTracking().Involving(personId).Where(s => s.Status == SessionStatus.Scheduled && s.StartsAt < now);

    /// <summary>Nothing learned or taught yet: what most profiles of a large organisation show.</summary>
    public static PersonRecognition None { get; } = new(0, 0, 0, 0, [], []);

    public static async Task<PersonRecognition> ForAsync(TacitDbContext db, Guid personId, DateTimeOffset now, CancellationToken ct = default)
    {
        var sessions = await SessionsOf(db, personId, now)
            .Select(s => new { s.Id, s.TeacherId, s.StartsAt, s.DurationMinutes }).ToListAsync(ct);
        if (sessions.Count == 0) return None;
        var ids = sessions.Select(s => s.Id).ToList();
        var notHeld = (await db.SessionFeedback.Where(f => ids.Contains(f.SessionId) && !f.Happened).Select(f => f.SessionId).ToListAsync(ct)).ToHashSet();
        var held = sessions.Where(s => s.StartsAt.AddMinutes(s.DurationMinutes) <= now && !notHeld.Contains(s.Id)).ToList();
        var taught = held.Where(s => s.TeacherId == personId).ToList();
        var learned = held.Where(s => s.TeacherId != personId).ToList();

        var ratings = await db.SessionFeedback.AsNoTracking().Where(f => f.TeacherId == personId && !f.AsTeacher && f.Happened).ToListAsync(ct);
        var validated = Recognition.ValidatedSkills(personId, ratings);
        var skillNames = await db.Skills.Where(s => validated.Contains(s.Id)).Select(s => s.Name).OrderBy(n => n).ToListAsync(ct);

        // Public thanks to this person: from learners of sessions they taught, and from teachers of sessions they learned in.
        var learnedIds = learned.Select(s => s.Id).ToList();
        var thanks = await (from f in db.SessionFeedback
                            where f.ThankYouIsPublic && ((f.TeacherId == personId && !f.AsTeacher) || (f.AsTeacher && learnedIds.Contains(f.SessionId)))
                            join p in db.People on f.PersonId equals p.Id
                            orderby f.GivenAt descending
                            select new ThankYouNote(p.DisplayName, f.ThankYou, f.GivenAt ?? now)).Take(20).ToListAsync(ct);
        return new PersonRecognition(learned.Count, taught.Count, learned.Sum(s => s.DurationMinutes) / 60.0, taught.Sum(s => s.DurationMinutes) / 60.0,
            skillNames, thanks);
    }
}
