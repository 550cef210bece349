using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Xapi;

/// <summary>Creating, listing, revoking and checking an organisation's learning record store credentials.</summary>
public sealed class LrsCredentials(TacitDbContext db, TimeProvider clock, Audit.AuditLog audit)
{
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
    }

    /// <summary>
    /// The active credential with this key and secret, looked up across organisations (the key is what says which
    /// organisation asks); null for an unknown key, a wrong secret or a revoked credential.
    /// </summary>
    public async Task<LrsCredential?> CheckAsync(string key, string secret, CancellationToken cancellationToken = default)
    {
        var credential = await db.Set<LrsCredential>().IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, cancellationToken);
        return credential is not null && credential.Accepts(secret) ? credential : null;
    }
}
