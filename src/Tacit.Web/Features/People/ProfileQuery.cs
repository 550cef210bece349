using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;

namespace Tacit.Web.Features.People;

/// <summary>A share, want or report of the profile's person: one row shape (every side of the union sets every property), so the three come in one query.</summary>
public sealed class ProfileItem
{
    public const int Share = 1, Want = 2, Report = 3;
    public int? Kind { get; init; }
    public string? Name { get; init; }
    public int? Level { get; init; }
    public int? SessionsPerCycle { get; init; }
    public bool? AcceptsGroups { get; init; }
    public int? MaxGroupSize { get; init; }
    public Priority? Priority { get; init; }
    public Guid? ReportId { get; init; }
}

/// <summary>What the profile page shows of a person, apart from recognition (read only when <see cref="HasSessions"/>).</summary>
public sealed record ProfileRead(Person Person, string? ManagerName, bool HasAccount, bool HasSessions, IReadOnlyList<ProfileItem> Items);

/// <summary>
/// The profile page's read: one query for the person, their manager's name, whether they have an account and any
/// sessions, joined to one list of their shares, wants and reports. The profile is the most visited page of a large
/// directory, so the query is compiled once per database provider: EF then skips walking and looking up this large
/// expression on every request (about a seventh of the page's work).
/// </summary>
public static class ProfileQuery
{
    public sealed record Row(Person Person, string? ManagerName, bool HasAccount, bool HasSessions, ProfileItem? Item);

    public static async Task<ProfileRead?> ReadAsync(TacitDbContext db, Guid personId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var rows = db switch
        {
            PostgresTacitDbContext postgres => For<PostgresTacitDbContext>.Run(postgres, personId, now),
            SqliteTacitDbContext sqlite => For<SqliteTacitDbContext>.Run(sqlite, personId, now),
            _ => throw new NotSupportedException(db.GetType().Name),
        };
        var read = new List<Row>();
        await foreach (var row in rows.WithCancellation(cancellationToken)) read.Add(row);
        if (read.Count == 0) return null;
        var first = read[0];
        return new ProfileRead(first.Person, first.ManagerName, first.HasAccount, first.HasSessions,
            [.. read.Select(r => r.Item).Where(i => i is { Kind: not null }).Select(i => i!)]);
    }

    /// <summary>A compiled query keeps the SQL of the first context it ran on, so each provider has its own.</summary>
    private static class For<TContext> where TContext : TacitDbContext
    {
        public static readonly Func<TContext, Guid, DateTimeOffset, IAsyncEnumerable<Row>> Run = EF.CompileAsyncQuery(
            (TContext db, Guid id, DateTimeOffset now) =>
                from p in db.People.AsNoTracking().Where(p => p.Id == id)
                from m in db.People.Where(m => m.Id == p.ManagerId).DefaultIfEmpty()
                from item in db.Shares.Where(s => s.PersonId == id).Join(db.Skills, s => s.SkillId, k => k.Id,
                        (s, k) => new ProfileItem { Kind = ProfileItem.Share, Name = k.Name, Level = s.Level, SessionsPerCycle = s.SessionsPerCycle, AcceptsGroups = s.AcceptsGroups, MaxGroupSize = s.MaxGroupSize, Priority = null, ReportId = null })
                    .Concat(db.Wants.Where(w => w.PersonId == id).Join(db.Skills, w => w.SkillId, k => k.Id,
                        (w, k) => new ProfileItem { Kind = ProfileItem.Want, Name = k.Name, Level = null, SessionsPerCycle = null, AcceptsGroups = null, MaxGroupSize = null, Priority = w.Priority, ReportId = null }))
                    .Concat(db.People.Where(r => r.ManagerId == id && r.IsActive)
                        .Select(r => new ProfileItem { Kind = ProfileItem.Report, Name = r.DisplayName, Level = null, SessionsPerCycle = null, AcceptsGroups = null, MaxGroupSize = null, Priority = null, ReportId = r.Id }))
                    .DefaultIfEmpty()
                select new Row(p, m == null ? null : m.DisplayName,
                    db.Users.Any(u => u.PersonId == p.Id && u.PasswordHash != null),
                    // The sessions that count for recognition, as in RecognitionQueries.SessionsOf (a compiled query cannot call it).
                    db.Sessions.Any(s => (s.TeacherId == id || s.LearnerIds.Contains(id)) && s.Status == SessionStatus.Scheduled && s.StartsAt < now),
                    item));
    }
}
