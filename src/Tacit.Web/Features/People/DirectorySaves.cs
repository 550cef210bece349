using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Tacit.Domain.People;

namespace Tacit.Web.Features.People;

/// <summary>
/// Tells <see cref="DirectoryIndex"/> of each organisation whose people a context on this instance saved, so its next
/// search looks for changes at once. Told when the save is durable: at once, or when the transaction it was made in
/// commits. Told earlier, a search in between would read the database before the commit and keep that answer.
/// One instance serves every pooled context; what each context saved is kept beside it.
/// </summary>
public sealed class DirectorySaves(DirectoryIndex directory) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class Saves
    {
        public List<Guid> Saving { get; set; } = [];
        public HashSet<Guid> Uncommitted { get; } = [];
    }

    private readonly ConditionalWeakTable<DbContext, Saves> saves = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Started(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Started(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Started(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Started(eventData.Context);
        return Task.CompletedTask;
    }

    private void Remember(DbContext? context)
    {
        if (context is null) return;
        saves.GetOrCreateValue(context).Saving =
            [.. context.ChangeTracker.Entries<Person>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                .Select(e => e.Entity.OrganisationId).Distinct()];
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !saves.TryGetValue(context, out var saved)) return;
        if (context.Database.CurrentTransaction is not null) saved.Uncommitted.UnionWith(saved.Saving);
        else Tell(saved.Saving);
        saved.Saving = [];
    }

    private void Forget(DbContext? context)
    {
        if (context is not null && saves.TryGetValue(context, out var saved)) saved.Saving = [];
    }

    /// <summary>A new transaction (or one rolled back) starts with nothing waiting to be told.</summary>
    private void Started(DbContext? context)
    {
        if (context is not null && saves.TryGetValue(context, out var saved)) saved.Uncommitted.Clear();
    }

    private void Committed(DbContext? context)
    {
        if (context is null || !saves.TryGetValue(context, out var saved)) return;
        Tell(saved.Uncommitted);
        saved.Uncommitted.Clear();
    }

    private void Tell(IEnumerable<Guid> organisations)
    {
        foreach (var organisation in organisations) directory.PeopleSaved(organisation);
    }
}
