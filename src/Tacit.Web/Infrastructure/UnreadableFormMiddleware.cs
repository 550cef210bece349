namespace Tacit.Web.Infrastructure;

/// <summary>
/// Reads a posted form before the page does, so that one the framework cannot read is refused with 400 and a reason
/// on the error page, not with an empty answer: a form-encoded body holding NUL (<c>%00</c>), which its decoder refuses.
/// A multipart body carries NUL through; the guards where each field enters refuse it there, as they do other control characters.
/// </summary>
public sealed class UnreadableFormMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The error page is re-executed with the same request: let it say what was wrong. Only pages post forms: the API
        // and the learning record store read their own bodies (/xapi takes form posts and multipart in its own way).
        if (context.Request.HasFormContentType && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null
            && !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/xapi")
            && !context.Request.Path.StartsWithSegments(Features.Scim.ScimEndpoint.Path))
        {
            try
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }
            // The framework's decoder refuses NUL as "invalid characters"; a malformed body fails the same way.
            catch (InvalidDataException e)
            {
                throw new BadHttpRequestException("The form could not be read: it holds a control character (such as NUL), or is malformed. Remove it and try again.", e);
            }
        }
        await next(context);
    }
}
