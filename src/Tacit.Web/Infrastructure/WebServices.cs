using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Tacit.Domain.People;

namespace Tacit.Web.Infrastructure;

public static class WebServices
{
    public static IServiceCollection AddTacitWeb(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // Background work of the web host: match runs, notification emails, webhooks, offer expiry, forgetting old Idempotency-Keys
        // and letting go those of requests cut off by a database outage, check-ins and account mail (the tacit command does none).
        services.AddHostedService<Features.Cycles.MatchRunWorker>();
        services.AddSingleton<Features.Notifications.Chat.ChatPoster>();
        services.AddHostedService<Features.Notifications.NotificationMailer>();
        services.AddHostedService<Features.Webhooks.WebhookSender>();
        // The statements Tacit writes go on to the organisation's own LRS or HR system, when it set one (Settings).
        services.AddHttpClient(Features.Xapi.StatementForwarder.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<Features.Xapi.StatementForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Xapi.StatementForwarder>());
        services.AddSingleton<Features.Retention.RetentionSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Retention.RetentionSweep>());
        services.AddSingleton<Features.Offers.DueWork>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Offers.DueWork>());
        services.AddHostedService(sp => sp.GetRequiredService<Features.Account.AccountMailer>());
        services.AddScoped<Api.IdempotencyKeys>();
        services.AddSingleton<Api.IdempotencyKeyReleases>();
        services.AddHostedService(sp => sp.GetRequiredService<Api.IdempotencyKeyReleases>());
        services.AddHttpContextAccessor();
        services.AddCascadingAuthenticationState();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(Api.ApiEnums.Converter()));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi(Api.OpenApiTransformers.Describe);
        services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        // One default scheme that picks the bearer token when one is sent and the sign-in cookie otherwise, so the
        // organisation is known before any feature (and the tenant filter) runs.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Policies.CookieOrToken;
                o.DefaultChallengeScheme = Policies.CookieOrToken;
            })
            // Tokens are for the API (and SCIM tokens for /scim/v2) only: a page asked for with a token is asked as if by nobody (and so signs in).
            .AddPolicyScheme(Policies.CookieOrToken, "Sign-in cookie or API token", o => o.ForwardDefaultSelector = context =>
                (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments(Features.Scim.ScimEndpoint.Path))
                && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthentication.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/forbidden";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events.OnRedirectToLogin = ApiAnswersWithStatus(StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ApiAnswersWithStatus(StatusCodes.Status403Forbidden);
            }));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.Scheme, null);
        // Company sign-in: one OpenID Connect scheme whose options are each request's organisation's (ADR-008).
        services.AddSingleton<Features.CompanySignIn.CompanySignInOptions>();
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions, Features.CompanySignIn.CompanySignInHandler>(
                Features.CompanySignIn.CompanySignInHandler.SchemeName, "Company sign-in", null);
        services.AddIdentityCore<Data.TacitUser>().AddSignInManager();
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // How the person signed in (password or company) outlives the refresh, so sign-out can offer the provider's.
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(System.Security.Claims.ClaimTypes.AuthenticationMethod) is { } method
                    && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity
                    && !identity.HasClaim(c => c.Type == method.Type))
                    identity.AddClaim(new System.Security.Claims.Claim(method.Type, method.Value));
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Member, p => p.RequireRole(RoleNames.Member))
            .AddPolicy(Policies.Facilitator, p => p.RequireRole(RoleNames.Facilitator))
            .AddPolicy(Policies.Admin, p => p.RequireRole(RoleNames.Admin));
        return services;
    }

    /// <summary>The API never redirects to a sign-in page: it answers 401 or 403.</summary>
    private static Func<Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions>, Task> ApiAnswersWithStatus(int status) =>
        context =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.StatusCode = status;
                // RFC 9110: a 401 names the scheme that would be accepted.
                if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Tacit\"";
            }
            else context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
}
