using Tacit.Web.Api;
using Tacit.Web.Components;
using Tacit.Web.Features.CalendarFeeds;
using Tacit.Web.Features.Reminders;
using Tacit.Web.Features.Scim;
using Tacit.Web.Features.Xapi;
using Tacit.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
    builder.WebHost.UseUrls(Tacit.Web.Infrastructure.LinkOptions.ListeningAddress(builder.Configuration));

builder.Services.AddTacitCore(builder.Configuration);
builder.Services.AddTacitWeb();
builder.Services.AddTacitReminderRunner(builder.Configuration);

var app = builder.Build();

// Behind a reverse proxy that terminates TLS (docs/operations.md), the scheme and client address are the proxy's to
// say, and only a trusted proxy's (Proxy:Trusted; loopback by default): cookies are then Secure, HSTS is sent and
// redirects stay on https.
app.UseForwardedHeaders(ProxyOptions.From(app.Configuration));
app.UseMiddleware<BaseUrlRedirectsMiddleware>();
app.UseMiddleware<HeadAsGetMiddleware>();
// The API's failures become problem details (ProblemDetailsExceptionHandler); a page's show the error page.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/error",
    CreateScopeForErrors = true,
    StatusCodeSelector = ProblemDetailsExceptionHandler.StatusOf,
    // An unexpected failure is logged even when the API's handler answered it (its cause is for the log, never the
    // answer); the failures a use case reports on purpose (404, 409, 422...) are not.
    SuppressDiagnosticsCallback = context => ProblemDetailsExceptionHandler.StatusOf(context.Exception) < StatusCodes.Status500InternalServerError,
});
// The API answers bare errors with problem details; pages show a page.
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
// The learning record store answers as the xAPI specification says, never with a page.
app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments(Tacit.Web.Features.Xapi.XapiEndpoint.Path)
        && !context.Request.Path.StartsWithSegments(Tacit.Web.Features.Scim.ScimEndpoint.Path),
    pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseMiddleware<ControlCharacterQueryMiddleware>();
app.UseMiddleware<UnreadableFormMiddleware>();
if (!app.Environment.IsDevelopment()) app.UseHsts();
// Routing after the status code pages, so that a re-executed request (a 404 or 403) is routed to its page.
app.UseRouting();
app.MapStaticAssets();
// Company sign-in's addresses name an organisation; its provider is found before the handler runs (ADR-008).
app.UseMiddleware<Tacit.Web.Features.CompanySignIn.CompanySignInMiddleware>();
app.UseAuthentication();
app.UseMiddleware<CurrentUserMiddleware>();
app.UseAuthorization();
app.UseMiddleware<Tacit.Web.Features.Notifications.UnreadCountMiddleware>();
app.UseAntiforgery();
// Last before the endpoints: an API write with an Idempotency-Key runs, with its stored answer, in one transaction.
app.UseMiddleware<IdempotencyMiddleware>();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapTacitApi();
app.MapXapi();
Tacit.Web.Features.CompanySignIn.CompanySignInEndpoints.MapCompanySignIn(app);
app.MapCalendarFeed();
app.MapScim();
app.MapRazorComponents<App>();

await DatabaseSetup.MigrateAsync(app.Services);
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
