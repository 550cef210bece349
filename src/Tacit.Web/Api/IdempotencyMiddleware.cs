using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Tacit.Domain;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> on the API's writes (POST, PUT, PATCH, DELETE under /api; docs/api.md, "Retries and
/// Idempotency-Key"). A request with the header claims the key for its sender (<see cref="IdempotencyKeys"/>) and runs
/// in one transaction (<see cref="RequestTransaction"/>) that commits its writes and its answer together, so a write
/// took effect exactly when its answer is stored. A retry with the same key and request is given that answer again,
/// marked <c>Idempotent-Replayed: true</c>. A write that took no effect (an error, a refusal) lets the key go.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task InvokeAsync(HttpContext context, CurrentUser current, IdempotencyKeys keys, RequestTransaction transaction)
    {
        var key = context.Request.Headers[KeyHeader].ToString();
        // A person's keys are theirs, a token's its own; nobody signed in (the demo's loading) has none to keep.
        if (key.Length == 0 || !IsApiWrite(context.Request) || (current.PersonId ?? current.TokenId) is not { } caller)
        {
            await next(context);
            return;
        }
        if (key.Length > IdempotentRequest.KeyMaxLength || key.Any(c => c is < '!' or > '~'))
            throw new BadHttpRequestException($"An Idempotency-Key is 1 to {IdempotentRequest.KeyMaxLength} visible ASCII characters, such as a UUID.");

        var ct = context.RequestAborted;
        var claim = await keys.ClaimAsync(caller, key, await FingerprintAsync(context.Request, ct), ct);
        if (claim.Status is { } status)
        {
            await ReplayAsync(context.Response, status, claim, ct);
            return;
        }

        // The answer is held back until it is stored: nothing reaches the client of a write that did not commit.
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var answer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(answer));
        bool stored;
        try
        {
            stored = await transaction.RunAsync(async () =>
            {
                await next(context);
                var response = context.Response;
                if (response.StatusCode is < 200 or > 299) return false;
                var location = response.Headers.Location.ToString();
                return await keys.AnswerAsync(claim, response.StatusCode, response.ContentType, location.Length > 0 ? location : null, answer.ToArray())
                    ? true
                    : throw new ConflictException("A retry with this Idempotency-Key took over while this request was running; its answer counts.");
            }, ct);
        }
        catch
        {
            context.Features.Set(body);
            await keys.ReleaseAsync(claim);
            throw;
        }
        context.Features.Set(body);
        if (!stored) await keys.ReleaseAsync(claim);
        answer.Position = 0;
        await answer.CopyToAsync(context.Response.Body, ct);
    }

    private static bool IsApiWrite(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    /// <summary>SHA-256 of method, path, query and body, read so that the endpoint can read the body again.</summary>
    private static async Task<byte[]> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private static async Task ReplayAsync(HttpResponse response, int status, IdempotentRequest stored, CancellationToken ct)
    {
        response.StatusCode = status;
        if (stored.ContentType is not null) response.ContentType = stored.ContentType;
        if (stored.Location is not null) response.Headers.Location = stored.Location;
        response.Headers[ReplayedHeader] = "true";
        if (stored.Body is { Length: > 0 } body) await response.Body.WriteAsync(body, ct);
    }
}
