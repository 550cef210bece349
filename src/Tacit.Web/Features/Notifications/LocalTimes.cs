using System.Globalization;

namespace Tacit.Web.Features.Notifications;

/// <summary>Times as the person reads them: in their own time zone, with the zone named.</summary>
public static class LocalTimes
{
    /// <summary>The time in the person's zone and the zone's name; UTC for a zone this server does not know.</summary>
    public static (string Zone, DateTime At) In(string timeZone, DateTimeOffset time) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) && zone.Id != "UTC"
            ? (zone.Id, TimeZoneInfo.ConvertTime(time, zone).DateTime)
            : ("UTC", time.UtcDateTime);

    /// <summary>"Tuesday 8 December, 10:00 (Europe/London)".</summary>
    public static string Describe(string timeZone, DateTimeOffset time)
    {
        var (zone, at) = In(timeZone, time);
        return string.Create(CultureInfo.InvariantCulture, $"{at:dddd d MMMM, HH:mm} ({zone})");
    }
}
