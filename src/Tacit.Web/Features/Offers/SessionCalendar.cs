using System.Globalization;
using System.Text;
using Tacit.Domain.Offers;

namespace Tacit.Web.Features.Offers;

/// <summary>Someone in a session, as the invitation names them; their IANA time zone words the mail they get.</summary>
public sealed record CalendarPerson(string Name, string Email, string TimeZone = "UTC");

/// <summary>A session with the names an invitation or a feed shows for it.</summary>
public sealed record SessionEvent(Session Session, string Skill, CalendarPerson Teacher, IReadOnlyList<CalendarPerson> Learners);

/// <summary>
/// A session as an RFC 5545 iCalendar object: METHOD:REQUEST for a new or changed session, METHOD:CANCEL for a cancelled
/// one; the UID stays the same for the session's whole life and SEQUENCE grows with every change; times are in UTC;
/// the teacher is the ORGANIZER and every learner an ATTENDEE; URL and the DESCRIPTION's last line lead to the page where
/// the session is changed or cancelled. Lines end in CRLF and are folded at 75 octets. A person's calendar feed
/// (<see cref="Feed"/>) lists the same events.
/// </summary>
public static class SessionCalendar
{
    public static string Method(Session session) => session.Status == SessionStatus.Cancelled ? "CANCEL" : "REQUEST";

    /// <summary>A file name that says what the invitation is: tacit-negotiation-2026-12-08.ics.</summary>
    public static string FileName(string skill, DateTimeOffset startsAt)
    {
        var words = new string([.. skill.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Split('-', StringSplitOptions.RemoveEmptyEntries);
        var name = string.Join('-', words);
        if (name.Length > 60) name = name[..60].TrimEnd('-');
        return $"tacit-{(name.Length == 0 ? "session" : name)}-{startsAt.UtcDateTime:yyyy-MM-dd}.ics";
    }

    public static string Build(Session session, string skill, CalendarPerson teacher, IReadOnlyList<CalendarPerson> learners, DateTimeOffset stamp, string page)
    {
        var ics = new StringBuilder();
        Begin(ics);
        Fold(ics, $"METHOD:{Method(session)}");
        Event(ics, new SessionEvent(session, skill, teacher, learners), stamp, page);
        Fold(ics, "END:VCALENDAR");
        return ics.ToString();
    }

    /// <summary>
    /// A subscribed calendar (a feed) of sessions: no METHOD, since nobody is invited by it; each event carries the same
    /// UID and SEQUENCE as the mailed invitation of its session, so a calendar that has both updates one event.
    /// </summary>
    public static string Feed(string name, IEnumerable<SessionEvent> sessions, DateTimeOffset stamp, string page)
    {
        var ics = new StringBuilder();
        Begin(ics);
        Fold(ics, $"X-WR-CALNAME:{Text(name)}");
        // How often a client should fetch again: RFC 7986, and the older name Outlook reads.
        Fold(ics, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        Fold(ics, "X-PUBLISHED-TTL:PT1H");
        foreach (var session in sessions) Event(ics, session, stamp, page);
        Fold(ics, "END:VCALENDAR");
        return ics.ToString();
    }

    private static void Begin(StringBuilder ics)
    {
        Fold(ics, "BEGIN:VCALENDAR");
        Fold(ics, "VERSION:2.0");
        Fold(ics, "PRODID:-//Tacit//Peer learning//EN");
        Fold(ics, "CALSCALE:GREGORIAN");
    }

    private static void Event(StringBuilder ics, SessionEvent e, DateTimeOffset stamp, string page)
    {
        void Line(string text) => Fold(ics, text);
        var (session, skill, teacher, learners) = e;
        var cancelled = session.Status == SessionStatus.Cancelled;
        Line("BEGIN:VEVENT");
        Line($"UID:{session.CalendarUid}");
        Line($"SEQUENCE:{session.Sequence.ToString(CultureInfo.InvariantCulture)}");
        Line($"DTSTAMP:{Utc(stamp)}");
        Line($"DTSTART:{Utc(session.StartsAt)}");
        Line($"DTEND:{Utc(session.EndsAt)}");
        Line($"SUMMARY:{Text($"Tacit: {skill} with {teacher.Name}")}");
        var what = session.Kind.Describe();
        var where = session.Place.Length > 0 ? $"\nWhere: {session.Place}" : "";
        Line($"DESCRIPTION:{Text($"{char.ToUpperInvariant(what[0])}{what[1..]} on {skill}.{where}\nChange or cancel it in Tacit: {page}")}");
        if (session.Place.Length > 0) Line($"LOCATION:{Text(session.Place)}");
        Line($"URL:{page}");
        Line($"ORGANIZER;CN={Parameter(teacher.Name)}:mailto:{teacher.Email}");
        foreach (var learner in learners)
            Line($"ATTENDEE;CN={Parameter(learner.Name)};ROLE=REQ-PARTICIPANT;PARTSTAT={(cancelled ? "DECLINED" : "NEEDS-ACTION")};RSVP=FALSE:mailto:{learner.Email}");
        Line($"STATUS:{(cancelled ? "CANCELLED" : "CONFIRMED")}");
        Line("END:VEVENT");
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT values escape backslash, semicolon, comma and new lines (RFC 5545 3.3.11).</summary>
    private static string Text(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Parameter values with separators are quoted; quotes themselves are not allowed and are dropped.</summary>
    private static string Parameter(string value)
    {
        var clean = value.Replace("\"", "", StringComparison.Ordinal);
        return clean.IndexOfAny([':', ';', ',']) >= 0 ? $"\"{clean}\"" : clean;
    }

    /// <summary>Content lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8 character.</summary>
    private static void Fold(StringBuilder ics, string line)
    {
        var bytes = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (bytes + size > 75)
            {
                ics.Append("\r\n ");
                bytes = 1;
            }
            ics.Append(rune.ToString());
            bytes += size;
        }
        ics.Append("\r\n");
    }
}
