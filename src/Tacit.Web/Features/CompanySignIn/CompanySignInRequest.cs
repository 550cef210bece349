using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>The organisation whose company sign-in this request is about, with its provider (client secret readable).</summary>
public sealed record CompanySignInRequest(Guid OrganisationId, string Slug, CompanySignInProvider Provider, string ClientSecret);

/// <summary>
/// For the company sign-in addresses (<see cref="CompanySignInPaths"/>), finds the organisation named in the path and its
/// provider before authentication runs, so that the one OpenID Connect scheme works with that organisation's settings
/// for the whole request (<see cref="CompanySignInOptions"/>). Other requests pass untouched.
/// </summary>
public sealed class CompanySignInMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TacitDbContext db, IDataProtectionProvider protection)
    {
        if (SlugOf(context.Request.Path) is { } slug)
        {
            // Nobody is signed in yet, so no organisation filters the query: the path names the organisation.
            var found = await (from o in db.Organisations.IgnoreQueryFilters()
                               join p in db.Set<CompanySignInProvider>().IgnoreQueryFilters() on o.Id equals p.OrganisationId
                               where o.Slug == slug && p.Enabled
                               select new { o.Slug, Provider = p }).AsNoTracking().SingleOrDefaultAsync(context.RequestAborted);
            if (found is not null)
                context.Features.Set(new CompanySignInRequest(found.Provider.OrganisationId, found.Slug, found.Provider,
                    CompanySignInSettings.Protector(protection).Unprotect(found.Provider.ProtectedClientSecret)));
        }
        await next(context);
    }

    /// <summary>The URL name in /signin/company/{slug}[/callback] and /signout/company/{slug}[/callback]; null elsewhere.</summary>
    private static string? SlugOf(PathString path)
    {
        if (!path.HasValue) return null;
        var parts = path.Value.Split('/');
        if (parts.Length is < 4 or > 5 || parts[0] != "" || parts[1] is not ("signin" or "signout") || parts[2] != "company") return null;
        if (parts.Length == 5 && parts[4] != "callback") return null;
        var slug = parts[3].ToLowerInvariant();
        return slug.Length is > 0 and <= Domain.Organisations.Organisation.SlugMaxLength && slug.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? slug : null;
    }
}
