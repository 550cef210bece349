using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>
/// The webhooks settings page, the calendar feed page, notifications in Slack or Teams and the knowledge page's
/// "knowledge that left", as the demo's admin uses them on a desktop and a phone.
/// </summary>
public sealed class IntegrationsSettingsTests(TacitServer server) : IClassFixture<TacitServer>
{
    [Fact]
    public async Task An_admin_adds_a_webhook_and_a_person_makes_their_calendar_feed_and_chooses_teams()
    {
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/demo", null)).StatusCode);

        foreach (var (width, height, device) in new[] { (1366, 900, "desktop"), (390, 844, "phone") })
        {
            var alex = await server.NewPageAsync(width, height);
            await alex.GotoAsync("/demo");
            await alex.GetByRole(AriaRole.Button, new() { Name = "Try as Alex Morgan" }).ClickAsync();

            await alex.GotoAsync("/settings/webhooks");
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();
            await server.AssertPageAsync(alex);
            await alex.GetByLabel("Address (http or https)").FillAsync($"https://hooks.example.com/tacit-{device}");
            await alex.GetByLabel("What it is for").FillAsync("Our CRM");
            await alex.GetByLabel(new Regex("^A session was booked")).CheckAsync();
            await alex.GetByLabel(new Regex("^A session was cancelled")).CheckAsync();
            await alex.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
            await Assertions.Expect(alex.GetByLabel(new Regex("^Signing secret"))).ToHaveValueAsync(new Regex("^whsec_"));
            await Assertions.Expect(alex.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
            await TacitServer.ScreenshotAsync(alex, $"80-{device}-settings-webhooks");
            await server.AssertPageAsync(alex);

            await alex.GotoAsync("/me/calendar");
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Calendar feed", Level = 1 })).ToBeVisibleAsync();
            await alex.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Make (my feed address|a new address)$") }).ClickAsync();
            var address = alex.GetByLabel(new Regex("^Your feed address"));
            await Assertions.Expect(address).ToHaveValueAsync(new Regex(@"/calendar/tcal_[0-9a-f]{64}\.ics$"));
            await TacitServer.ScreenshotAsync(alex, $"81-{device}-calendar-feed");
            await server.AssertPageAsync(alex);
            var feed = await api.GetAsync(new Uri(await address.InputValueAsync()).PathAndQuery);
            Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);

            await alex.GotoAsync("/me/chat");
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Notifications in Slack or Teams", Level = 1 })).ToBeVisibleAsync();
            await server.AssertPageAsync(alex);
            await alex.GetByLabel("Microsoft Teams").CheckAsync();
            await alex.GetByLabel(new Regex("^Webhook address")).FillAsync($"https://example.webhook.office.com/workflows/{device}");
            await alex.GetByLabel(new Regex("^Instead of email")).CheckAsync();
            await alex.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(alex.GetByText("Saved: your notifications go to Teams instead of email.")).ToBeVisibleAsync();
            await Assertions.Expect(alex.GetByText($"workflows/{device}")).ToHaveCountAsync(0);
            await TacitServer.ScreenshotAsync(alex, $"82-{device}-chat-delivery");
            await server.AssertPageAsync(alex);

            await alex.GotoAsync("/knowledge");
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Knowledge that left" })).ToBeVisibleAsync();
            await TacitServer.ScreenshotAsync(alex, $"83-{device}-knowledge");
            await server.AssertPageAsync(alex);
            await alex.Context.CloseAsync();
        }
    }
}
