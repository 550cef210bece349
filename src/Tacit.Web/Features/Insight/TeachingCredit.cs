using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Insight;

/// <summary>
/// One person's teaching, for a rewards process: sessions held (not cancelled, already over), their hours, and the
/// learners' usefulness ratings (1–5) — the average only when at least five ratings make it, so no learner's rating
/// can be read back from it.
/// </summary>
public sealed record TeacherCredit(Guid PersonId, string Name, string Department, int SessionsTaught, decimal Hours, int Ratings, decimal? AverageUsefulness);

/// <summary>
/// Teaching credit, for admins: only people whose <see cref="Person.RecognitionVisibility"/> is
/// <see cref="RecognitionVisibility.Organisation"/> appear; everyone else's teaching stays theirs. Grouped in the
/// database by teacher.
/// </summary>
public sealed class TeachingCredit(TacitDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<TeacherCredit>> ReportAsync(DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var consenting = db.People.Where(p => p.IsActive && p.RecognitionVisibility == RecognitionVisibility.Organisation);
        var held = db.Sessions.Where(s => s.Status == SessionStatus.Scheduled && s.StartsAt <= now);
        if (from is { } start)
        {
            var since = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            held = held.Where(s => s.StartsAt >= since);
        }
        if (to is { } end)
        {
            var before = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            held = held.Where(s => s.StartsAt < before);
        }
        var taught = await held.Where(s => consenting.Any(p => p.Id == s.TeacherId))
            .GroupBy(s => s.TeacherId).Select(g => new { TeacherId = g.Key, Sessions = g.Count(), Minutes = g.Sum(s => s.DurationMinutes) })
            .ToListAsync(ct);
        if (taught.Count == 0) return [];
        var ratings = await db.SessionFeedback.Where(f => !f.AsTeacher && f.Usefulness != null && held.Any(s => s.Id == f.SessionId) && consenting.Any(p => p.Id == f.TeacherId))
            .GroupBy(f => f.TeacherId).Select(g => new { TeacherId = g.Key, Count = g.Count(), Sum = g.Sum(f => f.Usefulness!.Value) })
            .ToDictionaryAsync(r => r.TeacherId, ct);
        var ids = taught.Select(t => t.TeacherId).ToList();
        var people = await db.People.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName, p.Department }).ToDictionaryAsync(p => p.Id, ct);
        return [.. taught.Where(t => people.ContainsKey(t.TeacherId)).Select(t =>
            {
                var rated = ratings.GetValueOrDefault(t.TeacherId);
                var count = rated?.Count ?? 0;
                decimal? average = rated is not null && GroupRule.Allows(count) ? Math.Round((decimal)rated.Sum / count, 1) : null;
                var person = people[t.TeacherId];
                return new TeacherCredit(t.TeacherId, person.DisplayName, Person.DepartmentOrNone(person.Department), t.Sessions, Math.Round(t.Minutes / 60m, 1), count, average);
            })
            .OrderByDescending(c => c.SessionsTaught).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public static string ToCsv(IEnumerable<TeacherCredit> credits)
    {
        var csv = new StringBuilder("person_id,name,department,sessions_taught,hours,ratings,average_usefulness\n");
        foreach (var c in credits)
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.PersonId},{CsvField.Safe(c.Name)},{CsvField.Safe(c.Department)},{c.SessionsTaught},{c.Hours},{c.Ratings},{(c.AverageUsefulness is { } a ? a.ToString(CultureInfo.InvariantCulture) : GroupRule.Hidden)}\n");
        return csv.ToString();
    }
}
