using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tacit.EndToEnd;

/// <summary>The organisation's knowledge page, as the demo's facilitator sees it on a desktop and a phone, with a filter.</summary>
public sealed class KnowledgeTests(TacitServer server) : IClassFixture<TacitServer>
{
    [Fact]
    public async Task A_facilitator_reads_who_knows_what_without_a_cycle_and_narrows_it()
    {
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/demo", null)).StatusCode);

        foreach (var (width, height, device) in new[] { (1366, 900, "desktop"), (390, 844, "phone") })
        {
            var alex = await server.NewPageAsync(width, height);
            await alex.GotoAsync("/demo");
            await alex.GetByRole(AriaRole.Button, new() { Name = "Try as Alex Morgan" }).ClickAsync();
            await alex.GotoAsync("/knowledge");
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Organisation knowledge", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(alex.GetByText(new Regex(@"want to learn something \(\d+ of 173 people\)"))).ToBeVisibleAsync();
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Skills only one person shares" })).ToBeVisibleAsync();
            await Assertions.Expect(alex.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("most wanted skills") })).ToBeVisibleAsync();
            // The per-category figures are a chart; their table is folded, like the skills' one, until asked for.
            var categoryTable = alex.GetByRole(AriaRole.Table, new() { Name = "Per category" });
            await Assertions.Expect(categoryTable).ToBeHiddenAsync();
            await alex.GetByText(new Regex(@"^All \d+ categories as a table$")).ClickAsync();
            await Assertions.Expect(categoryTable).ToBeVisibleAsync();
            await alex.GetByText(new Regex(@"^All \d+ categories as a table$")).ClickAsync();
            await TacitServer.ScreenshotAsync(alex, $"70-{device}-knowledge");
            await server.AssertPageAsync(alex);

            await alex.GetByLabel("Department", new() { Exact = true }).SelectOptionAsync("Finance");
            await alex.GetByLabel("Skill name contains").FillAsync("a");
            await alex.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Assertions.Expect(alex).ToHaveURLAsync(new Regex("department=Finance"));
            await Assertions.Expect(alex.GetByRole(AriaRole.Heading, new() { Name = "Who knows it" })).ToBeVisibleAsync();
            await Assertions.Expect(alex.GetByRole(AriaRole.Link, new() { Name = "Clear the filters" })).ToBeVisibleAsync();
            await TacitServer.ScreenshotAsync(alex, $"71-{device}-knowledge-finance");
            await server.AssertPageAsync(alex);
            await alex.Context.CloseAsync();
        }
    }
}
