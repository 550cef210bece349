using System.Globalization;
using Tacit.Domain.Cycles;

namespace Tacit.Domain.Offers;

/// <summary>
/// When the people of an offer are all free, in one person's time zone: the weekly windows ("Tuesdays 10:00–12:00") and
/// up to <see cref="Offer.MaxTimes"/> concrete start times to propose, each on its own day, inside the common hours, in
/// the next <see cref="Horizon"/> and before the cycle's review.
/// </summary>
public sealed record CommonFreeTime(IReadOnlyList<string> Windows, IReadOnlyList<DateTimeOffset> Proposed)
{
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(14);

    /// <summary>No common hour: they all said when they are free, and the hours do not meet.</summary>
    public bool None => Windows.Count == 0;

    /// <summary>
    /// Null when nobody in the offer said when they are free (nothing to propose or say). Windows are read from the coming
    /// week with each date's own offset, so they are true local times even across a daylight-saving change.
    /// </summary>
    public static CommonFreeTime? Of(IReadOnlyCollection<int>? commonHours, int minutes, TimeZoneInfo zone, DateTimeOffset now, DateOnly? reviewDate)
    {
        if (commonHours is null) return null;
        if (commonHours.Count == 0) return new([], []);
        var until = now + Horizon;
        if (reviewDate is { } review)
        {
            var reviewStarts = new DateTimeOffset(review, TimeOnly.MinValue, TimeSpan.Zero);
            if (reviewStarts < until) until = reviewStarts;
        }
        var proposed = new List<DateTimeOffset>();
        var days = new HashSet<DateOnly>();
        foreach (var start in WeeklyAvailability.StartsWithin(commonHours, minutes, now, until))
        {
            if (!days.Add(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime))) continue;
            proposed.Add(start);
            if (proposed.Count == Offer.MaxTimes) break;
        }
        return new(WindowsOf(commonHours, zone, now), proposed);
    }

    /// <summary>The common hours of the coming week as local windows, joined where they touch, in the order of the week.</summary>
    private static List<string> WindowsOf(IReadOnlyCollection<int> commonHours, TimeZoneInfo zone, DateTimeOffset now)
    {
        var cells = commonHours.ToHashSet();
        var utc = now.ToUniversalTime();
        var first = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        var windows = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        for (var t = first; t < first.AddDays(7); t = t.AddHours(1))
        {
            if (!cells.Contains(WeeklyAvailability.CellOf(t))) continue;
            if (windows.Count > 0 && windows[^1].End == t) windows[^1] = (windows[^1].Start, t.AddHours(1));
            else windows.Add((t, t.AddHours(1)));
        }
        // A window open at both ends of the week is one window, cut by where "now" fell.
        if (windows.Count > 1 && windows[0].Start == first && windows[^1].End == first.AddDays(7))
        {
            windows[0] = (windows[^1].Start, windows[0].End.AddDays(7));
            windows.RemoveAt(windows.Count - 1);
        }
        return [.. windows
            .Select(w => (Start: TimeZoneInfo.ConvertTime(w.Start, zone), End: TimeZoneInfo.ConvertTime(w.End, zone)))
            .OrderBy(w => ((int)w.Start.DayOfWeek + 6) % 7).ThenBy(w => w.Start.TimeOfDay)
            .Select(w => w.End - w.Start >= TimeSpan.FromDays(1)
                ? $"{w.Start.DayOfWeek}s from {Clock(w.Start)} for {(w.End - w.Start).TotalHours:0} hours"
                : $"{w.Start.DayOfWeek}s {Clock(w.Start)}–{Clock(w.End)}")
            .Distinct()];
    }

    private static string Clock(DateTimeOffset time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"Tuesdays 10:00–12:00, Thursdays 14:00–15:00 and Fridays 09:00–10:00".</summary>
    public string WindowsText => Windows.Count <= 1 ? string.Concat(Windows) : $"{string.Join(", ", Windows.Take(Windows.Count - 1))} and {Windows[^1]}";
}
