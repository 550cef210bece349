using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>
/// The options of the one company sign-in scheme, per organisation: those of the organisation the request names
/// (<see cref="CompanySignInRequest"/>), built once per organisation and settings change and kept (each with its
/// discovery document and signing keys, fetched and refreshed by its own configuration manager); a dormant set, which
/// handles no address, for every other request. ADR-008 says why this and not a scheme per organisation.
/// </summary>
public sealed class CompanySignInOptions(IHttpContextAccessor http, IDataProtectionProvider protection, TimeProvider clock)
    : IOptionsMonitor<OpenIdConnectOptions>
{
    /// <summary>How long a person may take at their provider before the sign-in they started is refused.</summary>
    public static readonly TimeSpan StartedSignInLifetime = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Version, OpenIdConnectOptions Options)> _byOrganisation = new();
    private readonly Lazy<OpenIdConnectOptions> _dormant = new(() => Dormant(protection, clock));

    public OpenIdConnectOptions CurrentValue => Get(Options.DefaultName);

    public OpenIdConnectOptions Get(string? name)
    {
        if (http.HttpContext?.Features.Get<CompanySignInRequest>() is not { } request) return _dormant.Value;
        var version = request.Provider.UpdatedAt;
        if (_byOrganisation.TryGetValue(request.OrganisationId, out var kept) && kept.Version == version) return kept.Options;
        var options = For(request);
        _byOrganisation[request.OrganisationId] = (version, options);
        return options;
    }

    public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;

    private OpenIdConnectOptions For(CompanySignInRequest request)
    {
        var provider = request.Provider;
        var options = new OpenIdConnectOptions
        {
            Authority = provider.Issuer,
            RequireHttpsMetadata = provider.Issuer.StartsWith("https:", StringComparison.Ordinal),
            ClientId = provider.ClientId,
            ClientSecret = request.ClientSecret,
            ResponseType = OpenIdConnectResponseType.Code,
            // The code comes back in the query of a top-level navigation, so the correlation and nonce cookies can be
            // SameSite=Lax (a form_post would need SameSite=None, which browsers refuse without https).
            ResponseMode = OpenIdConnectResponseMode.Query,
            UsePkce = true,
            CallbackPath = CompanySignInPaths.Callback(request.Slug),
            SignedOutCallbackPath = CompanySignInPaths.SignedOutCallback(request.Slug),
            RemoteSignOutPath = CompanySignInPaths.SignedOutCallback(request.Slug) + "/front-channel",
            SignInScheme = IdentityConstants.ExternalScheme,
            // Claims keep the names the provider gave them (sub, email, upn), which the admin's email claim names.
            MapInboundClaims = false,
            GetClaimsFromUserInfoEndpoint = true,
            SaveTokens = false,
            BackchannelTimeout = TimeSpan.FromSeconds(10),
            RemoteAuthenticationTimeout = StartedSignInLifetime,
            TimeProvider = clock,
            Events = CompanySignInEvents.For(request.OrganisationId, request.Slug),
            // The state is sealed for this organisation alone: a state made for another organisation cannot be read here.
            StateDataFormat = new PropertiesDataFormat(protection.CreateProtector(typeof(CompanySignInHandler).FullName!, "state", request.OrganisationId.ToString("N"))),
        };
        options.Scope.Clear();
        foreach (var scope in provider.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) options.Scope.Add(scope);
        options.ClaimActions.MapUniqueJsonKey(provider.EmailClaim, provider.EmailClaim);
        options.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
        // What every id_token must say: this provider issued it, for this organisation's client. The handler checks
        // the signature against the provider's published keys, the lifetime, the nonce and, with the code, PKCE.
        options.TokenValidationParameters.ValidIssuers = [provider.Issuer, provider.Issuer + "/"];
        options.TokenValidationParameters.ValidAudience = provider.ClientId;
        options.TokenValidationParameters.NameClaimType = "name";
        Cookies(options);
        new OpenIdConnectPostConfigureOptions(protection).PostConfigure(CompanySignInHandler.SchemeName, options);
        return options;
    }

    private static void Cookies(OpenIdConnectOptions options)
    {
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
    }

    /// <summary>Options for requests about no organisation: their addresses are no request's, so the handler stays out.</summary>
    private static OpenIdConnectOptions Dormant(IDataProtectionProvider protection, TimeProvider clock)
    {
        var options = new OpenIdConnectOptions
        {
            CallbackPath = "/signin/company-none/callback",
            SignedOutCallbackPath = "/signout/company-none/callback",
            RemoteSignOutPath = "/signout/company-none/front-channel",
            SignInScheme = IdentityConstants.ExternalScheme,
            ClientId = "none",
            Configuration = new OpenIdConnectConfiguration(),
            TimeProvider = clock,
        };
        new OpenIdConnectPostConfigureOptions(protection).PostConfigure(CompanySignInHandler.SchemeName, options);
        return options;
    }
}
