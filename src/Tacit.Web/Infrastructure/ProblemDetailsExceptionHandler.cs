using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Tacit.Domain;

namespace Tacit.Web.Infrastructure;

/// <summary>A resource that does not exist in the caller's organisation (or at all: the two look the same).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The one place where failures become RFC 9457 problem details for the API.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!httpContext.Request.Path.StartsWithSegments("/api")) return false;
        var (status, title) = exception switch
        {
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            Features.Skills.ForbiddenException or Domain.Offers.ForbiddenActionException => (StatusCodes.Status403Forbidden, "Forbidden"),
            ConflictException => (StatusCodes.Status409Conflict, "Conflict"),
            DomainException => (StatusCodes.Status422UnprocessableEntity, "Invalid request"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            _ => (0, ""),
        };
        if (status == 0) return false;

        var details = new ProblemDetails { Status = status, Title = title, Detail = exception.Message };
        if (exception is DomainException { Field: { } field })
            details.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [exception.Message] };
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
