using Microsoft.EntityFrameworkCore;

namespace Tacit.Web.Data;

/// <summary>
/// One transaction around a whole request: an <c>Idempotency-Key</c> request runs in one
/// (<see cref="Api.IdempotencyMiddleware"/>), so that its writes and its stored answer commit together or not at all.
/// Use cases join it (<see cref="UseCaseTransaction"/>). What reaches outside the database's transaction — a reminder
/// stored by Quartz over its own connection, waking the match-run worker — waits until it commits
/// (<see cref="AfterCommitAsync"/>): on SQLite, Quartz would otherwise wait for the very lock this transaction holds,
/// and elsewhere act on rows not yet visible, or never to be.
/// </summary>
public sealed class RequestTransaction(TacitDbContext db)
{
    private List<Func<CancellationToken, Task>>? _waiting;

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns true and rolled back otherwise.</summary>
    public async Task<bool> RunAsync(Func<Task<bool>> work, CancellationToken ct)
    {
        List<Func<CancellationToken, Task>> waiting = [];
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            _waiting = waiting;
            if (!await work()) return false;
            // Once the answer is stored, the client leaving does not undo it.
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException e) when (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            throw new DatabaseConnectionLostException(e);
        }
        finally
        {
            _waiting = null;
        }
        foreach (var then in waiting) await then(CancellationToken.None);
        return true;
    }

    /// <summary>Does <paramref name="work"/> now, or, inside <see cref="RunAsync"/>, once its transaction has committed.</summary>
    public Task AfterCommitAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        if (_waiting is null) return work(ct);
        _waiting.Add(work);
        return Task.CompletedTask;
    }
}
