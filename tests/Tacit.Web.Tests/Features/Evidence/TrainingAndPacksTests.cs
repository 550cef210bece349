using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tacit.Web.Features.Evidence;
using Tacit.Web.Features.Xapi;

namespace Tacit.Web.Tests.Features.Evidence;

/// <summary>
/// Submit training (a file whose type is read from its bytes, a colleague who confirms or declines, on the record, its CSV
/// and its xAPI export) and evidence packs shared by consent: a manager sees only what was shared with them, through
/// pages, API and exports, until it is withdrawn.
/// </summary>
public abstract class TrainingAndPacksTests(TacitApp app)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    /// <summary>A Windows program (its "MZ" header) named as a PDF.</summary>
    private static readonly byte[] Exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];

    private static string Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static object Training(string what, FinanceAndSales org, string? confirmer, string? fileName = null, byte[]? file = null) => new
    {
        what,
        on = Today,
        hours = 7.5,
        skillIds = new[] { org.Wanted },
        link = "https://academy.example/negotiation",
        confirmerEmail = confirmer is null ? null : org.Email(confirmer),
        fileName,
        fileBase64 = file is null ? null : Convert.ToBase64String(file),
    };

    [Fact]
    public async Task Training_with_a_file_is_confirmed_or_declined_by_a_colleague_and_shows_on_the_record_its_csv_and_xapi()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var person = await org.SignInAsync("finance1");

        // The file's bytes decide: a program renamed .pdf is refused, and so is a PDF over 5 MB.
        var renamed = await person.PostAsJsonAsync("/api/me/training", Training("Course", org, null, "certificate.pdf", Exe));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, renamed.StatusCode);
        Assert.Contains("PDF, PNG or JPEG", await renamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var large = new byte[TrainingSubmissions.MaxFileBytes + 1];
        Pdf.CopyTo(large, 0);
        var tooLarge = await person.PostAsJsonAsync("/api/me/training", Training("Course", org, null, "big.pdf", large));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLarge.StatusCode);
        Assert.Contains("larger than 5 MB", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await person.PostAsJsonAsync("/api/me/training", new { what = "Course", on = Today, hours = 2, confirmerEmail = org.Email("finance1") }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await person.PostAsJsonAsync("/api/me/training", new { what = "Course", on = Today, hours = 2, skillIds = new[] { Guid.NewGuid() } }).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var course = await person.PostAsJsonAsync("/api/me/training", Training("Negotiation course, Acme Academy", org, "finance2", "../Certificate.pdf", Pdf))
            .ReadAsync<TrainingDto>(HttpStatusCode.Created);
        Assert.Equal((TrainingConfirmation.Pending, "Certificate.pdf"), (course.Confirmation, course.FileName));

        // Through the page: a PNG is accepted, a renamed program refused with the same words.
        var page = await PostMultipartAsync(person, "/me/training", "training", new() { ["Form.What"] = "Shadowed sales1", ["Form.On"] = Today, ["Form.Hours"] = "3",
            ["Form.Skill1"] = FinanceAndSales.WantedSkill, ["Form.ConfirmerEmail"] = org.Email("finance3") }, ("Form.File", "notes.png", Png));
        Assert.Contains("finance3 is asked to confirm it", page, StringComparison.Ordinal);
        var refused = await PostMultipartAsync(person, "/me/training", "training", new() { ["Form.What"] = "Book", ["Form.On"] = Today, ["Form.Hours"] = "1" },
            ("Form.File", "book.pdf", Exe));
        Assert.Contains(TrainingSubmissions.FileRefused, System.Net.WebUtility.HtmlDecode(refused), StringComparison.Ordinal);
        var shadowing = (await person.GetJsonAsync<List<TrainingDto>>("/api/me/training")).Single(t => t.What == "Shadowed sales1");
        Assert.Equal([FinanceAndSales.WantedSkill], shadowing.Skills);

        // The colleague is told, reads it and its file; the manager, not asked, finds nothing.
        Assert.True(await InOrgAsync(org.Id, db => db.Notifications.AnyAsync(n => n.PersonId == org["finance2"] && n.Link == $"/training/{course.Id}")));
        var colleague = await org.SignInAsync("finance2");
        var manager = await org.SignInAsync("fiona");
        using (var file = await colleague.GetAsync($"/api/training/{course.Id}/file"))
        {
            await file.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Pdf, await file.Content.ReadAsByteArrayAsync());
        }
        await manager.GetAsync($"/api/training/{course.Id}").ExpectAsync(HttpStatusCode.NotFound);
        await manager.GetAsync($"/api/training/{course.Id}/file").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await Pages.GetAsync(manager, $"/training/{course.Id}")).Status);
        await person.PostAsJsonAsync($"/api/training/{course.Id}/answer", new { confirmed = true }).ExpectAsync(HttpStatusCode.Forbidden);

        // finance2 confirms on the page; finance3 declines through the API; an answer is given once.
        var confirmed = await Pages.PostFormAsync(colleague, $"/training/{course.Id}", "training-confirm", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("confirmed by finance2", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await colleague.PostAsJsonAsync($"/api/training/{course.Id}/answer", new { confirmed = false }).ExpectAsync(HttpStatusCode.Conflict);
        var declined = await (await org.SignInAsync("finance3")).PostAsJsonAsync($"/api/training/{shadowing.Id}/answer", new { confirmed = false }).ReadAsync<TrainingDto>(HttpStatusCode.OK);
        Assert.Equal(TrainingConfirmation.Declined, declined.Confirmation);

        // On the record, its CSV and its page, with the confirmation of each.
        var record = await person.GetJsonAsync<LearningRecordDto>("/api/me/learning-record");
        Assert.Equal([(course.Id, TrainingConfirmation.Confirmed, "finance2"), (shadowing.Id, TrainingConfirmation.Declined, "finance3")],
            record.SubmittedTraining.Select(t => (t.Id, t.Confirmation, t.Confirmer)).OrderBy(t => t.Id == shadowing.Id));
        var csv = await person.GetStringAsync("/api/me/learning-record?format=csv");
        Assert.Contains($"training elsewhere,{Today},{FinanceAndSales.WantedSkill},learned,7.5,finance2,,\"Negotiation course, Acme Academy (confirmed by finance2)\"", csv, StringComparison.Ordinal);
        var html = (await Pages.GetAsync(person, "/me/learning-record")).Html;
        Assert.Contains("Negotiation course, Acme Academy", html, StringComparison.Ordinal);
        Assert.Contains("finance3 declined to confirm", html, StringComparison.Ordinal);

        // As xAPI: the person completed it, with the PDF as attachment (kept by the store); finance2's statement confirms it.
        var statements = JsonNode.Parse(await person.GetStringAsync("/api/me/learning-record/statements"))!.AsArray().Select(s => s!.AsObject()).ToList();
        var completed = statements.Single(s => s["id"]!.GetValue<string>() == course.StatementId.ToString());
        Assert.Equal(EvidenceRecorder.Completed, completed["verb"]!["id"]!.GetValue<string>());
        Assert.Equal("PT7H30M", completed["result"]!["duration"]!.GetValue<string>());
        var sha2 = Convert.ToHexStringLower(SHA256.HashData(Pdf));
        Assert.Equal(sha2, completed["attachments"]![0]!["sha2"]!.GetValue<string>());
        Assert.True(await InOrgAsync(org.Id, db => db.Set<XapiAttachment>().AnyAsync(a => a.Sha2 == sha2)));
        var confirmation = statements.Single(s => s["verb"]!["id"]!.GetValue<string>() == EvidenceRecorder.Confirmed);
        Assert.Equal(("mailto:" + org.Email("finance2"), course.StatementId.ToString()), (confirmation["actor"]!["mbox"]!.GetValue<string>(), confirmation["object"]!["id"]!.GetValue<string>()));

        // The owner deletes an entry (nobody else can): it leaves the record, and its statement is voided.
        await colleague.DeleteAsync($"/api/me/training/{shadowing.Id}").ExpectAsync(HttpStatusCode.NotFound);
        await person.DeleteAsync($"/api/me/training/{shadowing.Id}").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Single((await person.GetJsonAsync<LearningRecordDto>("/api/me/learning-record")).SubmittedTraining);
        Assert.True(await InOrgAsync(org.Id, db => db.Set<XapiStatement>().AnyAsync(s => s.StatementId == shadowing.StatementId && s.Voided)));
        Assert.DoesNotContain(JsonNode.Parse(await person.GetStringAsync("/api/me/learning-record/statements"))!.AsArray(),
            s => s!["id"]!.GetValue<string>() == shadowing.StatementId.ToString());
    }

    [Fact]
    public async Task A_manager_sees_only_packs_shared_with_them_and_nothing_once_withdrawn()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var person = await org.SignInAsync("finance1");
        var manager = await org.SignInAsync("fiona");
        var outsider = await org.SignInAsync("finance2");
        await person.PostAsJsonAsync("/api/me/training", Training("Conference: NegotiateCon", org, null)).ExpectAsync(HttpStatusCode.Created);

        // Nothing of the record reaches the manager unshared.
        Assert.Empty(await manager.GetJsonAsync<List<PackSummary>>("/api/packs/shared-with-me"));
        Assert.DoesNotContain("NegotiateCon", (await Pages.GetAsync(manager, "/packs/shared-with-me")).Html, StringComparison.Ordinal);
        Assert.DoesNotContain("NegotiateCon", (await Pages.GetAsync(manager, $"/people/{org["finance1"]}")).Html, StringComparison.Ordinal);

        // A pack goes to the manager or an admin, nobody else, and holds only what was chosen.
        var recipients = await person.GetJsonAsync<List<PackRecipient>>("/api/me/packs/recipients");
        Assert.Equal((org["fiona"], true), (recipients[0].Id, recipients[0].IsManager));
        await person.PostAsJsonAsync("/api/me/packs", new { title = "Appraisal", contents = new[] { "submittedTraining" }, sharedWithId = org["finance2"] })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await person.PostAsJsonAsync("/api/me/packs", new { title = "Appraisal", contents = new[] { "everything" }, sharedWithId = org["fiona"] })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var created = await Pages.PostFormAsync(person, "/me/packs", "pack", new KeyValuePair<string, string>[] { new("Form.Title", "Appraisal 2026"),
            new("Form.Contents", "submittedTraining"), new("Form.Contents", "thanks"), new("Form.SharedWith", org["fiona"].ToString()) });
        Assert.Contains("Shared with fiona", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var pack = Assert.Single(await person.GetJsonAsync<List<PackSummary>>("/api/me/packs"));
        Assert.Equal(["submittedTraining", "thanks"], pack.Contents);

        // Someone it was not shared with: nothing through the API, the export or the page.
        await outsider.GetAsync($"/api/packs/{pack.Id}").ExpectAsync(HttpStatusCode.NotFound);
        await outsider.GetAsync($"/api/packs/{pack.Id}?format=csv").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await Pages.GetAsync(outsider, $"/packs/{pack.Id}")).Status);
        Assert.Empty(await outsider.GetJsonAsync<List<PackSummary>>("/api/packs/shared-with-me"));

        // The manager reads it (each opening is kept for the person to see).
        Assert.Equal(pack.Id, Assert.Single(await manager.GetJsonAsync<List<PackSummary>>("/api/packs/shared-with-me")).Id);
        var view = await manager.GetJsonAsync<PackView>($"/api/packs/{pack.Id}");
        Assert.Equal("Conference: NegotiateCon", Assert.Single(view.Record.SubmittedTraining).What);
        Assert.Empty(view.Pack.Openings);
        Assert.Contains("Conference: NegotiateCon", await manager.GetStringAsync($"/api/packs/{pack.Id}?format=csv"), StringComparison.Ordinal);
        var (status, html) = await Pages.GetAsync(manager, $"/packs/{pack.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Conference: NegotiateCon", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Sessions learned", html, StringComparison.Ordinal);
        Assert.Equal(3, (await person.GetJsonAsync<PackView>($"/api/packs/{pack.Id}")).Pack.Openings.Count);
        Assert.Contains("fiona opened your pack on", (await Pages.GetAsync(person, "/me/packs")).Html, StringComparison.Ordinal);

        // Withdrawn: a 404 for the manager everywhere; the person still has it.
        await Pages.PostFormAsync(person, "/me/packs", $"pack-withdraw-{pack.Id}", new Dictionary<string, string>()).ExpectAsync(HttpStatusCode.OK);
        await manager.GetAsync($"/api/packs/{pack.Id}").ExpectAsync(HttpStatusCode.NotFound);
        await manager.GetAsync($"/api/packs/{pack.Id}?format=csv").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await Pages.GetAsync(manager, $"/packs/{pack.Id}")).Status);
        Assert.Empty(await manager.GetJsonAsync<List<PackSummary>>("/api/packs/shared-with-me"));
        await person.GetAsync($"/api/packs/{pack.Id}").ExpectAsync(HttpStatusCode.OK);
        await manager.DeleteAsync($"/api/me/packs/{pack.Id}").ExpectAsync(HttpStatusCode.NotFound);
    }

    private static async Task<string> PostMultipartAsync(HttpClient client, string path, string formName, Dictionary<string, string> fields, (string Name, string FileName, byte[] Content) file)
    {
        var (_, html) = await Pages.GetAsync(client, path);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var body = new MultipartFormDataContent();
        foreach (var (name, value) in fields) body.Add(new StringContent(value), name);
        body.Add(new StringContent(formName), "_handler");
        body.Add(new StringContent(token), "__RequestVerificationToken");
        var content = new ByteArrayContent(file.Content);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        body.Add(content, file.Name, file.FileName);
        using var response = await client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<T> InOrgAsync<T>(Guid organisationId, Func<TacitDbContext, Task<T>> query) =>
        app.InScopeAsync(organisationId, sp => query(sp.GetRequiredService<TacitDbContext>()));
}

public sealed class TrainingAndPacksSqliteTests(SqliteApp app) : TrainingAndPacksTests(app), IClassFixture<SqliteApp>;

public sealed class TrainingAndPacksPostgresTests(PostgresApp app) : TrainingAndPacksTests(app), IClassFixture<PostgresApp>;
