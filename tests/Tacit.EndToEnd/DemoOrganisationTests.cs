using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>The demo organisation, loaded from the first page, and a look at every page an admin has, on desktop and phone.</summary>
public sealed class DemoOrganisationTests(TacitServer server) : IClassFixture<TacitServer>
{
    [Fact]
    public async Task Demo_loads_from_the_first_page_and_every_page_is_accessible_on_desktop_and_phone()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Load the demo organisation" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/demo$"));
        await Assertions.Expect(page.GetByText("173 people in the demo.")).ToBeVisibleAsync();
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, "20-demo-try-as");
        await page.GotoAsync("/signin");
        await Assertions.Expect(page.GetByText("alex.morgan@northwind.example").First).ToBeVisibleAsync();
        await server.AssertPageAsync(page);
        await TacitServer.ScreenshotAsync(page, "21-signin-demo");

        await page.GetByLabel("Email").FillAsync("alex.morgan@northwind.example");
        await page.GetByLabel("Password").FillAsync("tacit-demo-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Alex Morgan" })).ToBeVisibleAsync();

        await page.GotoAsync("/people");
        await Assertions.Expect(page.GetByText("173 people found.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Page 2 of 7")).ToBeVisibleAsync();
        await page.GetByLabel("Department").SelectOptionAsync("Finance");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByText("19 people found.")).ToBeVisibleAsync();

        // A facilitator starts a learning cycle and moves it on; a step out of order is not offered.
        await page.GotoAsync("/cycles");
        await Assertions.Expect(page.GetByText("No cycles yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("Spring cycle");
        // Today: within range, but before the intake (which the form opens today) closes.
        await page.GetByLabel("Review date (optional)").FillAsync(TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create cycle" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The review must come after the intake closes.").First).ToBeVisibleAsync();
        await page.GetByLabel("Review date (optional)").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create cycle" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Spring cycle" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start enrolment" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Start enrolment and email") }).ClickAsync();
        await Assertions.Expect(page.GetByText(new Regex("Enrolment started: \\d+ manager"))).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the intake" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Open the intake and email") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Close the intake and publish the map" })).ToBeVisibleAsync();
        var cyclePage = new Uri(page.Url).AbsolutePath;

        await page.GotoAsync("/people");
        var someone = await page.Locator(".people-list a").First.GetAttributeAsync("href");
        var skillId = await SkillIdAsync(page);
        var pages = new[]
        {
            "/", "/people", someone!, someone + "/edit", "/people/import", "/skills", "/skills?q=excel", $"/skills/{skillId}/edit",
            "/skills/new", "/skills/merge", "/me/skills", "/settings", "/forgot-password", "/not-found", "/cycles", cyclePage,
        };
        foreach (var (width, height, device) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var path in pages)
            {
                await page.GotoAsync(path);
                await server.AssertPageAsync(page);
                await TacitServer.ScreenshotAsync(page, $"3{(device == "phone" ? 1 : 0)}-{device}-{path.Trim('/').Replace('/', '_').Replace('?', '_').Replace('=', '_')}");
            }
        }
    }

    private static async Task<string> SkillIdAsync(IPage page)
    {
        await page.GotoAsync("/skills?q=Coaching");
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "Edit Coaching" }).GetAttributeAsync("href");
        return href!.Split('/')[2];
    }
}
