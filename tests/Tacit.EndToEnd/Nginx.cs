using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Tacit.EndToEnd;

/// <summary>
/// Debian's nginx in front of one Tacit or several, configured by the example in docs/operations.md ("Behind nginx")
/// with only its addresses changed: loopback ports below 32768, a certificate for <see cref="ServerName"/> made by
/// openssl for this run, and the instances' ports in its upstream. One process (no master and workers), started and
/// stopped by its id.
/// </summary>
public sealed partial class Nginx : IAsyncDisposable
{
    public const string ServerName = "tacit.example";

    private readonly string _folder = Directory.CreateTempSubdirectory("tacit-nginx-").FullName;
    private readonly List<string> _output = [];
    private Process? _process;

    private Nginx(int httpsPort, int httpPort) => (HttpsPort, HttpPort) = (httpsPort, httpPort);

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public string CertificatePath => Path.Combine(_folder, "cert.pem");

    /// <summary>Picks the ports nginx will listen on, so the app can be told its public address before nginx starts.</summary>
    public static Nginx OnFreePorts()
    {
        var https = TacitServer.FreeLoopbackPort();
        int http;
        do http = TacitServer.FreeLoopbackPort(); while (http == https);
        return new Nginx(https, http);
    }

    public string PublicBaseUrl => $"https://{ServerName}:{HttpsPort}";

    /// <summary>Starts nginx in front of the instances listening on <paramref name="appPorts"/> (on loopback).</summary>
    public async Task StartAsync(params int[] appPorts)
    {
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", $"/CN={ServerName}",
            "-addext", $"subjectAltName=DNS:{ServerName}", "-keyout", Path.Combine(_folder, "key.pem"), "-out", CertificatePath);
        await File.WriteAllTextAsync(Path.Combine(_folder, "nginx.conf"), Configuration(appPorts));
        var start = new ProcessStartInfo(Executable())
        {
            ArgumentList = { "-p", _folder, "-c", Path.Combine(_folder, "nginx.conf"), "-e", "stderr" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await WaitUntilListeningAsync();
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>The documented server blocks, on this run's ports and certificate, inside what a standalone nginx needs.</summary>
    private string Configuration(int[] appPorts)
    {
        var operations = File.ReadAllText(Path.Combine(PublishedApp.Checkout(), "docs", "operations.md"));
        var documented = NginxBlock().Match(operations) is { Success: true } block ? block.Groups[1].Value
            : throw new InvalidOperationException("docs/operations.md has no ```nginx block.");
        // Each documented line must be there: a changed example fails the test rather than testing something else.
        var servers = new (string Documented, string Used)[]
        {
            ("server 127.0.0.1:5000;", string.Join("\n    ", appPorts.Select(port => $"server 127.0.0.1:{port};"))),
            ("listen 80;", $"listen 127.0.0.1:{HttpPort};"),
            ("listen 443 ssl;", $"listen 127.0.0.1:{HttpsPort} ssl;"),
            ($"return 301 https://{ServerName}$request_uri;", $"return 301 https://{ServerName}:{HttpsPort}$request_uri;"),
            ("/etc/ssl/tacit/fullchain.pem", CertificatePath),
            ("/etc/ssl/tacit/privkey.pem", Path.Combine(_folder, "key.pem")),
        }.Aggregate(documented, (text, line) => text.Contains(line.Documented, StringComparison.Ordinal)
            ? text.Replace(line.Documented, line.Used, StringComparison.Ordinal)
            : throw new InvalidOperationException($"docs/operations.md's nginx example no longer has '{line.Documented}'; update {nameof(Nginx)}."));
        // What Debian's /etc/nginx/nginx.conf would give, kept in this run's folder: nginx runs as whoever runs the tests.
        var temp = string.Join("\n", new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(kind => $"    {kind}_temp_path {Path.Combine(_folder, kind)};"));
        return $$"""
            daemon off;
            master_process off;
            pid {{Path.Combine(_folder, "nginx.pid")}};
            error_log {{Path.Combine(_folder, "error.log")}} warn;
            events { worker_connections 256; }
            http {
                access_log off;
            {{temp}}
            {{servers}}
            }
            """;
    }

    /// <summary>
    /// A client of <see cref="PublicBaseUrl"/> that reaches nginx on loopback whatever the name, trusts only this run's
    /// certificate, keeps cookies and follows no redirect.
    /// </summary>
    public HttpClient HttpsClient()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));
        var thumbprint = certificate.Thumbprint;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, HttpsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 served && served.Thumbprint == thumbprint,
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(PublicBaseUrl) };
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process!.HasExited) break;
            if (await ListensAsync(HttpsPort) && await ListensAsync(HttpPort)) return;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"nginx did not start listening on {HttpsPort} and {HttpPort}:\n{LogText()}");
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>What nginx said, for whoever reads a failure.</summary>
    public string LogText()
    {
        var errors = Path.Combine(_folder, "error.log");
        lock (_output) return string.Join("\n", _output) + "\n" + (File.Exists(errors) ? File.ReadAllText(errors) : "");
    }

    private void Log(string? line)
    {
        if (line is not null) lock (_output) _output.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Stops the one nginx process this started, by its id.</summary>
    private async Task StopAsync()
    {
        if (_process is not { HasExited: false }) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>nginx lives in /usr/sbin, which is not on every user's PATH; test.sh installs it when missing.</summary>
    private static string Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Select(folder => Path.Combine(folder, "nginx")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx is not installed: ./test.sh installs it (apt-get install nginx).");

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await output}");
    }

    [GeneratedRegex("```nginx\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();
}
