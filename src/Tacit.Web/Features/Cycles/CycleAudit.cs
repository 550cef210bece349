using System.Globalization;
using Tacit.Domain.Cycles;

namespace Tacit.Web.Features.Cycles;

/// <summary>How the audit log describes a cycle's schedule and who takes part, so that a change reads as before → after.</summary>
public static class CycleAudit
{
    public static string Schedule(Cycle cycle) =>
        $"intake {Day(cycle.IntakeOpens)} to {Day(cycle.IntakeCloses)}, matching {Day(cycle.MatchingDate)}, review {(cycle.ReviewDate is { } review ? Day(review) : "not set")}";

    public static string Described(Cycle cycle) =>
        $"“{cycle.Name}”: {Schedule(cycle)}; {(cycle.Departments.Count == 0 ? "everyone" : string.Join(", ", cycle.Departments))}";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
