using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>
/// What the sign-in page and the password doors ask of company sign-in: which organisation's provider a typed email or
/// URL name leads to, and whether a person may still use a password.
/// </summary>
public sealed class CompanySignInLookup(TacitDbContext db)
{
    /// <summary>
    /// The URL name of the organisation whose provider signs in <paramref name="emailOrSlug"/>: by URL name, or by the
    /// email's domain when exactly one organisation lists it. Never by whether an account uses the email, so the answer
    /// says nothing about who has an account (ADR-007).
    /// </summary>
    public async Task<string?> OrganisationForAsync(string? emailOrSlug, CancellationToken cancellationToken = default)
    {
        if (Guard.OptionalProblem(emailOrSlug, "Email", Guard.EmailMaxLength) is not null) return null;
        var text = emailOrSlug!.Trim().ToLowerInvariant();
        if (text.Length == 0) return null;
        var enabled = from o in db.Organisations.IgnoreQueryFilters()
                      join p in db.Set<CompanySignInProvider>().IgnoreQueryFilters() on o.Id equals p.OrganisationId
                      where p.Enabled
                      select new { o.Slug, p.AllowedDomains };
        var at = text.LastIndexOf('@');
        if (at < 0) return await enabled.Where(e => e.Slug == text).Select(e => e.Slug).SingleOrDefaultAsync(cancellationToken);
        var domain = " " + text[(at + 1)..] + " ";
        var claiming = await enabled.Where(e => (" " + e.AllowedDomains + " ").Contains(domain)).Select(e => e.Slug).Take(2).ToListAsync(cancellationToken);
        return claiming.Count == 1 ? claiming[0] : null;
    }

    /// <summary>
    /// Whether the current organisation has company sign-in switched on: then everyone in its directory can sign in without
    /// a Tacit password, so nobody needs an invitation to set one.
    /// </summary>
    public Task<bool> EnabledAsync(CancellationToken cancellationToken = default) =>
        db.Set<CompanySignInProvider>().AnyAsync(p => p.Enabled, cancellationToken);

    /// <summary>Whether the organisation requires company sign-in of this person (everyone but its break-glass admin).</summary>
    public Task<bool> RequiredForAsync(Guid organisationId, Guid personId, CancellationToken cancellationToken = default) =>
        db.Set<CompanySignInProvider>().IgnoreQueryFilters()
            .AnyAsync(p => p.OrganisationId == organisationId && p.Enabled && p.Required && p.BreakGlassPersonId != personId, cancellationToken);
}
