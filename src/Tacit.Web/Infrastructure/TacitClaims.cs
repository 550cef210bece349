using System.Security.Claims;
using Tacit.Domain.People;

namespace Tacit.Web.Infrastructure;

/// <summary>The claims Tacit puts in a sign-in (<see cref="TacitClaimsFactory"/>) or a token (<see cref="ApiTokenAuthentication"/>), and how to read them.</summary>
public static class TacitClaims
{
    public const string Organisation = "tacit:org";
    public const string Person = "tacit:person";
    public const string Token = "tacit:token";
    /// <summary>On a SCIM token only: it opens /scim/v2 and carries no role, so it opens nothing else.</summary>
    public const string Scim = "tacit:scim";

    internal static Guid OrganisationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Organisation), out var id) ? id : Guid.Empty;

    internal static Guid PersonId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Person), out var id) ? id : Guid.Empty;

    internal static Guid TokenId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Token), out var id) ? id : Guid.Empty;

    public static bool Is(this ClaimsPrincipal user, Roles role) => user.IsInRole(role.ToString());
}
