using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Web.Data;

namespace Tacit.Web.Features.People;

/// <summary>
/// Keeps each organisation's <see cref="DirectorySnapshot"/> in this instance's memory and up to date with the database,
/// which every instance may write to (docs/decisions/ADR-005-directory-in-memory.md).
/// <para>
/// Every write to a person's directory columns stamps the row's <c>DirectoryChange</c> (a trigger, so imports, the
/// CLI and other instances are covered too). A search asks the database for the rows stamped at or after this
/// instance's token, in one indexed query that normally returns none, when the last such check is over
/// <see cref="FreshFor"/> old or when this instance saved a change to someone since (<see cref="PeopleSaved"/>). Rows
/// that differ from the snapshot make a new snapshot. So a search sees at once what was saved through its own
/// instance, and within a second what was saved anywhere else.
/// </para>
/// <list type="bullet">
/// <item>PostgreSQL stamps the writing transaction's id; the token is the oldest transaction still running when the
/// changes were read (every older one has finished, so its rows were seen). Rows of transactions still running are
/// read again next time, which is why only rows that differ from the snapshot count as changes.</item>
/// <item>SQLite has one writer at a time, so a counter per organisation does: the token is one past the highest seen.</item>
/// </list>
/// An organisation's directory leaves memory after half an hour without a search.
/// </summary>
public sealed class DirectoryIndex(IMemoryCache cache, TimeProvider clock)
{
    public const string ChangeColumn = "DirectoryChange";

    /// <summary>How long a check of the database counts, for changes saved through other instances or the CLI.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan KeptUnused = TimeSpan.FromMinutes(30);

    /// <summary>Told by the database context after it saved changes to people of the organisation, through this instance.</summary>
    public void PeopleSaved(Guid organisationId)
    {
        if (cache.TryGetValue(("directory", organisationId), out OrganisationDirectory? organisation)) organisation!.Saved();
    }

    /// <summary>The organisation's directory as the database has it now.</summary>
    public async Task<DirectorySnapshot> CurrentAsync(TacitDbContext db, CancellationToken cancellationToken = default)
    {
        var organisation = cache.GetOrCreate(("directory", db.CurrentOrganisationId), entry =>
        {
            entry.SlidingExpiration = KeptUnused;
            return new OrganisationDirectory();
        })!;
        var known = organisation.State;
        if (organisation.IsFresh(known, clock)) return known.Snapshot;

        // One search at a time asks the database. The others use the snapshot they have (a second old at most) rather
        // than wait, unless there is none yet (on a cold start the first read of 100,000 people must not be repeated by
        // every waiting request) or this instance saved someone since (its user must find what they saved).
        var mustWait = !known.HasBeenRead || known.Saves != organisation.Saves;
        if (!await organisation.Gate.WaitAsync(mustWait ? Timeout.Infinite : 0, cancellationToken)) return known.Snapshot;
        try
        {
            var current = organisation.State;
            if (organisation.IsFresh(current, clock)) return current.Snapshot;
            var (saves, checkedAt) = (organisation.Saves, clock.GetTimestamp());
            var (rows, token) = await ChangesSinceAsync(db, current.Token, cancellationToken);
            var changed = rows.Where(row => !row.Equals(current.Snapshot.Find(row.Id))).ToList();
            var next = new DirectoryState(current.Snapshot.With(changed), token, saves, checkedAt);
            organisation.State = next;
            return next.Snapshot;
        }
        finally
        {
            organisation.Gate.Release();
        }
    }

    private static async Task<(List<DirectoryEntry> Rows, long Token)> ChangesSinceAsync(TacitDbContext db, long token, CancellationToken cancellationToken)
    {
        if (db is PostgresTacitDbContext)
        {
            // One statement, so the horizon belongs to the same snapshot as the rows. The join keeps one row when nothing changed.
            var rows = await db.Database.SqlQueryRaw<ChangedRow>("""
                SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "Horizon",
                       p."Id", p."DisplayName", p."JobTitle", p."Department", p."Location", p."SearchText", p."IsActive"
                FROM (SELECT 1) AS one
                LEFT JOIN "People" AS p ON p."OrganisationId" = @organisation AND p."DirectoryChange" >= @token
                """, new Npgsql.NpgsqlParameter("organisation", db.CurrentOrganisationId), new Npgsql.NpgsqlParameter("token", token))
                .ToListAsync(cancellationToken);
            return ([.. rows.Where(r => r.Id is not null).Select(r => r.Entry())], rows[0].Horizon);
        }
        var changed = await db.People.AsNoTracking()
            .Where(p => EF.Property<long>(p, ChangeColumn) >= token)
            .Select(p => new { Entry = new DirectoryEntry(p.Id, p.DisplayName, p.JobTitle, p.Department, p.Location, p.SearchText, p.IsActive), Change = EF.Property<long>(p, ChangeColumn) })
            .ToListAsync(cancellationToken);
        return ([.. changed.Select(c => c.Entry)], changed.Count == 0 ? token : changed.Max(c => c.Change) + 1);
    }

    /// <param name="Saves">How many saves through this instance the snapshot includes.</param>
    /// <param name="CheckedAt">When the database was last asked (a <see cref="TimeProvider"/> timestamp).</param>
    private sealed record DirectoryState(DirectorySnapshot Snapshot, long Token, long Saves, long CheckedAt)
    {
        /// <summary>False only for the state before the first read, which no count of saves matches.</summary>
        public bool HasBeenRead => Saves >= 0;
    }

    private sealed class OrganisationDirectory
    {
        private DirectoryState _state = new(DirectorySnapshot.Empty, 0, -1, 0);
        private long _saves;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Saves => Interlocked.Read(ref _saves);

        public void Saved() => Interlocked.Increment(ref _saves);

        /// <summary>Replaced only under <see cref="Gate"/>; read by any search.</summary>
        public DirectoryState State
        {
            get => Volatile.Read(ref _state);
            set => Volatile.Write(ref _state, value);
        }

        /// <summary>Nothing saved through this instance since, and the database asked less than <see cref="FreshFor"/> ago.</summary>
        public bool IsFresh(DirectoryState state, TimeProvider clock) =>
            state.Saves == Saves && clock.GetElapsedTime(state.CheckedAt) < FreshFor;
    }

    /// <summary>A changed person, or a row of nulls when nothing changed, with the PostgreSQL horizon.</summary>
    private sealed class ChangedRow
    {
        public long Horizon { get; init; }
        public Guid? Id { get; init; }
        public string? DisplayName { get; init; }
        public string? JobTitle { get; init; }
        public string? Department { get; init; }
        public string? Location { get; init; }
        public string? SearchText { get; init; }
        public bool? IsActive { get; init; }

        public DirectoryEntry Entry() => new(Id!.Value, DisplayName!, JobTitle!, Department!, Location!, SearchText!, IsActive!.Value);
    }
}
