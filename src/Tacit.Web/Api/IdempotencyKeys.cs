using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Api;

/// <summary>
/// The <c>Idempotency-Key</c>s of the request's organisation (<see cref="IdempotencyMiddleware"/>): claiming one before a
/// write runs, storing the answer in the write's own transaction, letting the key go when the write took no effect,
/// and forgetting keys a day old.
/// </summary>
public sealed class IdempotencyKeys(TacitDbContext db, TimeProvider clock, IdempotencyKeyReleases releases, ILogger<IdempotencyKeys> logger)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    /// <summary>
    /// A request still in flight after this is taken to have died with its instance, and a retry takes the key over.
    /// Should it still be running, it can no longer store its answer (<see cref="AnswerAsync"/>), so it commits nothing.
    /// </summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Claims the key for this request and returns its row: without a status, this request holds the key and runs; with
    /// one, an earlier request with the key took effect and the row holds its answer. Refuses the key while an earlier
    /// request with it is in flight (409), and when it came with a different request (422).
    /// </summary>
    public async Task<IdempotentRequest> ClaimAsync(Guid callerId, string key, byte[] fingerprint, CancellationToken ct)
    {
        // A key can change hands between two looks (answered, let go, forgotten, taken over): look again, a few times.
        for (var look = 0; look < 3; look++)
        {
            var now = clock.GetUtcNow();
            if (await TryInsertAsync(callerId, key, fingerprint, now, ct) is { } claimed) return claimed;
            if (await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.CallerId == callerId && r.Key == key, ct) is not { } held) continue;
            if (held.ExpiresAt > now)
            {
                if (!held.Fingerprint.AsSpan().SequenceEqual(fingerprint))
                    throw new DomainException("This Idempotency-Key came with a different request; send a new key with a new request.", IdempotencyMiddleware.KeyHeader);
                if (held.Status is not null) return held;
                if (now - held.AttemptedAt < StalledAfter) break;
            }
            if (await TryTakeOverAsync(held, fingerprint, now, ct) is { } taken) return taken;
        }
        throw new ConflictException("A request with this Idempotency-Key is still in progress; ask again in a moment for its answer.");
    }

    /// <summary>A new row for the key, committed at once and on its own so that a second request with the key meets it; null when the key is held.</summary>
    private async Task<IdempotentRequest?> TryInsertAsync(Guid callerId, string key, byte[] fingerprint, DateTimeOffset now, CancellationToken ct)
    {
        var claim = new IdempotentRequest
        {
            Id = Guid.CreateVersion7(now), OrganisationId = db.CurrentOrganisationId, CallerId = callerId, Key = key,
            Fingerprint = fingerprint, Attempt = Guid.CreateVersion7(now), AttemptedAt = now, ExpiresAt = now + KeptFor,
        };
        db.IdempotentRequests.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return claim;
        }
        catch (ConflictException)
        {
            return null; // the unique index: the key is held already
        }
        finally
        {
            db.Entry(claim).State = EntityState.Detached;
        }
    }

    /// <summary>Takes over a key forgotten, or left in flight by a request that died, unless another retry or a late answer got there first.</summary>
    private async Task<IdempotentRequest?> TryTakeOverAsync(IdempotentRequest held, byte[] fingerprint, DateTimeOffset now, CancellationToken ct)
    {
        var attempt = Guid.CreateVersion7(now);
        var taken = await db.IdempotentRequests
            .Where(r => r.Id == held.Id && r.Attempt == held.Attempt && (r.Status == null || r.ExpiresAt <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Attempt, attempt).SetProperty(r => r.AttemptedAt, now).SetProperty(r => r.ExpiresAt, now + KeptFor)
                .SetProperty(r => r.Fingerprint, fingerprint).SetProperty(r => r.Status, (int?)null)
                .SetProperty(r => r.ContentType, (string?)null).SetProperty(r => r.Location, (string?)null).SetProperty(r => r.Body, (byte[]?)null), ct);
        return taken == 0 ? null : new IdempotentRequest
        {
            Id = held.Id, OrganisationId = held.OrganisationId, CallerId = held.CallerId, Key = held.Key,
            Fingerprint = fingerprint, Attempt = attempt, AttemptedAt = now, ExpiresAt = now + KeptFor,
        };
    }

    /// <summary>
    /// Stores the answer of the write that holds the key, in the write's transaction; false when a retry took the key
    /// over meanwhile (then the write must not commit).
    /// </summary>
    public async Task<bool> AnswerAsync(IdempotentRequest claim, int status, string? contentType, string? location, byte[] body) =>
        await db.IdempotentRequests.Where(r => r.Id == claim.Id && r.Attempt == claim.Attempt && r.Status == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status).SetProperty(r => r.ContentType, contentType)
                .SetProperty(r => r.Location, location).SetProperty(r => r.Body, body), CancellationToken.None) == 1;

    /// <summary>
    /// Lets the key go after a request that took no effect (it failed, or was refused), so that a retry runs afresh. If
    /// the database cannot be reached just now, the key is let go as soon as it is back (<see cref="IdempotencyKeyReleases"/>).
    /// </summary>
    public async Task ReleaseAsync(IdempotentRequest claim)
    {
        try
        {
            await LetGoAsync(db, claim, CancellationToken.None);
        }
        catch (Exception e) when (Infrastructure.ProblemDetailsExceptionHandler.DatabaseUnreachable(e))
        {
            logger.LogWarning("Could not let an Idempotency-Key go with the database away; it is let go once the database is back.");
            releases.LetGoLater(claim);
        }
        catch (System.Data.Common.DbException e)
        {
            logger.LogWarning(e, "Could not let an Idempotency-Key go; a retry takes it over after {StalledAfter}.", StalledAfter);
        }
    }

    /// <summary>
    /// Deletes the key's row while this attempt still holds it unanswered. By its id, whatever the organisation in scope:
    /// <see cref="IdempotencyKeyReleases"/> does it outside any request.
    /// </summary>
    internal static Task<int> LetGoAsync(TacitDbContext db, IdempotentRequest claim, CancellationToken ct) =>
        db.IdempotentRequests.IgnoreQueryFilters().Where(r => r.Id == claim.Id && r.Attempt == claim.Attempt && r.Status == null)
            .ExecuteDeleteAsync(ct);

    /// <summary>Removes the keys a day old of every organisation (a sweep's work, not a request's); returns how many.</summary>
    public Task<int> ForgetExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.IdempotentRequests.IgnoreQueryFilters().Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
