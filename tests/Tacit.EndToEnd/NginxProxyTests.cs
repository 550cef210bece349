using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tacit.Web.Features.Demo;

namespace Tacit.EndToEnd;

/// <summary>
/// The published app behind nginx configured as docs/operations.md says ("Behind nginx"), reached over https at
/// <c>https://tacit.example:PORT</c> (its <c>App__BaseUrl</c>), as a browser and a client on the open internet meet it.
/// </summary>
public sealed partial class NginxProxyTests(TacitBehindNginx site) : IClassFixture<TacitBehindNginx>
{
    [Fact]
    public async Task Through_nginx_the_session_cookie_is_secure_hsts_is_sent_and_every_redirect_leads_to_the_https_address()
    {
        await site.LoadDemoAsync();
        await using var browser = await site.Server.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.PublicBaseUrl, IgnoreHTTPSErrors = true });
        var page = await browser.NewPageAsync();

        // Plain http is sent to https by nginx, and the app sends a visitor to sign in on its public https address.
        var signInPage = await page.GotoAsync($"http://{Nginx.ServerName}:{site.Nginx.HttpPort}/people");
        Assert.Equal($"{site.PublicBaseUrl}/signin?ReturnUrl=%2Fpeople", page.Url);
        var toSignIn = await signInPage!.Request.RedirectedFrom!.ResponseAsync();
        Assert.Equal(302, toSignIn!.Status);
        Assert.Equal($"{site.PublicBaseUrl}/signin?ReturnUrl=%2Fpeople", toSignIn.Headers["location"]);
        var toHttps = await toSignIn.Request.RedirectedFrom!.ResponseAsync();
        Assert.Equal(301, toHttps!.Status);
        Assert.Equal($"{site.PublicBaseUrl}/people", toHttps.Headers["location"]);
        Assert.Contains("max-age=", signInPage.Headers["strict-transport-security"], StringComparison.Ordinal);

        // Signing in lands on the public https address, with a session cookie only https may carry and no script may read.
        await page.GetByLabel("Email").FillAsync(DemoOrganisationLoader.AdminEmail);
        await page.GetByLabel("Password").FillAsync(DemoOrganisationLoader.AdminPassword);
        var signedIn = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            response => response.Request.Method == "POST");
        Assert.Equal(302, signedIn.Status);
        Assert.Equal($"{site.PublicBaseUrl}/people", signedIn.Headers["location"]);
        await Assertions.Expect(page).ToHaveURLAsync($"{site.PublicBaseUrl}/people");
        var cookies = await browser.CookiesAsync();
        var session = cookies.Single(c => c.Name.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal));
        Assert.True(session.Secure, "The session cookie is not Secure.");
        Assert.True(session.HttpOnly, "The session cookie is readable by scripts.");
        Assert.All(cookies, c => Assert.True(c.Secure, $"{c.Name} is not Secure."));
    }

    [Fact]
    public async Task A_forged_host_through_nginx_gets_no_redirect_or_link_to_it()
    {
        await site.LoadDemoAsync();
        using var http = site.HttpsClient();
        const string forged = "evil.example";
        HttpRequestMessage Forged(HttpMethod method, string path, HttpContent? content = null) =>
            new(method, path) { Headers = { Host = forged }, Content = content };

        using var toSignIn = await http.SendAsync(Forged(HttpMethod.Get, "/people"));
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.Equal($"{site.PublicBaseUrl}/signin?ReturnUrl=%2Fpeople", toSignIn.Headers.Location!.OriginalString);

        using var form = await http.SendAsync(Forged(HttpMethod.Get, "/signin?ReturnUrl=%2Fpeople"));
        var token = VerificationToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var signIn = await http.SendAsync(Forged(HttpMethod.Post, "/signin?ReturnUrl=%2Fpeople", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token,
            ["Input.Email"] = DemoOrganisationLoader.AdminEmail, ["Input.Password"] = DemoOrganisationLoader.AdminPassword,
        })));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal($"{site.PublicBaseUrl}/people", signIn.Headers.Location!.OriginalString);

        foreach (var path in new[] { "/", "/people", "/openapi/v1.json" })
        {
            using var response = await http.SendAsync(Forged(HttpMethod.Get, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(forged, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
