using System.Text.RegularExpressions;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>Drives the server-rendered pages over HTTP: reads the antiforgery token from a form and posts it back.</summary>
public static partial class Pages
{
    public static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A page that must answer 200 (else the server's errors say why), as text with its entities decoded, and what
    /// <paramref name="item"/>'s first group matches in it, in page order: the rows a paged list shows.
    /// </summary>
    public static async Task<(string Text, string[] Items)> ReadListAsync(TacitApp app, HttpClient client, string path, Regex item)
    {
        var (status, html) = await GetAsync(client, path);
        Assert.True(HttpStatusCode.OK == status, app.ServerErrors.ToString());
        return (WebUtility.HtmlDecode(html), [.. item.Matches(html).Select(m => m.Groups[1].Value)]);
    }

    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, IDictionary<string, string> fields) =>
        PostFormAsync(client, path, formName, (IEnumerable<KeyValuePair<string, string>>)fields);

    /// <summary>Posts a form whose fields may repeat a name, as ticked checkboxes do.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, html) = await GetAsync(client, path);
        var token = AntiforgeryToken().Match(html);
        if (!token.Success) throw new InvalidOperationException($"No form with an antiforgery token on {path}.");
        KeyValuePair<string, string>[] body = [.. fields, new("_handler", formName), new("__RequestVerificationToken", token.Groups[1].Value)];
        return await client.PostAsync(path, new FormUrlEncodedContent(body));
    }

    public static async Task<HttpClient> SignedInClientAsync(TacitApp app, string email, string password)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostFormAsync(client, "/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} failed: {response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>The path and query of a redirect, whether the server wrote it absolute or relative.</summary>
    public static string PathOf(Uri? location) =>
        location is null ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
