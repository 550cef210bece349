using System.Net;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>The insight pages, as the demo's admin sees them on a desktop and a phone: each checked with axe and the HTML checker.</summary>
public sealed class InsightTests(TacitServer server) : IClassFixture<TacitServer>
{
    [Fact]
    public async Task An_admin_reads_the_insight_pages_on_a_desktop_and_a_phone()
    {
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/demo", null)).StatusCode);

        foreach (var (width, height, device) in new[] { (1366, 900, "desktop"), (390, 844, "phone") })
        {
            var alex = await server.NewPageAsync(width, height);
            await alex.GotoAsync("/demo");
            await alex.GetByRole(AriaRole.Button, new() { Name = "Try as Alex Morgan" }).ClickAsync();
            await alex.GotoAsync("/insight");
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Insight", Level = 1 })).ToBeVisibleAsync();
            await server.AssertPageAsync(alex);
            foreach (var (link, heading, shot) in new[]
            {
                ("Training and development needs", "Training and development needs", "80"),
                ("Knowledge continuity", "Knowledge continuity", "81"),
                ("The learning network", "The learning network across silos", "82"),
                ("Teaching credit", "Teaching credit", "83"),
            })
            {
                await alex.GotoAsync("/insight");
                await alex.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
                await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
                await TacitServer.ScreenshotAsync(alex, $"{shot}-{device}-insight");
                await server.AssertPageAsync(alex);
                // Each page says how old its figures are and reads them again on request.
                await alex.GetByRole(AriaRole.Button, new() { Name = "Read them again now" }).ClickAsync();
                await Assertions.Expect(alex.GetByText("Figures as of less than a minute ago")).ToBeVisibleAsync();
                await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            }
            if (device == "desktop")
            {
                // The admin records a colleague's last day on their profile (the succession page's "leaving" list).
                await alex.GotoAsync("/people?q=Sam%20Patel");
                await alex.GetByRole(AriaRole.Link, new() { Name = "Sam Patel", Exact = true }).ClickAsync();
                await alex.GetByLabel("Last day").FillAsync(TimeProvider.System.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                await alex.GetByRole(AriaRole.Button, new() { Name = "Save the last day" }).ClickAsync();
                await Assertions.Expect(alex.GetByRole(AriaRole.Status)).ToContainTextAsync("Last day saved");
                await TacitServer.ScreenshotAsync(alex, "84-desktop-leaving");
                await server.AssertPageAsync(alex);
            }
            await alex.Context.CloseAsync();
        }
    }
}
