using CsCheck;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;

namespace Tacit.Domain.Tests.Cycles;

public class WeeklyAvailabilityTests
{
    private static readonly DateOnly Winter = new(2027, 1, 11), Summer = new(2027, 7, 12);
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    [Fact]
    public void A_local_hour_becomes_the_utc_cell_at_the_offset_of_the_date()
    {
        Assert.Equal([9], WeeklyAvailability.ToUtcCells(["mon-09"], Zone("Europe/London"), Winter));
        Assert.Equal([8], WeeklyAvailability.ToUtcCells(["mon-09"], Zone("Europe/London"), Summer));
        Assert.Empty(WeeklyAvailability.ToUtcCells([], Zone("Europe/London"), Winter));
    }

    [Fact]
    public void Hours_wrap_around_the_week_both_ways()
    {
        // Monday 03:00 in Tokyo (+09:00) is Sunday 18:00 UTC; Sunday 20:00 in Los Angeles (−08:00) is Monday 04:00 UTC.
        Assert.Equal([6 * 24 + 18], WeeklyAvailability.ToUtcCells(["mon-03"], Zone("Asia/Tokyo"), Winter));
        Assert.Equal([4], WeeklyAvailability.ToUtcCells(["sun-20"], Zone("America/Los_Angeles"), Winter));
    }

    [Fact]
    public void In_a_half_hour_zone_only_cells_covered_whole_count_unless_none_is()
    {
        var kolkata = Zone("Asia/Kolkata");
        // 09:00–11:00 in +05:30 is 03:30–05:30 UTC: only 04:00–05:00 is covered whole.
        Assert.Equal([4], WeeklyAvailability.ToUtcCells(["mon-09", "mon-10"], kolkata, Winter));
        // One lone hour (03:30–04:30 UTC) covers no cell whole; the two it touches stand for it rather than "any time".
        Assert.Equal([3, 4], WeeklyAvailability.ToUtcCells(["mon-09"], kolkata, Winter));
    }

    [Fact]
    public void The_cells_are_exactly_the_whole_utc_hours_the_person_is_free_in_any_zone()
    {
        string[] zones = ["UTC", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Pacific/Auckland", "Asia/Tokyo", "America/Los_Angeles"];
        Gen.Select(Gen.Int[0, zones.Length - 1], Gen.Int[0, 167].HashSet[1, 60], Gen.Int[0, 364]).Sample((z, hours, day) =>
        {
            var (zone, date) = (Zone(zones[z]), Winter.AddDays(day));
            var cells = WeeklyAvailability.ToUtcCells(Slots(hours), zone, date);
            var whole = Enumerable.Range(0, WeeklyAvailability.HoursPerWeek).Where(c => FreeThroughout(c, hours, zone, date)).ToList();
            // Every whole free hour and nothing else; or, when there is none, the cells the free hours touch.
            if (whole.Count > 0) Assert.Equal(whole, cells);
            else Assert.All(cells, c => Assert.True(FreeAt(c, 0, hours, zone, date) || FreeAt(c, 59, hours, zone, date)));
            Assert.Equal(cells.Order(), cells);
        });
    }

    private static IEnumerable<string> Slots(IEnumerable<int> hoursOfWeek) => hoursOfWeek.Select(h => IntakeResponse.Slot(h / 24, h % 24));

    /// <summary>Independently of the conversion: every minute of the UTC cell, moved by the date's offset, lies in a local free hour.</summary>
    private static bool FreeThroughout(int cell, HashSet<int> localHours, TimeZoneInfo zone, DateOnly date)
    {
        for (int minute = 0; minute < 60; minute += 5)
            if (!FreeAt(cell, minute, localHours, zone, date)) return false;
        return true;
    }

    private static bool FreeAt(int cell, int minute, HashSet<int> localHours, TimeZoneInfo zone, DateOnly date)
    {
        var monday = new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);
        var offset = zone.GetUtcOffset(new DateTimeOffset(date, new TimeOnly(12, 0), TimeSpan.Zero));
        var local = monday.AddHours(cell).AddMinutes(minute).ToOffset(offset);
        return localHours.Contains(((int)local.DayOfWeek + 6) % 7 * 24 + local.Hour);
    }

    [Fact]
    public void Common_hours_are_null_when_nobody_restricts_and_empty_when_they_do_not_meet()
    {
        Assert.Null(WeeklyAvailability.Common([null, []]));
        Assert.Equal([2, 3], WeeklyAvailability.Common([[1, 2, 3], null, [3, 2, 9]]));
        Assert.Empty(WeeklyAvailability.Common([[1], [2]])!);
    }

    [Fact]
    public void Start_times_lie_wholly_inside_the_common_hours()
    {
        var from = new DateTimeOffset(2027, 1, 4, 9, 20, 0, TimeSpan.Zero); // a Monday
        int[] common = [10, 11, 14, 24 + 10];
        var thirty = WeeklyAvailability.StartsWithin(common, 30, from, from.AddDays(2)).ToList();
        Assert.Equal([from.Date.AddHours(10), from.Date.AddHours(11), from.Date.AddHours(14), from.Date.AddHours(34)], thirty.Select(t => t.UtcDateTime));
        // A 60-minute session fits in each whole hour; 90 minutes needs two adjacent ones.
        Assert.Equal([from.Date.AddHours(10)], WeeklyAvailability.StartsWithin(common, 90, from, from.AddDays(2)).Select(t => t.UtcDateTime));
    }

    [Fact]
    public void Free_time_is_told_and_proposed_in_the_persons_own_zone()
    {
        var now = new DateTimeOffset(2027, 1, 4, 6, 0, 0, TimeSpan.Zero); // Monday
        // Tuesdays 10:00–12:00 UTC and Thursdays 15:00 UTC.
        int[] common = [24 + 10, 24 + 11, 3 * 24 + 15];
        var paris = CommonFreeTime.Of(common, 30, Zone("Europe/Paris"), now, reviewDate: null)!;
        Assert.Equal(["Tuesdays 11:00–13:00", "Thursdays 16:00–17:00"], paris.Windows);
        Assert.Equal("Tuesdays 11:00–13:00 and Thursdays 16:00–17:00", paris.WindowsText);
        // One time a day, at most three, all inside the common hours.
        Assert.Equal([now.AddDays(1).AddHours(4), now.AddDays(3).AddHours(9), now.AddDays(8).AddHours(4)], paris.Proposed);
        var kolkata = CommonFreeTime.Of(common, 30, Zone("Asia/Kolkata"), now, reviewDate: null)!;
        Assert.Equal(["Tuesdays 15:30–17:30", "Thursdays 20:30–21:30"], kolkata.Windows);
        // Never past the review.
        Assert.Equal([now.AddDays(1).AddHours(4)], CommonFreeTime.Of(common, 30, TimeZoneInfo.Utc, now, new DateOnly(2027, 1, 6))!.Proposed);
        Assert.Null(CommonFreeTime.Of(null, 30, TimeZoneInfo.Utc, now, null));
        Assert.True(CommonFreeTime.Of([], 30, TimeZoneInfo.Utc, now, null)!.None);
    }
}
