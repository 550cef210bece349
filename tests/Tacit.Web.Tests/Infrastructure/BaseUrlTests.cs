namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// A request's Host header is whatever the client says: redirects and links name Tacit by <c>App:BaseUrl</c> only
/// (http://127.0.0.1 in these tests; docs/operations.md, "Reverse proxy").
/// </summary>
public abstract class BaseUrlTests(TacitApp app)
{
    [Fact]
    public async Task A_forged_host_appears_in_no_redirect_or_link()
    {
        var org = await app.CreateOrganisationAsync("forged-host-" + Guid.NewGuid().ToString("N")[..6]);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Host = "evil.example";

        using var toSignIn = await client.GetAsync("/people");
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("http://127.0.0.1/signin?", toSignIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var signedIn = await Pages.PostFormAsync(client, "/signin?ReturnUrl=%2Fpeople", "signin",
            new Dictionary<string, string> { ["Input.Email"] = org.Admin.Email, ["Input.Password"] = "correct-horse-battery" });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("http://127.0.0.1/people", signedIn.Headers.Location!.OriginalString);

        foreach (var path in new[] { "/", "/people", "/skills", "/openapi/v1.json" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}

public sealed class BaseUrlSqliteTests(SqliteApp app) : BaseUrlTests(app), IClassFixture<SqliteApp>;

public sealed class BaseUrlPostgresTests(PostgresApp app) : BaseUrlTests(app), IClassFixture<PostgresApp>;
