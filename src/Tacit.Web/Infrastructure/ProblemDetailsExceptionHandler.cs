using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Tacit.Domain;

namespace Tacit.Web.Infrastructure;

/// <summary>
/// The one place where failures get their status: RFC 9457 problem details for the API; for pages the status, with the
/// error page (Components/Pages/Error.razor) as the body.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public static int StatusOf(Exception exception) => exception switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        ForbiddenException => StatusCodes.Status403Forbidden,
        ConflictException => StatusCodes.Status409Conflict,
        DomainException => StatusCodes.Status422UnprocessableEntity,
        BadHttpRequestException bad => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed the request at the error page; the path asked for is kept in this feature.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (!path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && path != "/api") return false;
        var status = StatusOf(exception);
        var title = status switch
        {
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status403Forbidden => "Forbidden",
            StatusCodes.Status409Conflict => "Conflict",
            StatusCodes.Status422UnprocessableEntity => "Invalid request",
            StatusCodes.Status500InternalServerError => "Something went wrong",
            _ => "Bad request",
        };
        // An unexpected failure's message is for the log, not for the caller.
        var detail = status == StatusCodes.Status500InternalServerError ? "Tacit could not finish this request." : exception.Message;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (exception is DomainException { Field: { } field })
            details.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [exception.Message] };
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
