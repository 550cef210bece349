using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tacit.Web.Tests.Features.Evidence;

/// <summary>
/// A small xAPI receiver on a loopback port, as an external LRS or HR system would be: it refuses a request without
/// an xAPI version header (400) or the right Basic credential (401), keeps statements by id (the same statement again
/// is accepted, a different one under its id is a 409), and counts every statement it was sent. It can be stopped and
/// started again on the same port (down, then up) or made to answer an error.
/// </summary>
public sealed class XapiReceiver : IAsyncDisposable
{
    public const string Key = "forward-key";
    public const string Secret = "forward-secret";

    private WebApplication? _app;

    public XapiReceiver()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}/xapi";
    /// <summary>Each statement kept, by id.</summary>
    public ConcurrentDictionary<Guid, JsonObject> Statements { get; } = new();
    /// <summary>Every statement id received, once per time it was received.</summary>
    public ConcurrentQueue<Guid> Received { get; } = new();
    /// <summary>Requests refused for a missing version header or a wrong credential.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();
    /// <summary>Answer every well-formed request with this status instead of storing (0: store).</summary>
    public int Failing { get; set; }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/xapi/statements", (Delegate)ReceiveAsync);
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var version = context.Request.Headers["X-Experience-API-Version"].ToString();
        if (!version.StartsWith("1.0.", StringComparison.Ordinal) && !version.StartsWith("2.0.", StringComparison.Ordinal))
        {
            Refused.Enqueue("no version");
            return Results.Text("X-Experience-API-Version is required.", statusCode: 400);
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Key}:{Secret}"));
        if (context.Request.Headers.Authorization.ToString() != expected)
        {
            Refused.Enqueue("credential");
            return Results.Text("Unauthorized", statusCode: 401);
        }
        if (Failing != 0) return Results.Text("Not now", statusCode: Failing);
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
        var statements = body is JsonArray array ? array.Select(s => s!.AsObject()).ToList() : [body!.AsObject()];
        var ids = new JsonArray();
        foreach (var statement in statements)
        {
            var id = Guid.Parse(statement["id"]!.GetValue<string>());
            if (Statements.TryGetValue(id, out var kept) && !JsonNode.DeepEquals(kept, statement))
                return Results.Text($"A different statement {id} is stored.", statusCode: 409);
            Statements[id] = statement;
            Received.Enqueue(id);
            ids.Add(id.ToString());
        }
        return Results.Text(ids.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
