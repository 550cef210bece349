using Microsoft.AspNetCore.Authentication;
using Tacit.Domain;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>
/// Where a company sign-in starts (the sign-in page sends people here) and where the provider's sign-out is offered.
/// The callbacks themselves are the OpenID Connect handler's (<see cref="CompanySignInPaths"/>).
/// </summary>
public static class CompanySignInEndpoints
{
    public static IEndpointRouteBuilder MapCompanySignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin/company/{slug}", StartAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/signout/company/{slug}", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext context, string slug, string? returnUrl, string? email, ILoggerFactory logs)
    {
        if (context.Features.Get<CompanySignInRequest>() is null) return Results.Redirect(CompanySignInPaths.Problem(CompanySignInOutcome.NotConfigured));
        var properties = new AuthenticationProperties { RedirectUri = LocalPaths.IsLocal(returnUrl) ? returnUrl : "/" };
        if (email is not null && Guard.EmailProblem(email) is null) properties.Items[CompanySignInEvents.LoginHintItem] = email.Trim();
        try
        {
            await context.ChallengeAsync(CompanySignInHandler.SchemeName, properties);
            return Results.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            // The discovery document could not be fetched: the provider is away, or the issuer is wrong.
            logs.CreateLogger(typeof(CompanySignInEndpoints)).LogWarning("Company sign-in for {Organisation} could not reach its provider: {Failure}", slug, e.Message);
            return Results.Redirect(CompanySignInPaths.Problem(CompanySignInOutcome.Unreachable));
        }
    }

    /// <summary>Sends the person (already signed out of Tacit) to their provider's end-session endpoint.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, string slug, ILoggerFactory logs)
    {
        if (context.Features.Get<CompanySignInRequest>() is null) return Results.Redirect("/signin");
        try
        {
            await context.SignOutAsync(CompanySignInHandler.SchemeName, new AuthenticationProperties { RedirectUri = "/signin" });
            return Results.Empty;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("end session endpoint", StringComparison.OrdinalIgnoreCase))
        {
            // The provider offers no sign-out (Google): the person is signed out of Tacit, which is all there is to do.
            return Results.Redirect("/signin");
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            logs.CreateLogger(typeof(CompanySignInEndpoints)).LogWarning("Company sign-out for {Organisation} could not reach its provider: {Failure}", slug, e.Message);
            return Results.Redirect(CompanySignInPaths.Problem(CompanySignInOutcome.Unreachable));
        }
    }
}
