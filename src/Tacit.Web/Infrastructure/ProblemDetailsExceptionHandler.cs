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
        _ when DatabaseUnreachable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>How long a client is asked to wait before trying again while the database cannot be reached.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// The database could not be reached or was busy (a connection refused or lost, a timeout, SQLite's lock): nothing
    /// was done, and the same request may well work in a moment, which 503 says. EF may wrap the provider's error.
    /// </summary>
    public static bool DatabaseUnreachable(Exception exception) =>
        exception is System.Data.Common.DbException { IsTransient: true } or TimeoutException
        || (exception.InnerException is { } inner && DatabaseUnreachable(inner));

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed the request at the error page; the path asked for is kept in this feature.
        var status = StatusOf(exception);
        // Pages (the error page) and the API alike ask a client to come back while the database is away.
        if (status == StatusCodes.Status503ServiceUnavailable)
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (!path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && path != "/api") return false;
        var title = status switch
        {
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status403Forbidden => "Forbidden",
            StatusCodes.Status409Conflict => "Conflict",
            StatusCodes.Status422UnprocessableEntity => "Invalid request",
            StatusCodes.Status503ServiceUnavailable => "Unavailable for a moment",
            StatusCodes.Status500InternalServerError => "Something went wrong",
            _ => "Bad request",
        };
        // An unexpected failure's message is for the log, not for the caller.
        var detail = status switch
        {
            StatusCodes.Status500InternalServerError => "Tacit could not finish this request.",
            StatusCodes.Status503ServiceUnavailable => "Tacit cannot reach its database just now. Try again in a moment.",
            _ => exception.Message,
        };
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (exception is DomainException { Field: { } field })
            details.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [exception.Message] };
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
