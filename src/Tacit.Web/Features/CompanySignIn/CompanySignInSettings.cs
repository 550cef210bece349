using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>The organisation's company sign-in as its admins see it: everything but the client secret.</summary>
public sealed record CompanySignInView(bool Configured, bool Enabled, string Issuer, string ClientId, bool HasClientSecret, string Scopes,
    string EmailClaim, string AllowedDomains, UnknownPeople UnknownPeople, bool Required, Guid? BreakGlassPersonId, string RedirectUri,
    string SignedOutRedirectUri, IReadOnlyList<AdminChoice> Admins);

/// <summary>An active admin, who may be the one keeping a password.</summary>
public sealed record AdminChoice(Guid PersonId, string Name, string Email);

/// <summary>Reading and changing the organisation's company sign-in (admins only: the page and its policy say so).</summary>
public sealed class CompanySignInSettings(TacitDbContext db, IDataProtectionProvider protection, LinkBuilder links, TimeProvider clock,
    Audit.AuditLog audit)
{
    public async Task<CompanySignInView> ReadAsync(CancellationToken cancellationToken = default)
    {
        var slug = await db.Organisations.Where(o => o.Id == db.CurrentOrganisationId).Select(o => o.Slug).SingleAsync(cancellationToken);
        var provider = await db.Set<CompanySignInProvider>().AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var admins = (await db.People.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.DisplayName).ThenBy(p => p.Id)
                .Select(p => new { p.Id, p.DisplayName, p.Email, p.Roles }).ToListAsync(cancellationToken))
            .Where(p => p.Roles.HasFlag(Roles.Admin)).Select(p => new AdminChoice(p.Id, p.DisplayName, p.Email)).ToList();
        var redirect = links.To(CompanySignInPaths.Callback(slug));
        var signedOut = links.To(CompanySignInPaths.SignedOutCallback(slug));
        return provider is null
            ? new(false, false, "", "", false, CompanySignInProvider.DefaultScopes, CompanySignInProvider.DefaultEmailClaim, "", UnknownPeople.Refuse,
                false, null, redirect, signedOut, admins)
            : new(true, provider.Enabled, provider.Issuer, provider.ClientId, provider.ProtectedClientSecret.Length > 0, provider.Scopes,
                provider.EmailClaim, provider.AllowedDomains, provider.UnknownPeople, provider.Required, provider.BreakGlassPersonId, redirect,
                signedOut, admins);
    }

    /// <summary>Saves every setting at once. An empty <paramref name="clientSecret"/> keeps the stored one.</summary>
    /// <exception cref="DomainException">A setting is refused; the field says which.</exception>
    public async Task SaveAsync(CompanySignInChange change, string? clientSecret, CancellationToken cancellationToken = default)
    {
        var secret = string.IsNullOrWhiteSpace(clientSecret) ? null
            : Guard.Required(clientSecret, "ClientSecret", "Client secret", CompanySignInProvider.ClientSecretMaxLength);
        if (change.Required)
        {
            var breakGlass = change.BreakGlassPersonId is { } id
                ? await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.IsActive, cancellationToken)
                : null;
            if (breakGlass is null || !breakGlass.Roles.HasFlag(Roles.Admin))
                throw new DomainException("Choose an active admin of this organisation to keep a password.", nameof(CompanySignInChange.BreakGlassPersonId));
        }
        var now = clock.GetUtcNow();
        var provider = await db.Set<CompanySignInProvider>().SingleOrDefaultAsync(cancellationToken);
        if (provider is null)
        {
            provider = new CompanySignInProvider(db.CurrentOrganisationId, now);
            db.Add(provider);
        }
        provider.Change(change, secret is null ? null : Protector(protection).Protect(secret), now);
        // Never the secret, not even its length: only that it changed.
        audit.Record("company-sign-in.changed", provider.Issuer,
            $"client {provider.ClientId}; {(provider.Enabled ? "on" : "off")}; {(provider.Required ? "required" : "optional")}; unknown people: "
            + (provider.UnknownPeople == UnknownPeople.AddAsMembers ? "added as members" : "refused") + (secret is null ? "" : "; new client secret"));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The protector of client secrets: one purpose, so nothing else Tacit protects can be read as a secret.</summary>
    internal static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("Tacit.CompanySignIn.ClientSecret.v1");
}

/// <summary>The addresses of company sign-in, each naming the organisation by its URL name.</summary>
public static class CompanySignInPaths
{
    public static string Start(string slug) => $"/signin/company/{Uri.EscapeDataString(slug)}";

    /// <summary>The redirect URI to register at the provider.</summary>
    public static string Callback(string slug) => $"/signin/company/{Uri.EscapeDataString(slug)}/callback";

    public static string SignOut(string slug) => $"/signout/company/{Uri.EscapeDataString(slug)}";

    /// <summary>Where the provider sends people back after signing them out (its post-logout redirect URI).</summary>
    public static string SignedOutCallback(string slug) => $"/signout/company/{Uri.EscapeDataString(slug)}/callback";

    /// <summary>The page that says why company sign-in did not finish.</summary>
    public static string Problem(string why) => $"/signin/problem?why={Uri.EscapeDataString(why)}";
}
