using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Infrastructure;

/// <summary>Puts the organisation, person and roles into the sign-in cookie.</summary>
public sealed class TacitClaimsFactory(UserManager<TacitUser> users, IOptions<IdentityOptions> options, TacitDbContext db, Tenancy.TenantContext tenant)
    : UserClaimsPrincipalFactory<TacitUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(TacitUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!tenant.HasOrganisation) tenant.Use(user.OrganisationId);
        var person = await db.People.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(p => p.Id == user.PersonId && p.OrganisationId == user.OrganisationId);
        identity.AddClaim(new Claim(TacitClaims.Organisation, user.OrganisationId.ToString()));
        identity.AddClaim(new Claim(TacitClaims.Person, user.PersonId.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.GivenName, person.DisplayName));
        foreach (var role in RoleNames.Of(RoleNames.Including(person.Roles)))
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        return identity;
    }
}
