namespace Tacit.Web.Infrastructure;

/// <summary>
/// Answers HEAD as GET without the body (RFC 9110 §9.3.2), for every page and endpoint: uptime monitors and link
/// checkers ask HEAD, and pages and endpoints are mapped for GET only. Runs before routing, which matches on the method.
/// </summary>
public sealed class HeadAsGetMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var body = context.Response.Body;
        context.Request.Method = HttpMethods.Get;
        context.Response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
            context.Request.Method = HttpMethods.Head;
        }
    }
}
