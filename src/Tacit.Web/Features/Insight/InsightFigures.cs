using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Web.Data;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Insight;

/// <summary>A report and the moment its figures were read from the database.</summary>
public sealed record Computed<T>(T Report, DateTimeOffset ComputedAt);

/// <summary>
/// Keeps each organisation's insight reports in this instance's memory. At 100,000 people a report groups hundreds of
/// thousands of sessions, wants and shares (seconds of database work), while its figures move slowly and serve
/// planning, not the minute: so a report is computed once, served from memory while it is younger than
/// <see cref="FreshFor"/>, and after that still served at once while a fresh one is computed in the background. Only
/// the first reader of a report (per instance, organisation and parameters) or one who asks for a refresh waits, and
/// readers who arrive during a computation wait for that one instead of starting another (docs/insight.md, "Speed").
/// </summary>
/// <remarks>
/// A computation runs in its own scope acting for the organisation, so a reader who leaves does not cancel the work
/// others wait for. What must never lag — who may be named (consent, deactivation, erasure) and names themselves — is
/// checked again by the report classes when they read a held report, not cached.
/// </remarks>
public sealed class InsightFigures(IServiceScopeFactory scopes, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<InsightFigures> logger)
    : IDisposable
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(10);

    /// <summary>Rows held across every organisation and parameter (each report counts its rows), so that many periods or cycles cannot exhaust memory.</summary>
    public const long RowLimit = 2_000_000;

    /// <summary>A report nobody reads for this long is dropped.</summary>
    private static readonly TimeSpan KeptUnread = TimeSpan.FromHours(1);

    private readonly MemoryCache held = new(new MemoryCacheOptions { SizeLimit = RowLimit });
    private readonly ConcurrentDictionary<string, Lazy<Task>> running = new();

    /// <summary>
    /// The report named by <paramref name="key"/> for the organisation: held if younger than <see cref="FreshFor"/>,
    /// held while a fresh one is computed if older, computed now if none is held or <paramref name="refresh"/> asks.
    /// </summary>
    /// <param name="compute">Reads the report from the database, with the services of a scope acting for the organisation.</param>
    /// <param name="rows">How many rows the report holds (its weight in memory).</param>
    public async Task<Computed<T>> GetAsync<T>(Guid organisationId, string key, Func<IServiceProvider, CancellationToken, Task<T>> compute,
        Func<T, int> rows, bool refresh, CancellationToken ct)
    {
        var entry = Entry<T>(organisationId, key);
        if (!refresh && held.TryGetValue(entry, out Computed<T>? kept) && kept is not null)
        {
            if (clock.GetUtcNow() - kept.ComputedAt >= FreshFor) _ = ComputeOnceAsync(entry, organisationId, compute, rows);
            return kept;
        }
        return await ComputeOnceAsync(entry, organisationId, compute, rows).WaitAsync(ct);
    }

    /// <summary>
    /// Starts computing the report in the background when none is held, so that the reader who opens it next finds it
    /// ready (the insight index warms each report it links to); does nothing when one is held or being computed.
    /// </summary>
    public void Warm<T>(Guid organisationId, string key, Func<IServiceProvider, CancellationToken, Task<T>> compute, Func<T, int> rows)
    {
        var entry = Entry<T>(organisationId, key);
        if (!held.TryGetValue(entry, out _)) _ = ComputeOnceAsync(entry, organisationId, compute, rows);
    }

    private static string Entry<T>(Guid organisationId, string key) => $"{typeof(T).Name}/{organisationId:N}/{key}";

    private Task<Computed<T>> ComputeOnceAsync<T>(string entry, Guid organisationId, Func<IServiceProvider, CancellationToken, Task<T>> compute, Func<T, int> rows)
    {
        var computation = running.GetOrAdd(entry, _ => new Lazy<Task>(() => ComputeAsync(entry, organisationId, compute, rows)));
        return (Task<Computed<T>>)computation.Value;
    }

    private async Task<Computed<T>> ComputeAsync<T>(string entry, Guid organisationId, Func<IServiceProvider, CancellationToken, Task<T>> compute, Func<T, int> rows)
    {
        await Task.Yield(); // the caller returns before the work starts, so a background refresh never holds up a reader
        try
        {
            var started = clock.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
            await using var withoutJit = await WithoutJitAsync(scope.ServiceProvider.GetService<TacitDbContext>());
            var report = new Computed<T>(await compute(scope.ServiceProvider, lifetime.ApplicationStopping), started);
            held.Set(entry, report, new MemoryCacheEntryOptions { Size = Math.Max(1, rows(report.Report)), SlidingExpiration = KeptUnread });
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Computing the insight report {Entry} failed", entry);
            throw;
        }
        finally
        {
            running.TryRemove(entry, out _);
        }
    }

    /// <summary>
    /// PostgreSQL compiles large groupings to machine code (JIT) when it expects them to be costly; for these reports the
    /// compiling cost more than it saved (761 ms of a 1,470 ms grouping at 100,000 people). The setting is made with
    /// <c>SET LOCAL</c> in a transaction of the computation's own, which ends (rolled back: a report only reads) when the
    /// computation does, and the setting with it. A plain <c>SET</c> would go back to the pool with the connection and
    /// hold for whoever took it next: connections are not reset on their return (DatabaseSetup, <c>Tuned</c>).
    /// </summary>
    private static async Task<IAsyncDisposable?> WithoutJitAsync(TacitDbContext? db)
    {
        if (db is not PostgresTacitDbContext) return null;
        var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off");
        return transaction;
    }

    public void Dispose() => held.Dispose();
}
