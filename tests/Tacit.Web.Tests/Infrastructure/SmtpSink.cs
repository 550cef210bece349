using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// A small real SMTP server on 127.0.0.1 (RFC 5321's plain dialogue: EHLO, MAIL, RCPT, DATA, QUIT) that keeps
/// every message it receives, so tests see what MailKit actually sent over the wire.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener = Listen();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>While true the server answers every connection "421 not available" and hangs up, as one that is down.</summary>
    public bool Down { get; set; }

    /// <summary>While set, each new connection waits for it before the server greets: a mail server slow to answer.</summary>
    public Task? Held { get; set; }

    public ConcurrentQueue<(string From, IReadOnlyList<string> To, string Data)> Messages { get; } = new();

    private static TcpListener Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(20_000, 32_000));
            try
            {
                listener.Start();
                return listener;
            }
            catch (SocketException) when (attempt < 50) { }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        if (Down)
        {
            await writer.WriteLineAsync("421 sink.test Service not available");
            return;
        }
        if (Held is { } held) await held;
        await writer.WriteLineAsync("220 sink.test ESMTP");
        string from = "";
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-sink.test");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "HELO": await writer.WriteLineAsync("250 sink.test"); break;
                case "MAIL": from = line[10..].Trim('<', '>', ' '); await writer.WriteLineAsync("250 OK"); break;
                case "RCPT": to.Add(line[8..].Trim('<', '>', ' ')); await writer.WriteLineAsync("250 OK"); break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    Messages.Enqueue((from, to.ToList(), data.ToString()));
                    to.Clear();
                    await writer.WriteLineAsync("250 OK: queued");
                    break;
                case "RSET": to.Clear(); await writer.WriteLineAsync("250 OK"); break;
                case "NOOP": await writer.WriteLineAsync("250 OK"); break;
                case "QUIT": await writer.WriteLineAsync("221 Bye"); return;
                default: await writer.WriteLineAsync("502 Command not implemented"); break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
