using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>What Tacit adds to the OpenID Connect handler's steps for one organisation.</summary>
internal static class CompanySignInEvents
{
    /// <summary>The organisation a sign-in was started for, sealed in its state and checked when it comes back.</summary>
    public const string OrganisationItem = "tacit.organisation";
    public const string ExpiresItem = "tacit.expires";
    public const string LoginHintItem = "tacit.login_hint";

    public static OpenIdConnectEvents For(Guid organisationId, string slug) => new()
    {
        OnRedirectToIdentityProvider = context =>
        {
            context.Properties.Items[OrganisationItem] = organisationId.ToString("N");
            context.Properties.Items[ExpiresItem] = context.Options.TimeProvider!.GetUtcNow().Add(CompanySignInOptions.StartedSignInLifetime)
                .ToString("O", CultureInfo.InvariantCulture);
            if (context.Properties.Items.TryGetValue(LoginHintItem, out var hint)) context.ProtocolMessage.LoginHint = hint;
            // The redirect URI is the one Settings shows (from App:BaseUrl), never made from the request's Host header;
            // the handler keeps it in the state and redeems the code with the same.
            context.ProtocolMessage.RedirectUri = Links(context.HttpContext).To(CompanySignInPaths.Callback(slug));
            context.HttpContext.Items[BaseUrlRedirectsMiddleware.LeavesTacit] = true;
            return Task.CompletedTask;
        },
        // RP-initiated logout names the client, so that the provider may send the person back to Tacit.
        OnRedirectToIdentityProviderForSignOut = context =>
        {
            context.ProtocolMessage.ClientId = context.Options.ClientId;
            context.ProtocolMessage.PostLogoutRedirectUri = Links(context.HttpContext).To(CompanySignInPaths.SignedOutCallback(slug));
            context.HttpContext.Items[BaseUrlRedirectsMiddleware.LeavesTacit] = true;
            return Task.CompletedTask;
        },
        // A state older than its lifetime is refused before its code is redeemed (the correlation cookie, which the
        // browser drops at the same age, is the other half of this).
        OnMessageReceived = context =>
        {
            if (context.Properties is { } properties
                && (!properties.Items.TryGetValue(ExpiresItem, out var expires)
                    || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                    || at < context.Options.TimeProvider!.GetUtcNow()))
                context.Fail(new AuthenticationFailureException(StaleMessage));
            return Task.CompletedTask;
        },
        OnTicketReceived = async context =>
        {
            var properties = context.Properties!;
            var request = context.HttpContext.Features.Get<CompanySignInRequest>();
            context.HandleResponse();
            if (request?.OrganisationId != organisationId || !properties.Items.TryGetValue(OrganisationItem, out var started)
                || started != organisationId.ToString("N"))
            {
                context.Response.Redirect(CompanySignInPaths.Problem(CompanySignInOutcome.Stale));
                return;
            }
            var outcome = await context.HttpContext.RequestServices.GetRequiredService<JustInTimeSignIn>()
                .SignInAsync(request, context.Principal!, context.HttpContext.RequestAborted);
            context.Response.Redirect(outcome == CompanySignInOutcome.SignedIn
                ? LocalPaths.IsLocal(properties.RedirectUri) ? properties.RedirectUri! : "/"
                : CompanySignInPaths.Problem(outcome));
        },
        OnRemoteFailure = context =>
        {
            var why = WhyFailed(context.Failure);
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CompanySignInEvents))
                .LogWarning("Company sign-in for {Organisation} did not finish ({Why}): {Failure}", slug, why, context.Failure?.Message);
            context.HandleResponse();
            context.Response.Redirect(CompanySignInPaths.Problem(why));
            return Task.CompletedTask;
        },
    };

    private static LinkBuilder Links(HttpContext context) => context.RequestServices.GetRequiredService<LinkBuilder>();

    private const string StaleMessage = "The sign-in was started too long ago.";

    private static string WhyFailed(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or TaskCanceledException or TimeoutException) return CompanySignInOutcome.Unreachable;
            if (e.Message.Contains("IDX20803", StringComparison.Ordinal)) return CompanySignInOutcome.Unreachable;
            if (e.Message is StaleMessage or "Correlation failed." || e.Message.Contains("message.State", StringComparison.Ordinal))
                return CompanySignInOutcome.Stale;
        }
        return CompanySignInOutcome.Refused;
    }
}

/// <summary>How a company sign-in ended, as the problem page's <c>why</c> names it.</summary>
public static class CompanySignInOutcome
{
    public const string SignedIn = "signed-in";
    public const string Unknown = "unknown";
    public const string OtherDomain = "other-domain";
    public const string NoEmail = "no-email";
    public const string Unverified = "unverified";
    public const string Deactivated = "deactivated";
    public const string Elsewhere = "elsewhere";
    public const string LinkedToAnother = "linked-to-another";
    public const string Stale = "stale";
    public const string Refused = "refused";
    public const string Unreachable = "unreachable";
    public const string NotConfigured = "not-configured";

    /// <summary>What the problem page says for each; null for a code it does not know.</summary>
    public static string? Explain(string? why) => why switch
    {
        Unknown => "Your company account is not in your organisation's Tacit directory. Ask an admin of your organisation to add you.",
        OtherDomain => "Your company account's email is not one of the domains your organisation signs in with.",
        NoEmail => "Your company's provider did not say your email, so Tacit cannot tell who you are. Ask an admin to check the email claim in Settings.",
        Unverified => "Your company's provider says your email is not verified. Verify it there and try again.",
        Deactivated => "Your account has been deactivated. Ask an admin of your organisation.",
        Elsewhere => "Your email already signs in to another organisation on this Tacit server, so it cannot join this one.",
        LinkedToAnother => "Your Tacit account is linked to another company account. Ask an admin of your organisation.",
        Stale => "This sign-in was already used, took too long, or was started for another organisation. Start again.",
        Refused => "Your company's provider answered, but its answer could not be trusted (wrong issuer, audience or signature, or it refused). Try again; if it goes on, tell an admin of your organisation.",
        Unreachable => "Tacit could not reach your company's sign-in provider. Try again in a few minutes; if it goes on, tell an admin of your organisation.",
        NotConfigured => "No organisation with company sign-in has that URL name.",
        _ => null,
    };
}
