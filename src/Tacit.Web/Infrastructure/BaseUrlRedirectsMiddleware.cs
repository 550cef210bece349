namespace Tacit.Web.Infrastructure;

/// <summary>
/// A redirect names Tacit by <c>App:BaseUrl</c>, never by the request's Host header, which any client can forge.
/// Blazor's redirects (after signing in, and every form's) and the sign-in cookie's are made absolute from the request,
/// so just before the answer goes out an absolute Location is put onto the base address. Tacit sends people only to
/// itself, and to an organisation's company sign-in provider (which says so with <see cref="LeavesTacit"/>), so no
/// other Location is left pointing anywhere else.
/// </summary>
public sealed class BaseUrlRedirectsMiddleware(RequestDelegate next, LinkBuilder links)
{
    /// <summary>The request item that marks a redirect to a company's sign-in provider, made from its discovery document.</summary>
    public const string LeavesTacit = "tacit.redirect-leaves-tacit";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (!context.Items.ContainsKey(LeavesTacit) && Uri.TryCreate(headers.Location.ToString(), UriKind.Absolute, out var location) && location.Scheme is "http" or "https")
                headers.Location = links.To(location.PathAndQuery + location.Fragment);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
