using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// Creating, listing, revoking and checking an organisation's learning record store credentials. A tool sending
/// statements one by one presents its credential many times a second, so a successful check is kept for
/// <see cref="KeptFor"/> (as API tokens are): revoking takes effect at once on the instance that revoked it and within
/// that time on the others. Only verified pairs of key and secret hash are kept, so wrong secrets never fill the cache.
/// </summary>
public sealed class LrsCredentials(TacitDbContext db, TimeProvider clock, Audit.AuditLog audit, IMemoryCache cache)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(10);

    private static (string, string, string) CacheKey(string key, string secretHash) => ("lrs-credential", key, secretHash);

    public async Task<(LrsCredential Credential, string Secret)> CreateAsync(Guid organisationId, string? name, CancellationToken cancellationToken = default)
    {
        var created = LrsCredential.Create(organisationId, name, clock.GetUtcNow());
        db.Set<LrsCredential>().Add(created.Credential);
        audit.Record("lrs-credential.created", created.Credential.Name, created.Credential.Key);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    public Task<List<LrsCredential>> ListAsync(CancellationToken cancellationToken = default) =>
        db.Set<LrsCredential>().AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);

    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var credential = await db.Set<LrsCredential>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("No such credential.");
        credential.Revoke(clock.GetUtcNow());
        audit.Record("lrs-credential.revoked", credential.Name, credential.Key);
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(CacheKey(credential.Key, credential.SecretHash));
    }

    /// <summary>
    /// The active credential with this key and secret, looked up across organisations (the key is what says which
    /// organisation asks); null for an unknown key, a wrong secret or a revoked credential.
    /// </summary>
    public async Task<LrsCredential?> CheckAsync(string key, string secret, CancellationToken cancellationToken = default)
    {
        var cacheKey = CacheKey(key, LrsCredential.HashOf(secret));
        if (cache.TryGetValue(cacheKey, out LrsCredential? known)) return known;
        var credential = await db.Set<LrsCredential>().IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, cancellationToken);
        if (credential is null || !credential.Accepts(secret)) return null;
        cache.Set(cacheKey, credential, KeptFor);
        return credential;
    }
}
