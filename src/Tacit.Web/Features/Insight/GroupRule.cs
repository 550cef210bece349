using Tacit.Domain.Cycles;

namespace Tacit.Web.Features.Insight;

/// <summary>
/// The intake's anonymity rule, applied to every figure about people on the insight pages: a count of people (or of
/// their ratings) is shown only when it is at least <see cref="IntakeBarriers.MinimumGroupSize"/>; otherwise it is
/// null, which the pages and CSV say as "fewer than five" (docs/insight.md).
/// </summary>
public static class GroupRule
{
    public static int Minimum => IntakeBarriers.MinimumGroupSize;

    public static bool Allows(int people) => people >= IntakeBarriers.MinimumGroupSize;

    /// <summary>The count when its group is large enough, or null.</summary>
    public static int? Shown(int people) => Allows(people) ? people : null;

    public const string Hidden = "fewer than five";

    public static string Describe(int? shown) => shown?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Hidden;
}
