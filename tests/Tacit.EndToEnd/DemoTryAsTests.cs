using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Web.Features.Organisations;

namespace Tacit.EndToEnd;

/// <summary>
/// The demo's "try as" switch, and the demo turning itself off once the server holds a real organisation: no button,
/// no credentials, and the page and the API refuse with the reason. Error pages are pages of the product with a way back.
/// </summary>
public sealed class DemoTryAsTests(TacitServer server) : IClassFixture<TacitServer>
{
    [Fact]
    public async Task A_visitor_tries_the_demo_as_a_manager_and_a_member_until_a_real_organisation_turns_it_off()
    {
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var status = await api.GetFromJsonAsync<DemoStatus>("/api/demo");
        Assert.Equal(new DemoStatus(true, false, null), status);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/demo", null)).StatusCode);

        foreach (var (width, height, device) in new[] { (1366, 900, "desktop"), (390, 844, "phone") })
        {
            var visitor = await server.NewPageAsync(width, height);
            await visitor.GotoAsync("/");
            await visitor.GetByRole(AriaRole.Link, new() { Name = "Try the demo" }).ClickAsync();
            await Assertions.Expect(visitor.GetByText("173 people in the demo.")).ToBeVisibleAsync();
            await Checked(visitor, $"22-{device}-demo-try-as");

            // A team lead: a manager, not a facilitator.
            await visitor.GetByLabel("Find someone by name, department or job").FillAsync("Finance Team Lead");
            await visitor.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Assertions.Expect(visitor.GetByText("2 people found.")).ToBeVisibleAsync();
            await Assertions.Expect(visitor.GetByText(new Regex("manager of 8 people")).First).ToBeVisibleAsync();
            await visitor.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Try as ") }).First.ClickAsync();
            await Assertions.Expect(visitor.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Welcome, ") })).ToBeVisibleAsync();
            await Assertions.Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "Cycles" })).ToHaveCountAsync(0);
            await AssertSummaryCardsLaidOut(visitor);
            await Checked(visitor, $"23-{device}-demo-as-manager");

            // A member is refused a facilitator's page with a page of the product, and an unknown cycle is not found.
            var forbidden = await visitor.GotoAsync("/cycles");
            await Assertions.Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
            await Assertions.Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "Go to the start page" })).ToBeVisibleAsync();
            await Checked(visitor, $"24-{device}-forbidden");
            var missing = await visitor.GotoAsync($"/cycles/{Guid.NewGuid()}/me");
            Assert.Equal(404, missing!.Status);
            await Assertions.Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
            await Assertions.Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "Go to the start page" })).ToBeVisibleAsync();
            await Checked(visitor, $"25-{device}-not-found");
            await visitor.Context.CloseAsync();
        }

        // The first real organisation turns the demo off: nothing offers it, and loading or trying it is refused with the reason.
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Contoso", "contoso", "Cora Admin", "cora@contoso.example", "correct-horse-battery"));
        var off = await api.GetFromJsonAsync<DemoStatus>("/api/demo");
        Assert.False(off!.Offered);
        Assert.Contains("real organisation", off.WhyNot, StringComparison.Ordinal);
        var refused = await api.PostAsync("/api/demo", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("real organisation", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var stranger = await server.NewPageAsync();
        await stranger.GotoAsync("/");
        await Assertions.Expect(stranger.GetByText("Look around first")).ToHaveCountAsync(0);
        await stranger.GotoAsync("/signin");
        await Assertions.Expect(stranger.GetByText("northwind.example")).ToHaveCountAsync(0);
        await Assertions.Expect(stranger.GetByText("tacit-demo-2026")).ToHaveCountAsync(0);
        var tryAs = await stranger.GotoAsync("/demo");
        Assert.Equal(403, tryAs!.Status);
        await Assertions.Expect(stranger.GetByText(new Regex("turned off because this server holds a real organisation"))).ToBeVisibleAsync();
        await Checked(stranger, "26-demo-off");
    }

    private sealed record DemoStatus(bool Offered, bool Loaded, string? WhyNot);

    /// <summary>
    /// The home page's summary cards are boxes with the name above the figure. A later stylesheet rule for link target
    /// sizes once turned them into bare inline links that read "My skills2 shared · 1 wanted", with every test passing.
    /// </summary>
    private static async Task AssertSummaryCardsLaidOut(IPage page)
    {
        var cards = page.GetByRole(AriaRole.List, new() { Name = "At a glance" }).GetByRole(AriaRole.Link);
        Assert.Equal(3, await cards.CountAsync());
        for (int i = 0; i < 3; i++)
        {
            var card = cards.Nth(i);
            var box = (await card.BoundingBoxAsync())!;
            var name = (await card.Locator("strong").BoundingBoxAsync())!;
            var figure = (await card.Locator("span").BoundingBoxAsync())!;
            Assert.True(figure.Y >= name.Y + name.Height - 1, $"card {i}: the figure is beside its name, not under it");
            Assert.True(name.X - box.X >= 8 && box.Height >= name.Height + figure.Height + 16, $"card {i}: no padding inside the card ({box.Width}×{box.Height})");
        }
    }

    private async Task Checked(IPage page, string screenshot)
    {
        await TacitServer.ScreenshotAsync(page, screenshot);
        await server.AssertPageAsync(page);
    }
}
