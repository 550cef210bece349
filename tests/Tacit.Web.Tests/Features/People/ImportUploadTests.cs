using System.Net.Http.Headers;
using System.Text.RegularExpressions;

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
        form.Add(content, "Input.File", name);
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
    public async Task A_binary_file_is_refused_at_upload_as_not_csv()
    {
        var org = await app.CreateOrganisationAsync("upload-bin-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");

        var response = await UploadAsync(client, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00], "people.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("not a text CSV file", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"file-error\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().PendingImports.CountAsync()));
    }

    [Fact]
    public async Task A_byte_in_neither_encoding_is_refused_next_to_the_field_naming_the_line()
    {
        var org = await app.CreateOrganisationAsync("upload-enc-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");

        var response = await UploadAsync(client, [.. "name,email\nAda,ada@example.com\nB"u8, 0x8F, .. "b,b@example.com\n"u8], "people.csv");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<p id=\"file-error\" class=\"validation-message\" role=\"alert\">Line 3 is not valid text in UTF-8 or Windows-1252", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mixed_file_previews_rejected_rows_imports_the_valid_ones_and_confirms_the_counts()
    {
        var org = await app.CreateOrganisationAsync("upload-mix-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");
        var file = "name,email,level\nZoë Ñúñez,zoe@example.com,3\n,nameless@example.com,4\nChloé,chloe@example.com,12\n"u8.ToArray();

        var uploaded = await UploadAsync(client, file, "people.csv");
        var previewPath = Pages.PathOf(uploaded.Headers.Location);
        var (_, preview) = await Pages.GetAsync(client, previewPath);

        Assert.Contains("<strong>1 valid</strong> (1 new, 0 to update)", preview, StringComparison.Ordinal);
        Assert.Contains("<strong>2 rejected</strong>", preview, StringComparison.Ordinal);
        Assert.Contains("Name is required.", preview, StringComparison.Ordinal);
        Assert.Contains("Level of authority must be between 1 and 10.", preview, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/people/imports/{previewPath.Split('/').Last()}/rejected\"", preview, StringComparison.Ordinal);
        var rejected = await client.GetStringAsync($"/api/people/imports/{previewPath.Split('/').Last()}/rejected");
        Assert.Contains(",nameless@example.com,4,Name is required.", rejected, StringComparison.Ordinal);

        var committed = await Pages.PostFormAsync(client, previewPath, "commit", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);
        var (_, done) = await Pages.GetAsync(client, Pages.PathOf(committed.Headers.Location));
        Assert.Contains("Import done: 1 person added, 0 people updated, 2 rows skipped.", done, StringComparison.Ordinal);
        Assert.Equal(2, await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().People.CountAsync()));
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
