using Microsoft.EntityFrameworkCore.Storage;

namespace Tacit.Web.Data;

/// <summary>
/// The transaction of a use case that writes several rows, all or nothing. When the request already runs in one (an
/// <c>Idempotency-Key</c> request, <see cref="RequestTransaction"/>) the use case joins it, and the request commits its
/// writes with its answer; otherwise the use case begins and commits its own.
/// </summary>
public sealed class UseCaseTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _own;

    private UseCaseTransaction(IDbContextTransaction? own) => _own = own;

    public static async Task<UseCaseTransaction> BeginAsync(TacitDbContext db, CancellationToken ct) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null);

    public Task CommitAsync(CancellationToken ct) => _own?.CommitAsync(ct) ?? Task.CompletedTask;

    /// <summary>Rolls back what was not committed; a joined transaction is the request's to end.</summary>
    public ValueTask DisposeAsync() => _own?.DisposeAsync() ?? ValueTask.CompletedTask;
}
