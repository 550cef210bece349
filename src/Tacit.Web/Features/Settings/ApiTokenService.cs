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
    public Task<(ApiToken Token, string Secret)> CreateAsync(Guid organisationId, string? name, Roles role, CancellationToken cancellationToken = default) =>
        CreateAsync(organisationId, name, role, ApiTokenScope.Api, cancellationToken);

    /// <summary>Creates a token for a role as Settings and the tacit command name it: member, facilitator, admin or scim.</summary>
    public Task<(ApiToken Token, string Secret)> CreateAsync(Guid organisationId, string? name, string? roleName, CancellationToken cancellationToken = default)
    {
        var (role, scope) = ParseRole(roleName);
        return CreateAsync(organisationId, name, role, scope, cancellationToken);
    }

    /// <summary>A token role's name, read as its role and scope; anything else is refused in words.</summary>
    public static (Roles Role, ApiTokenScope Scope) ParseRole(string? roleName)
    {
        if (string.Equals(roleName?.Trim(), ApiToken.ScimRoleName, StringComparison.OrdinalIgnoreCase)) return (Roles.Member, ApiTokenScope.Scim);
        return RoleNames.TryParse(roleName?.Trim(), out var role)
            ? (role, ApiTokenScope.Api)
            : throw new DomainException($"'{roleName}' is not a role; use member, facilitator, admin or scim.", nameof(ApiToken.Role));
    }

    private async Task<(ApiToken Token, string Secret)> CreateAsync(Guid organisationId, string? name, Roles role, ApiTokenScope scope, CancellationToken cancellationToken)
    {
        var created = ApiToken.Create(organisationId, name, role, clock.GetUtcNow(), scope);
        db.ApiTokens.Add(created.Token);
        audit.Record("token.created", created.Token.Name, $"role {created.Token.RoleName}");
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
