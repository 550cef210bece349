namespace Tacit.Domain.Cycles;

/// <summary>
/// A person's weekly free hours as the matching engine counts them: UTC hour-of-week cells 0..167, cell 0 being Monday
/// 00:00–01:00 UTC. The intake asks for local one-hour slots ("mon-09") in the person's time zone; this converts them.
/// <para>
/// Offsets: the zone's offset in force on one date (the cycle's matching date) is used for the whole cycle. A cycle that
/// crosses a daylight-saving change is off by that hour for the weeks after it; the offer form proposes concrete times
/// with each date's own offset, so people are shown real times either way.
/// </para>
/// <para>
/// Zones whose offset is not a whole hour (Asia/Kolkata +05:30, Asia/Kathmandu +05:45): a UTC cell counts as free only
/// when the person's free local hours cover it <em>fully</em>. Counting partly covered cells would be unsound: two people in
/// +05:30, one free 08:00–09:00 and the other 09:00–10:00 local, would both "have" the cell 03:00 UTC while sharing no
/// minute. Counting only covered cells means a common cell is always a whole common hour, long enough for any session
/// (30 or 60 minutes); the price is that a single free local hour in such a zone covers no cell, while two adjacent
/// ones cover one.
/// </para>
/// </summary>
public static class WeeklyAvailability
{
    public const int HoursPerWeek = 7 * 24;
    private const int MinutesPerWeek = HoursPerWeek * 60;

    /// <summary>
    /// The UTC cells fully covered by the local slots, sorted; empty when no slot is given (free any time). When slots are
    /// given but cover no cell fully (one lone hour in a +05:30 zone), the cells they partly cover are returned instead:
    /// the format has no "never", and "any time" would be further from what the person said.
    /// </summary>
    public static List<int> ToUtcCells(IEnumerable<string> slots, TimeZoneInfo zone, DateOnly onDate)
    {
        var free = new bool[HoursPerWeek];
        foreach (var slot in slots)
            if (IntakeResponse.IsSlot(slot)) free[LocalHourOfWeek(slot)] = true;
        var offset = OffsetMinutes(zone, onDate);
        List<int> full = [], part = [];
        for (int cell = 0; cell < HoursPerWeek; cell++)
        {
            // The local hours holding the cell's first and last minute.
            int start = Mod(cell * 60 + offset, MinutesPerWeek);
            bool first = free[start / 60], last = free[(start + 59) / 60 % HoursPerWeek];
            if (first && last) full.Add(cell);
            if (first || last) part.Add(cell);
        }
        return full.Count > 0 ? full : part;
    }

    /// <summary>The zone's offset from UTC in minutes, as in force at noon UTC on the date.</summary>
    public static int OffsetMinutes(TimeZoneInfo zone, DateOnly onDate) =>
        (int)zone.GetUtcOffset(new DateTimeOffset(onDate, new TimeOnly(12, 0), TimeSpan.Zero)).TotalMinutes;

    /// <summary>The hour of the week (Monday 00:00 = 0) of a "mon-09" slot.</summary>
    public static int LocalHourOfWeek(string slot) =>
        IntakeResponse.DayIndex(slot[..3]) * 24 + int.Parse(slot[4..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The UTC cell an instant falls in.</summary>
    public static int CellOf(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        int day = ((int)utc.DayOfWeek + 6) % 7;
        return day * 24 + utc.Hour;
    }

    /// <summary>
    /// The cells common to everyone who restricts their time; null when nobody does (an empty or missing list means
    /// "any time"). An empty result means they restrict and share no hour.
    /// </summary>
    public static List<int>? Common(IEnumerable<IReadOnlyCollection<int>?> people)
    {
        HashSet<int>? common = null;
        foreach (var cells in people)
        {
            if (cells is null || cells.Count == 0) continue;
            if (common is null) common = [.. cells];
            else common.IntersectWith(cells);
        }
        return common is null ? null : [.. common.Order()];
    }

    /// <summary>
    /// Start times (UTC, on the hour) at which a session of <paramref name="minutes"/> lies wholly inside the common cells,
    /// from the first whole hour after <paramref name="from"/> to <paramref name="until"/> (exclusive), earliest first.
    /// </summary>
    public static IEnumerable<DateTimeOffset> StartsWithin(IReadOnlyCollection<int> commonCells, int minutes, DateTimeOffset from, DateTimeOffset until)
    {
        var cells = commonCells.ToHashSet();
        var utc = from.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        int hours = Math.Max(1, (minutes + 59) / 60);
        for (var t = start; t.AddMinutes(minutes) <= until; t = t.AddHours(1))
        {
            bool fits = true;
            for (int h = 0; h < hours && fits; h++) fits = cells.Contains(CellOf(t.AddHours(h)));
            if (fits) yield return t;
        }
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;
}
