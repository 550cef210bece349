using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>
/// The Nu HTML checker (npm vnu-jar), run as a local web service by the test command (scripts/vnu.sh) at TACIT_TEST_VNU.
/// It checks the HTML the server sent for the page's current document, not the browser's re-serialised DOM.
/// </summary>
internal static class HtmlChecker
{
    private static readonly ConditionalWeakTable<IPage, IResponse> LastDocument = [];
    // The checker refuses requests without a User-Agent.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { { "User-Agent", "Tacit.EndToEnd" } } };

    public static void Served(IPage page, IResponse document) => LastDocument.AddOrUpdate(page, document);

    public static async Task AssertValidAsync(IPage page)
    {
        var service = Environment.GetEnvironmentVariable("TACIT_TEST_VNU");
        Assert.False(string.IsNullOrEmpty(service), "TACIT_TEST_VNU is not set: run ./test.sh, or start the checker with scripts/vnu.sh.");
        var html = await SourceAsync(page);
        using var content = new StringContent(html);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/html") { CharSet = "utf-8" };
        using var response = await Http.PostAsync(service + "/?out=json", content);
        Assert.True(response.IsSuccessStatusCode, $"The HTML checker answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = result.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() == "error" || m.TryGetProperty("subType", out var sub) && sub.GetString() == "fatal")
            .Select(m => $"line {(m.TryGetProperty("lastLine", out var line) ? line.GetInt32() : 0)}: {m.GetProperty("message").GetString()}" +
                         (m.TryGetProperty("extract", out var extract) ? $" in «{extract.GetString()}»" : ""))
            .ToList();
        Assert.True(errors.Count == 0, $"The Nu HTML checker found errors on {page.Url}:\n{string.Join("\n", errors)}");
    }

    private static async Task<string> SourceAsync(IPage page)
    {
        if (LastDocument.TryGetValue(page, out var document) && document.Status == 200)
        {
            try { return await document.TextAsync(); }
            catch (PlaywrightException) { }
        }
        return await page.ContentAsync();
    }
}
