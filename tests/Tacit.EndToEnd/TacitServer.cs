using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Tacit.Testing;

namespace Tacit.EndToEnd;

/// <summary>
/// Tacit started the way <c>./run.sh</c> starts it (<see cref="TacitProcess"/>), on a fresh SQLite file, with Debian's
/// Chromium driven by Playwright. One per test class; everything it starts, it stops. <see cref="Services"/> are the
/// app's own use cases on the same database, for setting up data the way the <c>tacit</c> command does.
/// </summary>
public class TacitServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tacit-e2e-").FullName;
    private readonly List<string> _assetProblems = [];
    private readonly string? _publicBaseUrl;
    private TacitProcess? _app;
    private IHost? _services;
    private IPlaywright? _playwright;
    private bool _disposed;

    public TacitServer() { }

    /// <summary>
    /// Tacit as people reach it at <paramref name="publicBaseUrl"/> (its <c>App__BaseUrl</c>), such as through a proxy;
    /// Chromium finds that name on this machine.
    /// </summary>
    protected internal TacitServer(string publicBaseUrl) => _publicBaseUrl = publicBaseUrl;

    /// <summary>Where the app itself listens (plain http on loopback).</summary>
    public string BaseUrl => _app?.BaseUrl ?? "";

    /// <summary>The address people use, <c>App__BaseUrl</c>: <see cref="BaseUrl"/> unless the server was made for another.</summary>
    public string PublicBaseUrl => _publicBaseUrl ?? BaseUrl;

    public IBrowser Browser { get; private set; } = default!;

    public string MailFolder => Path.Combine(_folder, "mail");

    public MailFolder Mail => new(MailFolder);

    public IServiceProvider Services => _services!.Services;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Dictionary<string, string> settings = new()
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(_folder, "tacit.db")};Pooling=False",
            ["Smtp:PickupFolder"] = MailFolder,
        };
        if (_publicBaseUrl is not null) settings["App:BaseUrl"] = _publicBaseUrl;
        _app = new TacitProcess(settings, Path.Combine(_folder, "app.log"));
        await _app.StartAsync();
        _services = UseCaseHost.Build(new Dictionary<string, string>(settings) { ["App:BaseUrl"] = PublicBaseUrl });
        _playwright = await Playwright.CreateAsync();
        List<string> args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
        if (_publicBaseUrl is not null) args.Add($"--host-resolver-rules=MAP {new Uri(_publicBaseUrl).Host} 127.0.0.1");
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = args });
    }

    public string AppLog() => _app?.LogText() ?? "";

    /// <summary>
    /// A fresh browser profile. CSP is bypassed only so the accessibility checker can be injected. Every stylesheet and
    /// script the page loads is checked: a status other than 200 or 304, an empty body or the wrong type is recorded
    /// and fails the next <see cref="AssertPageAsync"/>.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, BypassCSP = true, ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        // Only headers are read here: a handler that awaited the body would fail once the page navigated on.
        page.Response += (_, response) =>
        {
            var type = response.Request.ResourceType;
            if (type == "document" && response.Frame == page.MainFrame) HtmlChecker.Served(page, response);
            if (type is not ("stylesheet" or "script")) return;
            var expected = type == "stylesheet" ? "text/css" : "javascript";
            var contentType = response.Headers.TryGetValue("content-type", out var header) ? header : "";
            var length = response.Headers.TryGetValue("content-length", out var lengthHeader) ? lengthHeader : null;
            var problem = response.Status is not (200 or 304) ? $"status {response.Status}"
                : !contentType.Contains(expected, StringComparison.Ordinal) ? $"Content-Type '{contentType}'"
                : response.Status == 200 && length == "0" ? "an empty body"
                : null;
            if (problem is not null) lock (_assetProblems) _assetProblems.Add($"{response.Url} ({type}) answered with {problem}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("MIME type", StringComparison.Ordinal))
                lock (_assetProblems) _assetProblems.Add(message.Text);
        };
        return page;
    }

    /// <summary>
    /// What every page must pass: its stylesheets and scripts arrived whole and the styles apply, nothing is wider than
    /// the viewport, the Nu HTML checker finds no error, and axe-core (WCAG 2.0–2.2 A and AA) no serious or critical violation.
    /// </summary>
    public async Task AssertPageAsync(IPage page)
    {
        lock (_assetProblems)
        {
            var problems = _assetProblems.ToList();
            _assetProblems.Clear();
            Assert.True(problems.Count == 0, $"Assets failed on the way to {page.Url}:\n{string.Join("\n", problems)}");
        }
        await AssertStyledAsync(page);
        await AssertNothingOverflowsAsync(page);
        await HtmlChecker.AssertValidAsync(page);
        await AssertAccessibleAsync(page);
    }

    /// <summary>The page links a stylesheet, the browser parsed rules from every one, and the site's custom properties apply.</summary>
    private static async Task AssertStyledAsync(IPage page)
    {
        var styling = await page.EvaluateAsync<JsonElement>("""
            () => {
              const sheets = [...document.querySelectorAll('link[rel=stylesheet]')];
              const unparsed = sheets.filter(l => !l.sheet || l.sheet.cssRules.length === 0).map(l => l.href);
              const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
              return { count: sheets.length, unparsed, accent };
            }
            """);
        Assert.True(styling.GetProperty("count").GetInt32() > 0, $"{page.Url} links no stylesheet.");
        Assert.True(styling.GetProperty("unparsed").GetArrayLength() == 0, $"{page.Url}: no rules were read from {styling.GetProperty("unparsed")}.");
        Assert.False(string.IsNullOrEmpty(styling.GetProperty("accent").GetString()), $"{page.Url} has no styles applied (--accent is not set).");
    }

    /// <summary>Nothing on the page makes it scroll sideways (WCAG 1.4.10 reflow, checked at the viewport the page has).</summary>
    private static async Task AssertNothingOverflowsAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<JsonElement>("""
            () => {
              const width = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= width) return null;
              const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ').join('.') : ''} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
              return { width, scrollWidth: document.documentElement.scrollWidth, wide };
            }
            """);
        if (overflow.ValueKind == JsonValueKind.Null) return;
        Assert.Fail($"{page.Url} is {overflow.GetProperty("scrollWidth")} px wide in a {overflow.GetProperty("width")} px viewport: {overflow.GetProperty("wide")}");
    }

    /// <summary>
    /// Runs axe-core's WCAG 2.0–2.2 A and AA rules and its best practices (unique landmark names, heading order, content
    /// in landmarks…) and fails on any violation, whatever its impact (a crawl of 39 pages, signed out and as the demo's
    /// facilitator, at 390 and 1,366 px, found none on 2026-12-07).
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(AppContext.BaseDirectory, "vendor", "axe-core", "axe.min.js") });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
              return result.violations
                .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' (' + n.any.concat(n.all).map(c => c.message).join('; ') + ')').join(', ')}`);
            }
            """);
        var problems = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(problems.Count == 0, $"Accessibility violations on {page.Url}:\n{string.Join("\n", problems)}");
    }

    /// <summary>Signs in through the sign-in page and waits for the start page's welcome.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Welcome") })).ToBeVisibleAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Stops the browser and the app, once however often it is asked.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        GC.SuppressFinalize(this);
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
        _services?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Tests keep to ports below 32768, away from the ephemeral range other processes draw from.</summary>
    internal static int FreeLoopbackPort() => Tacit.Testing.LoopbackPort.Free();
}

/// <summary>Where the published app is: TACIT_WEB_APP, or artifacts/web in the checkout these tests were built from.</summary>
internal static class PublishedApp
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("TACIT_WEB_APP");
        if (!string.IsNullOrEmpty(configured)) return Require(configured);
        return Require(System.IO.Path.Combine(Checkout(), "artifacts", "web", "Tacit.Web.dll"));
    }

    /// <summary>The checkout these tests were built from (the folder of Tacit.slnx).</summary>
    public static string Checkout()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Tacit.slnx"))) return folder.FullName;
        throw new InvalidOperationException("No Tacit.slnx above the test's folder: run the tests in a checkout (TACIT_WEB_APP may name the published app).");
    }

    private static string Require(string path) => File.Exists(path) ? path
        : throw new InvalidOperationException($"{path} does not exist: publish the app first (./test.sh does; or `. scripts/publish.sh && publish_web`).");
}
