using Tacit.Domain;

namespace Tacit.Web.Infrastructure;

/// <summary>
/// Refuses a request whose query string holds a control character (<c>?q=a%00b</c>) with 400, before any query reaches
/// the database: PostgreSQL cannot take NUL in text, and no search or filter a person types contains one.
/// </summary>
public sealed class ControlCharacterQueryMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // The error page is re-executed with the same query: let it say what was wrong.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null) return next(context);
        foreach (var (_, values) in context.Request.Query)
        {
            if (values.Any(Guard.HasControlCharacter))
                throw new BadHttpRequestException("The address holds a control character (such as NUL); remove it and try again.");
        }
        return next(context);
    }
}
