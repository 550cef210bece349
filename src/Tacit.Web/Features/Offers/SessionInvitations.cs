using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Offers;

/// <summary>Every new, changed or cancelled session is emailed to everyone in it with its iCalendar invitation.</summary>
public sealed class SessionInvitations(TacitDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Adds everyone's invitation (or cancellation) to the mail outbox in the caller's unit of work: it is sent by the
    /// background mailer, after the change is saved and however long the mail server is down.
    /// </summary>
    public async Task QueueAsync(Session session, CancellationToken ct)
    {
        var (skill, teacher, learners) = await PeopleOfAsync(session, ct);
        var calendar = new CalendarAttachment(SessionCalendar.Build(session, skill, teacher, learners, clock.GetUtcNow()), SessionCalendar.Method(session), "session.ics");
        var what = session.Status == SessionStatus.Cancelled ? "Cancelled" : session.Sequence == 0 ? "New session" : "Changed";
        var subject = $"{what}: {skill} with {teacher.Name}, {session.StartsAt:d MMM yyyy HH:mm} UTC";
        var body = session.Status == SessionStatus.Cancelled
            ? $"The session on {skill} on {session.StartsAt:dddd d MMMM yyyy HH:mm} UTC is cancelled: {session.CancelReason}"
            : $"{skill} with {teacher.Name}: {session.StartsAt:dddd d MMMM yyyy HH:mm} UTC, {session.DurationMinutes} minutes. The invitation is attached.";
        foreach (var person in learners.Prepend(teacher))
            db.OutgoingMail.Add(new OutgoingMail(session.OrganisationId, person.Email, person.Name, subject, body, calendar.Content, calendar.Method, clock.GetUtcNow()));
    }

    /// <summary>The session's invitation (or cancellation) as an .ics file, for the people in it.</summary>
    public async Task<string> CalendarAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await db.Sessions.AsNoTracking().FindInvolvingAsync(sessionId, me, ct);
        var (skill, teacher, learners) = await PeopleOfAsync(session, ct);
        return SessionCalendar.Build(session, skill, teacher, learners, clock.GetUtcNow());
    }

    private async Task<(string Skill, CalendarPerson Teacher, List<CalendarPerson> Learners)> PeopleOfAsync(Session session, CancellationToken ct)
    {
        var ids = session.LearnerIds.Append(session.TeacherId).ToList();
        var people = await db.People.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new CalendarPerson(p.DisplayName, p.Email), ct);
        return (await db.SkillNameAsync(session.SkillId, ct), people[session.TeacherId], [.. session.LearnerIds.Where(people.ContainsKey).Select(id => people[id])]);
    }
}
