using Tacit.Domain;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Integrations;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Settings;

/// <summary>Creating, listing and revoking an organisation's integration tokens.</summary>
public sealed class ApiTokenService(TacitDbContext db, TimeProvider clock, Microsoft.Extensions.Caching.Memory.IMemoryCache cache, Audit.AuditLog audit)
{
    public async Task<(ApiToken Token, string Secret)> CreateAsync(Guid organisationId, string? name, Roles role, CancellationToken cancellationToken = default)
    {
        var created = ApiToken.Create(organisationId, name, role, clock.GetUtcNow());
        db.ApiTokens.Add(created.Token);
        audit.Record("token.created", created.Token.Name, $"role {created.Token.Role.ToString().ToLowerInvariant()}");
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    public Task<List<ApiToken>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ApiTokens.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken);

    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new NotFoundException("No such token.");
        token.Revoke(clock.GetUtcNow());
        audit.Record("token.revoked", token.Name);
        await db.SaveChangesAsync(cancellationToken);
        ApiTokenAuthentication.Forget(cache, token.Hash);
    }
}
