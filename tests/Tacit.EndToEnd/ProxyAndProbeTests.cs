using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Web.Features.Demo;

namespace Tacit.EndToEnd;

/// <summary>
/// The shipped app behind a TLS-terminating proxy on the same machine (which says so with X-Forwarded-Proto), and as
/// uptime probes and integrations meet it: HEAD answers, and an API token opens no page.
/// </summary>
public sealed partial class ProxyAndProbeTests(TacitServerBehindProxy server) : IClassFixture<TacitServerBehindProxy>
{
    [Fact]
    public async Task Behind_a_tls_proxy_the_sign_in_cookie_is_secure_hsts_is_sent_and_redirects_stay_on_https()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };
        await LoadDemoAsync(http);

        // Straight to the app (plain http): no HSTS and no Secure cookie, or a browser on http could not sign in at all.
        using var direct = await http.GetAsync("/signin");
        Assert.False(direct.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(Cookies(direct), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));

        using var form = await ThroughProxyAsync(http, HttpMethod.Get, "/signin");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("max-age=", form.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        var antiforgery = Cookies(form).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        var token = VerificationToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var signIn = await ThroughProxyAsync(http, HttpMethod.Post, "/signin", antiforgery.Split(';')[0], new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token,
            ["Input.Email"] = DemoOrganisationLoader.AdminEmail, ["Input.Password"] = DemoOrganisationLoader.AdminPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotMatch("^http://", signIn.Headers.Location!.OriginalString);
        var session = Cookies(signIn).Single(c => c.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);

        // A page that needs signing in sends a visitor through the proxy to the https sign-in page.
        using var home = await ThroughProxyAsync(http, HttpMethod.Get, "/people");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("https://", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body_and_a_token_opens_the_api_but_no_page()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        foreach (var path in new[] { "/", "/signin", "/demo" })
        {
            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        using var missing = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/no-such-page"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await LoadDemoAsync(http);
        var secret = await TokenOfDemoAdminAsync();
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/skills");
        api.Headers.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(api)).StatusCode);

        // docs/api.md: tokens are for the API. A page asked for with one is asked as if by nobody.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/people");
        page.Headers.Authorization = new("Bearer", secret);
        using var refused = await http.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/signin", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Both tests use the demo organisation; whichever runs first loads it.</summary>
    private static async Task LoadDemoAsync(HttpClient http)
    {
        using var loaded = await http.PostAsync("/api/demo", null);
        Assert.True(loaded.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"POST /api/demo: {(int)loaded.StatusCode}");
    }

    private async Task<string> TokenOfDemoAdminAsync()
    {
        using var scope = server.Services.CreateScope();
        var organisation = await scope.ServiceProvider.GetRequiredService<Tacit.Web.Data.TacitDbContext>().Organisations.IgnoreQueryFilters().SingleAsync(o => o.IsDemo);
        scope.ServiceProvider.GetRequiredService<Tacit.Web.Tenancy.TenantContext>().Use(organisation.Id);
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<Tacit.Web.Features.Settings.ApiTokenService>()
            .CreateAsync(organisation.Id, "probe", Tacit.Domain.People.Roles.Member);
        return secret;
    }

    private static async Task<HttpResponseMessage> ThroughProxyAsync(HttpClient http, HttpMethod method, string path, string? cookie = null, Dictionary<string, string>? form = null)
    {
        var request = new HttpRequestMessage(method, path);
        // A proxy passes on the name people use (HSTS is never sent for loopback names) and says it took https.
        request.Headers.Host = "tacit.example";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (form is not null) request.Content = new FormUrlEncodedContent(form);
        return await http.SendAsync(request);
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}

/// <summary>Tacit as set up behind a TLS proxy that people reach at https://tacit.example (its <c>App__BaseUrl</c>).</summary>
public sealed class TacitServerBehindProxy() : TacitServer("https://tacit.example");
