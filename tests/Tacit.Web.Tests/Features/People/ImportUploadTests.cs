using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Web.Data;
using Tacit.Web.Tests.Infrastructure;

namespace Tacit.Web.Tests.Features.People;

/// <summary>The import page's upload, as a browser posts it (multipart with the antiforgery token).</summary>
public sealed partial class ImportUploadTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var (_, html) = await Pages.GetAsync(client, "/people/import");
        var token = Token().Match(html).Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", name);
        return await client.PostAsync("/people/import", form);
    }

    [Fact]
    public async Task A_ten_megabyte_file_is_refused_with_a_message_and_nothing_is_stored()
    {
        var org = await app.CreateOrganisationAsync("upload-big-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");
        var big = new byte[10 * 1024 * 1024];
        Array.Fill(big, (byte)'a');

        var response = await UploadAsync(client, big, "big.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the limit is 5 MB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().PendingImports.CountAsync()));
    }

    [Fact]
    public async Task A_binary_file_gets_a_preview_that_says_it_is_not_csv_and_offers_no_import()
    {
        var org = await app.CreateOrganisationAsync("upload-bin-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");

        var response = await UploadAsync(client, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00], "people.xlsx");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (status, preview) = await Pages.GetAsync(client, Pages.PathOf(response.Headers.Location));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("not a text CSV file", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"submit\" class=\"button\">Import", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/people", "/api/people/{id}", "/api/skills", "/api/shares", "/api/wants/{id}" })
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
