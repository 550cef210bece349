using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Tacit.Testing;

/// <summary>
/// A real OpenID Connect provider on loopback: npm <c>oidc-provider</c>, configured by <c>tests/oidc-provider/provider.mjs</c>
/// and installed into <c>tests/oidc-provider/node_modules</c> (never committed) the first time a test needs it. Tests
/// register clients and accounts with it, and can spoil the next id_token it issues (see the script).
/// </summary>
public sealed partial class OidcTestProvider : IAsyncDisposable
{
    private static readonly SemaphoreSlim s_installing = new(1, 1);
    private readonly Process _process;
    private readonly HttpClient _control = new();

    private OidcTestProvider(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    /// <summary>Installs the provider if it is not yet, and starts it on a free loopback port.</summary>
    public static async Task<OidcTestProvider> StartAsync()
    {
        var folder = Path.Combine(Checkout(), "tests", "oidc-provider");
        await EnsureInstalledAsync(folder);
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo("node")
            {
                ArgumentList = { "provider.mjs", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (output) output.AppendLine(e.Data);
                if (e.Data.StartsWith("listening ", StringComparison.Ordinal)) listening.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30))) == listening.Task) return new OidcTestProvider(process, port);
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            // Another process may have taken the port between the check and the start.
            if (attempt == 2) lock (output) throw new InvalidOperationException($"The OIDC provider did not start:\n{output}");
        }
    }

    public async Task AddClientAsync(string clientId, string clientSecret, string redirectUri, string? postLogoutRedirectUri = null) =>
        (await _control.PostAsJsonAsync($"{Issuer}/test/clients", new
        {
            client_id = clientId,
            client_secret = clientSecret,
            redirect_uris = new[] { redirectUri },
            post_logout_redirect_uris = postLogoutRedirectUri is null ? [] : new[] { postLogoutRedirectUri },
        })).EnsureSuccessStatusCode();

    public async Task AddAccountAsync(string subject, string email, bool emailVerified = true, string? name = null) =>
        (await _control.PostAsJsonAsync($"{Issuer}/test/accounts", new { sub = subject, email, email_verified = emailVerified, name })).EnsureSuccessStatusCode();

    /// <summary>Spoils the id_token of the next token response: wrong-audience, wrong-issuer, expired (re-signed) or tampered.</summary>
    public async Task SpoilNextIdTokenAsync(string fault) =>
        (await _control.PostAsJsonAsync($"{Issuer}/test/fault", new { fault })).EnsureSuccessStatusCode();

    /// <summary>
    /// Signs in at the provider as a browser would, from its authorization URL to the redirect back to the client: the
    /// login form asks for the email of one of its accounts. Returns where the provider sends the browser back.
    /// </summary>
    public async Task<Uri> AuthorizeAsync(Uri authorizationUrl, string email, CookieContainer cookies)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies });
        var next = authorizationUrl;
        for (var step = 0; step < 10; step++)
        {
            if (!next.AbsoluteUri.StartsWith(Issuer + "/", StringComparison.Ordinal)) return next;
            using var response = await browser.GetAsync(next);
            if (response.StatusCode == HttpStatusCode.OK && LoginForm().Match(await response.Content.ReadAsStringAsync()) is { Success: true } form)
            {
                using var submitted = await browser.PostAsync(new Uri(next, form.Groups[1].Value),
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email }));
                next = new Uri(next, submitted.Headers.Location ?? throw new InvalidOperationException($"The provider refused {email}: {await submitted.Content.ReadAsStringAsync()}"));
                continue;
            }
            next = new Uri(next, response.Headers.Location ?? throw new InvalidOperationException(
                $"The provider answered {(int)response.StatusCode} at {next}: {await response.Content.ReadAsStringAsync()}"));
        }
        throw new InvalidOperationException("The provider redirected too often.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _control.Dispose();
    }

    /// <summary>npm install, once: one test process at a time (a lock file), and one test class at a time in it.</summary>
    private static async Task EnsureInstalledAsync(string folder)
    {
        var installed = Path.Combine(folder, "node_modules", "oidc-provider", "package.json");
        if (File.Exists(installed)) return;
        await s_installing.WaitAsync();
        try
        {
            using var fileLock = await LockAsync(Path.Combine(folder, ".install.lock"));
            if (File.Exists(installed)) return;
            var npm = Process.Start(new ProcessStartInfo("npm", "install --no-audit --no-fund --loglevel=error")
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            }) ?? throw new InvalidOperationException("npm did not start.");
            var errors = npm.StandardError.ReadToEndAsync();
            _ = npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm install of the test OIDC provider failed:\n{await errors}");
        }
        finally { s_installing.Release(); }
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
            catch (IOException) when (attempt < 600) { await Task.Delay(200); }
        }
    }

    private static string Checkout()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Tacit.slnx"))) return folder.FullName;
        throw new InvalidOperationException("The checkout (the folder of Tacit.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex LoginForm();
}
