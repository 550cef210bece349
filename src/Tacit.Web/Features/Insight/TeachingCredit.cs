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

/// <summary>One page of the teaching credit list: <see cref="Total"/> people in the whole list, as computed at <see cref="ComputedAt"/>.</summary>
public sealed record TeacherCreditPage(IReadOnlyList<TeacherCredit> Credits, int Total, int Page, DateTimeOffset ComputedAt)
{
    public int Pages => Math.Max(1, (Total + TeachingCredit.PageSize - 1) / TeachingCredit.PageSize);
}

/// <summary>
/// Teaching credit, for admins: only people whose <see cref="Person.RecognitionVisibility"/> is
/// <see cref="RecognitionVisibility.Organisation"/> appear; everyone else's teaching stays theirs. Grouped in the
/// database by teacher and held in memory by <see cref="InsightFigures"/>; consent, deactivation and names are read
/// again whenever a held list is shown, so a person who withdraws their consent leaves it at once.
/// </summary>
public sealed class TeachingCredit(TacitDbContext db, TimeProvider clock, InsightFigures figures)
{
    /// <summary>People on one page (the CSV and the API hold everyone).</summary>
    public const int PageSize = 50;

    /// <summary>Everyone who allows it, most sessions first, as last computed (the API and the CSV).</summary>
    public async Task<Computed<IReadOnlyList<TeacherCredit>>> ReportAsync(DateOnly? from = null, DateOnly? to = null, bool refresh = false, CancellationToken ct = default)
    {
        var all = await StillAllowedAsync(await HeldAsync(from, to, refresh, ct), null, ct);
        return new Computed<IReadOnlyList<TeacherCredit>>(all.Credits, all.ComputedAt);
    }

    /// <summary>One page of <see cref="PageSize"/> people, counting from 1; a page past the end is the last.</summary>
    public async Task<TeacherCreditPage> PageAsync(DateOnly? from, DateOnly? to, int page, bool refresh = false, CancellationToken ct = default) =>
        await StillAllowedAsync(await HeldAsync(from, to, refresh, ct), page, ct);

    /// <summary>Starts computing the whole list (no period) in the background if none is held (<see cref="InsightFigures.Warm"/>).</summary>
    public void Warm() => figures.Warm(db.CurrentOrganisationId, Key(null, null), Compute(null, null), credits => credits.Count);

    private Task<Computed<IReadOnlyList<TeacherCredit>>> HeldAsync(DateOnly? from, DateOnly? to, bool refresh, CancellationToken ct) =>
        figures.GetAsync(db.CurrentOrganisationId, Key(from, to), Compute(from, to), credits => credits.Count, refresh, ct);

    private static string Key(DateOnly? from, DateOnly? to) => $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}";

    private static Func<IServiceProvider, CancellationToken, Task<IReadOnlyList<TeacherCredit>>> Compute(DateOnly? from, DateOnly? to) =>
        (scope, ct) => scope.GetRequiredService<TeachingCredit>().ComputeAsync(from, to, ct);

    /// <summary>
    /// The credits of people who still allow it and are still here, all of them or one page, with the names and
    /// departments of the people shown as they are now.
    /// </summary>
    private async Task<TeacherCreditPage> StillAllowedAsync(Computed<IReadOnlyList<TeacherCredit>> held, int? page, CancellationToken ct)
    {
        var consenting = db.People.Where(p => p.IsActive && p.RecognitionVisibility == RecognitionVisibility.Organisation);
        var heldIds = held.Report.Select(c => c.PersonId).ToList();
        // Only ids for the whole list: with names, 50,000 consenting people cost ~0.3 s a view.
        var allowed = (held.Report.Count <= PageSize
            ? await consenting.Where(p => heldIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)
            : await consenting.Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var credits = held.Report.Where(c => allowed.Contains(c.PersonId)).ToList();
        var shownPage = Math.Clamp(page ?? 1, 1, Math.Max(1, (credits.Count + PageSize - 1) / PageSize));
        var shown = page is null ? credits : [.. credits.Skip((shownPage - 1) * PageSize).Take(PageSize)];
        var shownIds = shown.Select(c => c.PersonId).ToList();
        var named = await (page is null ? consenting : consenting.Where(p => shownIds.Contains(p.Id)))
            .Select(p => new { p.Id, p.DisplayName, p.Department }).ToDictionaryAsync(p => p.Id, ct);
        return new TeacherCreditPage([.. shown.Where(c => named.ContainsKey(c.PersonId))
            .Select(c => c with { Name = named[c.PersonId].DisplayName, Department = Person.DepartmentOrNone(named[c.PersonId].Department) })], credits.Count, shownPage, held.ComputedAt);
    }

    public async Task<IReadOnlyList<TeacherCredit>> ComputeAsync(DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
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
        var people = await consenting.Select(p => new { p.Id, p.DisplayName, p.Department }).ToDictionaryAsync(p => p.Id, ct);
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
