using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tacit.Domain.People;
using Tacit.Testing;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.People;
using Tacit.Web.Tenancy;

namespace Tacit.EndToEnd;

/// <summary>
/// Company sign-in in Chromium against the published app and a real OpenID Connect provider on loopback: an admin
/// configures the provider in Settings, a colleague already in the directory signs in through it without a Tacit
/// password and is the same person in the directory, and signs out of both. The new pages are checked at 1366 and 390 px.
/// </summary>
public sealed class CompanySignInJourneyTests(TacitServer server) : IClassFixture<TacitServer>
{
    private const string Password = "contoso-secret-password";

    [Fact]
    public async Task An_admin_configures_company_sign_in_and_a_colleague_signs_in_through_the_provider_as_themselves()
    {
        await using var provider = await OidcTestProvider.StartAsync();
        var (organisationId, grace) = await OrganisationWithColleagueAsync();
        var clientSecret = "contoso-client-" + Guid.NewGuid().ToString("N");
        await provider.AddClientAsync("tacit-contoso", clientSecret, $"{server.BaseUrl}/signin/company/contoso/callback",
            $"{server.BaseUrl}/signout/company/contoso/callback");
        await provider.AddAccountAsync("grace-at-contoso", "Grace@Contoso.example", name: "Grace H.");

        var admin = await server.NewPageAsync(1366, 900);
        await TacitServer.SignInAsync(admin, "ada@contoso.example", Password);
        await admin.GotoAsync("/settings");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Company sign-in" }).ClickAsync();
        await Assertions.Expect(admin.GetByText($"{server.BaseUrl}/signin/company/contoso/callback")).ToBeVisibleAsync();
        await BothWidthsAsync(admin, "company-01-settings");
        await admin.GetByLabel("Issuer").FillAsync(provider.Issuer);
        await admin.GetByLabel("Client id").FillAsync("tacit-contoso");
        await admin.GetByLabel("Client secret").FillAsync(clientSecret);
        await admin.GetByLabel("Allowed email domains").FillAsync("contoso.example");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Saved.")).ToBeVisibleAsync();
        Assert.DoesNotContain(clientSecret, await admin.ContentAsync(), StringComparison.Ordinal);
        await BothWidthsAsync(admin, "company-02-settings-saved");

        var signIn = await server.NewPageAsync(1366, 900);
        await signIn.GotoAsync("/signin");
        await BothWidthsAsync(signIn, "company-03-signin");
        await signIn.GotoAsync("/signin/problem?why=unknown");
        await BothWidthsAsync(signIn, "company-04-problem");

        // Grace's own browser keeps the Content-Security-Policy, so that the way out to the provider is the real one.
        await using var context = await server.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl });
        var colleague = await context.NewPageAsync();
        await colleague.GotoAsync("/signin");
        await colleague.GetByLabel("Email").FillAsync("grace@contoso.example");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(colleague.GetByRole(AriaRole.Heading, new() { Name = "Test company sign-in" })).ToBeVisibleAsync();
        Assert.StartsWith(provider.Issuer, colleague.Url, StringComparison.Ordinal);
        await TacitServer.ScreenshotAsync(colleague, "company-05-provider");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Sign in to the company" }).ClickAsync();
        await Assertions.Expect(colleague.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Welcome") })).ToBeVisibleAsync();
        await Assertions.Expect(colleague.Locator($"a[href='/people/{grace}']")).ToBeVisibleAsync();
        await TacitServer.ScreenshotAsync(colleague, "company-06-signed-in");

        // The same person in the directory: one Grace, linked to the provider's subject.
        await admin.GotoAsync("/people");
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" })).ToHaveCountAsync(1);
        Assert.Equal(2, await CountPeopleAsync(organisationId));

        await colleague.GotoAsync("/signout");
        await colleague.Locator("#main").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(colleague.GetByText("You are signed out of Tacit.")).ToBeVisibleAsync();
        await TacitServer.ScreenshotAsync(colleague, "company-07-signed-out");
        await colleague.GetByRole(AriaRole.Link, new() { Name = "Sign out of your company account too" }).ClickAsync();
        Assert.StartsWith($"{provider.Issuer}/session/end", colleague.Url, StringComparison.Ordinal);
    }

    private async Task BothWidthsAsync(IPage page, string screenshot)
    {
        await page.SetViewportSizeAsync(1366, 900);
        await TacitServer.ScreenshotAsync(page, screenshot + "-1366");
        await server.AssertPageAsync(page);
        await page.SetViewportSizeAsync(390, 844);
        await TacitServer.ScreenshotAsync(page, screenshot + "-390");
        await server.AssertPageAsync(page);
        await page.SetViewportSizeAsync(1366, 900);
    }

    private async Task<(Guid Organisation, Guid Grace)> OrganisationWithColleagueAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
            .HandleAsync(new CreateOrganisation("Contoso", "contoso", "Ada Admin", "ada@contoso.example", Password));
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(created.Organisation.Id);
        var grace = await scope.ServiceProvider.GetRequiredService<PeopleAdministration>().CreateAsync("grace@contoso.example",
            new ProfileInput("Grace Hopper", "Engineer", "Engineering", 5, null, null, null), null, Roles.Member);
        return (created.Organisation.Id, grace.Id);
    }

    private async Task<int> CountPeopleAsync(Guid organisationId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        return await scope.ServiceProvider.GetRequiredService<TacitDbContext>().People.CountAsync();
    }
}
