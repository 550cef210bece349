using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>What Tacit does with a person its provider vouches for but the directory does not know.</summary>
public enum UnknownPeople
{
    Refuse,
    AddAsMembers,
}

/// <summary>
/// An organisation's OpenID Connect provider (docs/security.md, "Company sign-in"): at most one per organisation. The
/// client secret is kept encrypted with ASP.NET Core Data Protection (Tacit must send it back to the provider), never
/// shown again and never logged.
/// </summary>
public sealed class CompanySignInProvider : ITenantOwned
{
    public const int IssuerMaxLength = 300;
    public const int ClientIdMaxLength = 200;
    public const int ClientSecretMaxLength = 500;
    public const int ScopesMaxLength = 300;
    public const int ClaimMaxLength = 100;
    public const int DomainsMaxLength = 1000;
    public const string DefaultScopes = "openid email profile";
    public const string DefaultEmailClaim = "email";

    private CompanySignInProvider() { }

    public CompanySignInProvider(Guid organisationId, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        OrganisationId = organisationId;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Issuer { get; private set; } = "";
    public string ClientId { get; private set; } = "";
    public string ProtectedClientSecret { get; private set; } = "";
    public string Scopes { get; private set; } = DefaultScopes;
    public string EmailClaim { get; private set; } = DefaultEmailClaim;
    /// <summary>Lower-case domains, separated by spaces; empty means any domain (for people already in the directory).</summary>
    public string AllowedDomains { get; private set; } = "";
    public UnknownPeople UnknownPeople { get; private set; }
    public bool Required { get; private set; }
    /// <summary>The one admin who keeps signing in with a password while company sign-in is required.</summary>
    public Guid? BreakGlassPersonId { get; private set; }
    public bool Enabled { get; private set; }
    /// <summary>When the settings last changed: each instance rebuilds its handler options when this moves.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<string> Domains => AllowedDomains.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool AllowsDomainOf(string email) =>
        Domains.Count == 0 || Domains.Contains(email[(email.LastIndexOf('@') + 1)..], StringComparer.OrdinalIgnoreCase);

    /// <summary>Changes every setting together; a null protected secret keeps the one stored.</summary>
    /// <exception cref="DomainException">A setting is refused; the field says which.</exception>
    public void Change(CompanySignInChange change, string? protectedSecret, DateTimeOffset now)
    {
        Issuer = IssuerOf(change.Issuer);
        ClientId = Guard.Required(change.ClientId, nameof(ClientId), "Client id", ClientIdMaxLength);
        if (protectedSecret is not null) ProtectedClientSecret = protectedSecret;
        if (ProtectedClientSecret.Length == 0) throw new DomainException("Client secret is required.", "ClientSecret");
        var scopes = Guard.Optional(change.Scopes, nameof(Scopes), "Scopes", ScopesMaxLength)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0) scopes = [.. DefaultScopes.Split(' ')];
        if (!scopes.Contains("openid", StringComparer.Ordinal)) scopes.Insert(0, "openid");
        Scopes = string.Join(' ', scopes);
        EmailClaim = Guard.Optional(change.EmailClaim, nameof(EmailClaim), "Email claim", ClaimMaxLength) is { Length: > 0 } claim ? claim : DefaultEmailClaim;
        if (EmailClaim.Any(char.IsWhiteSpace)) throw new DomainException("The email claim is one claim name, such as email or upn.", nameof(EmailClaim));
        var domains = Guard.Optional(change.AllowedDomains, nameof(AllowedDomains), "Allowed email domains", DomainsMaxLength)
            .Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.TrimStart('@').ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (domains.FirstOrDefault(d => Uri.CheckHostName(d) != UriHostNameType.Dns || !d.Contains('.', StringComparison.Ordinal)) is { } bad)
            throw new DomainException($"“{bad}” is not an email domain, such as example.com.", nameof(AllowedDomains));
        AllowedDomains = string.Join(' ', domains);
        // Adding whoever the provider vouches for, from any domain, would let in anyone with an account at a shared
        // provider (any Google account, say).
        if (change.UnknownPeople == UnknownPeople.AddAsMembers && domains.Count == 0)
            throw new DomainException("List the email domains whose unknown people may join as members.", nameof(AllowedDomains));
        if (!Enum.IsDefined(change.UnknownPeople)) throw new DomainException("Choose what happens to people the directory does not know.", nameof(UnknownPeople));
        UnknownPeople = change.UnknownPeople;
        if (change.Required && change.BreakGlassPersonId is null)
            throw new DomainException("Choose the admin who keeps a password, in case the provider is away.", nameof(BreakGlassPersonId));
        Required = change.Required;
        BreakGlassPersonId = change.Required ? change.BreakGlassPersonId : null;
        Enabled = change.Enabled;
        UpdatedAt = now;
    }

    /// <summary>
    /// The provider's issuer: https, or http on this machine only (a provider run beside Tacit, as the tests do). It is
    /// also where its discovery document is (issuer + /.well-known/openid-configuration), and what every id_token it
    /// signs must name as its issuer.
    /// </summary>
    private static string IssuerOf(string? value)
    {
        var text = Guard.Required(value, nameof(Issuer), "Issuer", IssuerMaxLength);
        const string discovery = "/.well-known/openid-configuration";
        if (text.EndsWith(discovery, StringComparison.OrdinalIgnoreCase)) text = text[..^discovery.Length];
        text = text.TrimEnd('/');
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            throw new DomainException("The issuer is the provider's https address, such as https://login.microsoftonline.com/<tenant>/v2.0.", nameof(Issuer));
        return text;
    }
}

/// <summary>The settings an admin gives, all at once.</summary>
public sealed record CompanySignInChange(string? Issuer, string? ClientId, string? Scopes, string? EmailClaim, string? AllowedDomains,
    UnknownPeople UnknownPeople, bool Required, Guid? BreakGlassPersonId, bool Enabled);

internal sealed class CompanySignInProviderConfiguration : IEntityTypeConfiguration<CompanySignInProvider>
{
    public void Configure(EntityTypeBuilder<CompanySignInProvider> e)
    {
        e.ToTable("CompanySignInProviders");
        e.Property(p => p.Issuer).HasMaxLength(CompanySignInProvider.IssuerMaxLength);
        e.Property(p => p.ClientId).HasMaxLength(CompanySignInProvider.ClientIdMaxLength);
        e.Property(p => p.ProtectedClientSecret).HasMaxLength(4000);
        e.Property(p => p.Scopes).HasMaxLength(CompanySignInProvider.ScopesMaxLength);
        e.Property(p => p.EmailClaim).HasMaxLength(CompanySignInProvider.ClaimMaxLength);
        e.Property(p => p.AllowedDomains).HasMaxLength(CompanySignInProvider.DomainsMaxLength);
        e.Property(p => p.UnknownPeople).HasConversion<string>().HasMaxLength(20);
        e.Ignore(p => p.Domains);
        e.HasIndex(p => p.OrganisationId).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
