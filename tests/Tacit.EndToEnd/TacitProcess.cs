using System.Diagnostics;
using System.Globalization;

namespace Tacit.EndToEnd;

/// <summary>
/// One instance of Tacit started the way <c>./run.sh</c> starts it: the published build in <c>artifacts/web</c>
/// (scripts/publish.sh) as a separate <c>dotnet Tacit.Web.dll</c> process in the Production environment on real
/// Kestrel, at a loopback port below 32768, configured by <paramref name="settings"/> (configuration keys such as
/// <c>Database:Provider</c>, passed as environment variables). It can be killed and started again on the same port.
/// Its output goes to <paramref name="logFile"/>, which is copied beside the screenshots when it is disposed.
/// </summary>
public sealed class TacitProcess(IReadOnlyDictionary<string, string> settings, string logFile) : IAsyncDisposable
{
    private readonly Lock _logging = new();
    private Process? _process;

    public int Port { get; } = TacitServer.FreeLoopbackPort();

    /// <summary>Where the instance itself listens (plain http on loopback).</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process and waits until it serves its start page (it migrates the database first).</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException($"Tacit on port {Port} is running already.");
        _process?.Dispose();
        _process = Start();
        await WaitUntilServingAsync();
    }

    private Process Start()
    {
        var app = PublishedApp.Path;
        var folder = Path.GetDirectoryName(app)!;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { app, "--Port", Port.ToString(CultureInfo.InvariantCulture), "--contentRoot", folder },
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // test.sh stops any app still marked with its run when it ends, should a crashed test host leave one behind.
        if (Environment.GetEnvironmentVariable("TACIT_TEST_RUN") is { Length: > 0 } run) start.ArgumentList.Add($"--TestRun={run}");
        // Settings a developer's shell may carry must not change what is tested.
        foreach (var variable in new[] { "ASPNETCORE_URLS", "App__BaseUrl", "Demo__Enabled", "Smtp__Host" }) start.Environment.Remove(variable);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Error";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process!.HasExited) break;
            try
            {
                if ((await http.GetAsync(BaseUrl + "/")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"Tacit did not start serving {BaseUrl}. Its output:\n{LogText()}");
    }

    /// <summary>Ends the instance at once, as a crash or an out-of-memory kill would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!IsRunning) return;
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Log($"--- the test killed this instance (process {_process.Id}) ---");
    }

    public string LogText()
    {
        lock (_logging) return File.Exists(logFile) ? File.ReadAllText(logFile) : "";
    }

    private void Log(string? line)
    {
        if (line is not null) lock (_logging) File.AppendAllLines(logFile, [line]);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        // The app's own log outlives the run beside the screenshots, for whoever reads a failure.
        Directory.CreateDirectory(TacitServer.ScreenshotFolder);
        File.WriteAllText(Path.Combine(TacitServer.ScreenshotFolder, $"app-{Port}.log"), LogText());
    }
}
