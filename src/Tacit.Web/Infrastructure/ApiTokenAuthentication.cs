using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tacit.Domain.Integrations;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Infrastructure;

/// <summary>
/// Bearer tokens for integrations: "Authorization: Bearer tacit_...". Looked up by hash only. An integration calls
/// many times a second, so what the database says of a token is kept for <see cref="KeptFor"/>: revoking it takes
/// effect at once on the instance that revoked it (<see cref="Forget"/>) and within that time on the others.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, TacitDbContext db, IMemoryCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "ApiToken";

    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(10);

    /// <summary>Drops what this instance remembers of the token, so that its revocation counts from the next request.</summary>
    public static void Forget(IMemoryCache cache, string hash) => cache.Remove(("api-token", hash));

    /// <summary>RFC 6750: a refused token is answered with the scheme and why, so a client knows what to send.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"Tacit\", error=\"invalid_token\"";
        return Task.CompletedTask;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(ApiToken.SecretPrefix, StringComparison.Ordinal)) return AuthenticateResult.Fail("Not a Tacit token.");

        var hash = ApiToken.HashOf(secret);
        // Only tokens that exist are kept: random guesses must not fill the cache.
        if (!cache.TryGetValue(("api-token", hash), out ApiToken? token))
        {
            token = await db.ApiTokens.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash);
            if (token is not null) cache.Set(("api-token", hash), token, KeptFor);
        }
        if (token is null || !token.IsActive) return AuthenticateResult.Fail("Unknown or revoked token.");

        // A token acts with its role and everything below it, as a person holding that role would. A SCIM token has no
        // role, so every API policy refuses it, and only it carries the claim /scim/v2 asks for.
        var roles = token.Scope == ApiTokenScope.Scim ? [] : RoleNames.Of(RoleNames.Including(token.Role));
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, $"token:{token.Name}"),
            new(TacitClaims.Organisation, token.OrganisationId.ToString()),
            new(TacitClaims.Token, token.Id.ToString()),
        };
        if (token.Scope == ApiTokenScope.Scim) claims.Add(new Claim(TacitClaims.Scim, "true"));
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme));
    }
}
