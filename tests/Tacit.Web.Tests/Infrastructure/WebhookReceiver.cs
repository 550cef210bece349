using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on 127.0.0.1, written from the Standard Webhooks specification rather than with Tacit's signing
/// library: it checks each request's HMAC-SHA256 signature and timestamp itself, and handles each webhook-id once, as
/// a receiver should when a sender retries. It answers with <see cref="Answer"/>; it can be started late (a receiver
/// that is down) and stopped.
/// </summary>
public sealed class WebhookReceiver(int port) : IAsyncDisposable
{
    /// <summary>Ports for the tests' receivers (TACIT_TEST_WEBHOOK_PORT moves them): below 32768, on loopback.</summary>
    public static int Port(int offset) =>
        (int.TryParse(Environment.GetEnvironmentVariable("TACIT_TEST_WEBHOOK_PORT"), CultureInfo.InvariantCulture, out var first) ? first : 25532) + offset;

    public sealed record Received(string WebhookId, string Type, JsonElement Data, string Body, bool SignatureValid, bool TimestampFresh);

    private WebApplication? app;
    private readonly ConcurrentQueue<Received> requests = new();
    private readonly ConcurrentDictionary<string, Received> handled = new();
    private readonly ConcurrentQueue<Received> firstTimes = new();

    public string Url => $"http://127.0.0.1:{port}/hooks/tacit";

    /// <summary>The signing secret (whsec_…), as the endpoint's creation gave it.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The status each request is answered with (200 unless told otherwise).</summary>
    public int Answer { get; set; } = StatusCodes.Status200OK;

    /// <summary>Every request that reached the receiver, retries and replays included.</summary>
    public IReadOnlyList<Received> Requests => [.. requests];

    /// <summary>Each event once, by webhook-id, in the order first handled: what an idempotent receiver acts on.</summary>
    public IReadOnlyList<Received> Events => [.. firstTimes];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/hooks/tacit", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
            var id = context.Request.Headers["webhook-id"].ToString();
            var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
            var signatures = context.Request.Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var fresh = long.TryParse(timestamp, CultureInfo.InvariantCulture, out var seconds)
                && Math.Abs(DateTimeOffset.FromUnixTimeSeconds(seconds).Subtract(TimeProvider.System.GetUtcNow()).TotalMinutes) < 5;
            var valid = signatures.Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(Sign(id, timestamp, body))));
            using var json = JsonDocument.Parse(body);
            var received = new Received(id, json.RootElement.GetProperty("type").GetString()!, json.RootElement.GetProperty("data").Clone(), body, valid, fresh);
            requests.Enqueue(received);
            if (valid && fresh && handled.TryAdd(id, received)) firstTimes.Enqueue(received);
            return Results.Text("received " + id, statusCode: Answer);
        });
        await app.StartAsync();
    }

    private string Sign(string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    public async Task StopAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
