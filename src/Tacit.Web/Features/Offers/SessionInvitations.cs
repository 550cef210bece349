using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// Every new, changed or cancelled session is emailed to everyone in it with its iCalendar invitation, each person's
/// mail giving the time in their own time zone, named, with a link to where they act on it.
/// </summary>
public sealed class SessionInvitations(TacitDbContext db, LinkBuilder links, TimeProvider clock)
{
    /// <summary>Where the people in a session see it and act on it.</summary>
    public const string Page = "/offers";

    /// <summary>
    /// Adds everyone's invitation (or cancellation) to the mail outbox in the caller's unit of work: it is sent by the
    /// background mailer, after the change is saved and however long the mail server is down.
    /// </summary>
    public async Task QueueAsync(Session session, CancellationToken ct)
    {
        var (skill, teacher, learners) = await PeopleOfAsync(session, ct);
        var page = links.To(Page);
        var calendar = new CalendarAttachment(SessionCalendar.Build(session, skill, teacher, learners, clock.GetUtcNow(), page), SessionCalendar.Method(session),
            SessionCalendar.FileName(skill, session.StartsAt));
        var what = session.Status == SessionStatus.Cancelled ? "Cancelled" : session.Sequence == 0 ? "New session" : "Changed";
        foreach (var person in learners.Prepend(teacher))
        {
            var (zone, at) = LocalTimes.In(person.TimeZone, session.StartsAt);
            var subject = $"{what}: {skill} with {teacher.Name}, {at:ddd d MMM HH:mm} {zone}";
            var body = session.Status == SessionStatus.Cancelled
                ? $"The session on {skill} with {teacher.Name} on {at:dddd d MMMM yyyy, HH:mm} ({zone}) is cancelled: {session.CancelReason}"
                : $"{char.ToUpperInvariant(session.Kind.Describe()[0])}{session.Kind.Describe()[1..]} on {skill} with {teacher.Name}: {at:dddd d MMMM yyyy, HH:mm} ({zone}), "
                  + "the invitation is attached for your calendar.";
            if (session.Place.Length > 0 && session.Status != SessionStatus.Cancelled) body += $"\n\nWhere: {session.Place}";
            body += $"\n\nYour offers and sessions:\n\n{page}";
            db.OutgoingMail.Add(new OutgoingMail(session.OrganisationId, person.Email, person.Name, subject, body, calendar.Content, calendar.Method, clock.GetUtcNow(), calendar.FileName));
        }
    }

    /// <summary>The session's invitation (or cancellation) as an .ics file, for the people in it.</summary>
    public async Task<CalendarAttachment> CalendarAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await db.Sessions.AsNoTracking().FindInvolvingAsync(sessionId, me, ct);
        var (skill, teacher, learners) = await PeopleOfAsync(session, ct);
        return new CalendarAttachment(SessionCalendar.Build(session, skill, teacher, learners, clock.GetUtcNow(), links.To(Page)), SessionCalendar.Method(session),
            SessionCalendar.FileName(skill, session.StartsAt));
    }

    private async Task<(string Skill, CalendarPerson Teacher, List<CalendarPerson> Learners)> PeopleOfAsync(Session session, CancellationToken ct)
    {
        var ids = session.LearnerIds.Append(session.TeacherId).ToList();
        var people = await db.People.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new CalendarPerson(p.DisplayName, p.Email, p.TimeZone), ct);
        return (await db.SkillNameAsync(session.SkillId, ct), people[session.TeacherId], [.. session.LearnerIds.Where(people.ContainsKey).Select(id => people[id])]);
    }
}
