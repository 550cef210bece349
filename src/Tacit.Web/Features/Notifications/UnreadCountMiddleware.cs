using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

/// <summary>
/// Counts the signed-in person's unread notifications once per page request, before the page renders, so the
/// header can show it without a second query racing the page's own queries on the same database context.
/// </summary>
public sealed class UnreadCountMiddleware(RequestDelegate next)
{
    public const string ItemKey = "tacit:unread";

    public async Task InvokeAsync(HttpContext context, Inbox inbox, CurrentUser current)
    {
        // Not on the error page: the failure it shows may be the database's, and the count would fail again.
        if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api")
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null
            && current.PersonId is { } me)
        {
            context.Items[ItemKey] = await inbox.UnreadForHeaderAsync(me, context.RequestAborted);
        }
        await next(context);
    }
}
