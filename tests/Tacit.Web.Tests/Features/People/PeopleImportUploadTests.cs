using System.Text;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.People;

/// <summary>An uploaded file from its bytes to its people: encodings, rejected rows and their download, all or nothing.</summary>
public abstract class PeopleImportUploadTests(TacitApp app)
{
    static PeopleImportUploadTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string Header = "name,email,department,title,level,manager_email\n";

    /// <summary>Names in every encoding under test; Œ and € sit in the 0x80–0x9F range where Windows-1252 differs from Latin-1.</summary>
    private const string Latin = "Zoë Ñúñez,zoe@example.com,Ingeniería,Jefa,7,\nChloé Œuvre,chloe@example.com,Ventes,€ lead,5,zoe@example.com\n";

    /// <summary>Ł is not in Windows-1252, so only the Unicode files carry it.</summary>
    private const string BeyondLatin = "Łukasz Żółć,lukasz@example.com,Dział,Inżynier,4,zoe@example.com\n";

    private async Task<Guid> OrganisationAsync() => (await app.CreateOrganisationAsync("upload-" + Guid.NewGuid().ToString("N")[..8])).Organisation.Id;

    private Task<PendingImport> UploadAsync(Guid org, byte[] bytes) => app.InScopeAsync(org, sp =>
        sp.GetRequiredService<PeopleImporter>().UploadAsync("people.csv", bytes.Length, new MemoryStream(bytes), Guid.Empty));

    private Task<ImportResult> CommitAsync(Guid org, Guid upload) =>
        app.InScopeAsync(org, sp => sp.GetRequiredService<PeopleImporter>().CommitUploadAsync(upload));

    private Task<List<Person>> PeopleAsync(Guid org) =>
        app.InScopeAsync(org, sp => sp.GetRequiredService<TacitDbContext>().People.AsNoTracking().OrderBy(p => p.Email).ToListAsync());

    private Task<int> UploadsAsync(Guid org) =>
        app.InScopeAsync(org, sp => sp.GetRequiredService<TacitDbContext>().PendingImports.CountAsync());

    public static TheoryData<string> Encodings => ["utf-8", "utf-8 with bom", "utf-16le", "utf-16be", "windows-1252"];

    private static byte[] Encode(string text, string encoding) => encoding switch
    {
        "utf-8" => new UTF8Encoding(false).GetBytes(text),
        "utf-8 with bom" => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)],
        "utf-16le" => [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(text)],
        "utf-16be" => [.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes(text)],
        "windows-1252" => Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(text),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task The_same_file_imports_identically_in_every_encoding(string encoding)
    {
        var text = Header + Latin + (encoding == "windows-1252" ? "" : BeyondLatin);
        var org = await OrganisationAsync();

        var upload = await UploadAsync(org, Encode(text, encoding));
        var result = await CommitAsync(org, upload.Id);

        var people = await PeopleAsync(org);
        var expected = encoding == "windows-1252" ? 2 : 3;
        Assert.Equal(new ImportResult(expected, 0, 0), result);
        var zoe = people.Single(p => p.Email == "zoe@example.com");
        Assert.Equal(("Zoë Ñúñez", "Ingeniería", "Jefa", 7), (zoe.DisplayName, zoe.Department, zoe.JobTitle, zoe.AuthorityLevel));
        var chloe = people.Single(p => p.Email == "chloe@example.com");
        Assert.Equal(("Chloé Œuvre", "€ lead", zoe.Id), (chloe.DisplayName, chloe.JobTitle, chloe.ManagerId));
        if (expected == 3)
        {
            var lukasz = people.Single(p => p.Email == "lukasz@example.com");
            Assert.Equal(("Łukasz Żółć", "Dział", zoe.Id), (lukasz.DisplayName, lukasz.Department, lukasz.ManagerId));
        }
        Assert.Equal(0, await UploadsAsync(org));
    }

    [Theory]
    [InlineData(new byte[] { 0x81 }, "Line 3 is not valid text in UTF-8 or Windows-1252 (byte 0x81)")]
    [InlineData(new byte[] { 0x9D }, "Line 3 is not valid text in UTF-8 or Windows-1252 (byte 0x9D)")]
    public async Task A_file_in_neither_encoding_is_refused_naming_the_line_and_nothing_is_stored(byte[] bad, string expected)
    {
        var org = await OrganisationAsync();
        byte[] bytes = [.. Encoding.ASCII.GetBytes(Header + "Ada,ada@example.com,,,,\nB"), .. bad, .. Encoding.ASCII.GetBytes("b,bob@example.com,,,,\n")];

        var error = await Assert.ThrowsAsync<DomainException>(() => UploadAsync(org, bytes));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(ImportFileText.Field, error.Field);
        Assert.Equal(0, await UploadsAsync(org));
    }

    [Fact]
    public async Task A_utf8_file_with_a_stray_byte_later_on_is_refused_rather_than_read_as_windows_1252()
    {
        var org = await OrganisationAsync();
        byte[] bytes = [.. Encoding.UTF8.GetBytes(Header + "Zoë,zoe@example.com,,,,\nChlo"), 0xE9, .. Encoding.UTF8.GetBytes(",chloe@example.com,,,,\n")];

        var error = await Assert.ThrowsAsync<DomainException>(() => UploadAsync(org, bytes));

        Assert.StartsWith("Line 3 is not valid UTF-8, though the lines before it are", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await UploadsAsync(org));
    }

    [Fact]
    public async Task Valid_rows_import_and_the_rejected_ones_download_with_their_reasons_defused()
    {
        var org = await OrganisationAsync();
        var csv = Header
            + "Ada,ada@example.com,Eng,Head,8,\n"
            + "\"=HYPERLINK(\"\"http://evil.example\"\")\",not-an-email,-Eng,+Title,5,\n"
            + "Grace,grace@example.com,Eng,Engineer,5,ada@example.com\n"
            + "Zoë Ñúñez,zoe@example.com,@Eng,,11,\n";
        var upload = await UploadAsync(org, Encoding.UTF8.GetBytes(csv));
        var admin = await app.ClientWithTokenAsync(org, Roles.Admin);

        var download = await admin.GetAsync($"/api/people/imports/{upload.Id}/rejected");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("people-rejected.csv", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        var lines = Encoding.UTF8.GetString(await download.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("name,email,department,title,level,manager_email,reason", lines[0]);
        Assert.Equal("\"'=HYPERLINK(\"\"http://evil.example\"\")\",not-an-email,'-Eng,'+Title,5,,'not-an-email' is not a valid email address.", lines[1]);
        Assert.Equal("Zoë Ñúñez,zoe@example.com,'@Eng,,11,,Level of authority must be between 1 and 10.", lines[2]);

        var result = await CommitAsync(org, upload.Id);

        Assert.Equal(new ImportResult(2, 0, 2), result);
        Assert.Equal(["ada@example.com", "grace@example.com"], (await PeopleAsync(org)).Select(p => p.Email).Where(e => !e.StartsWith("admin@", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/people/imports/{upload.Id}/rejected")).StatusCode);
    }

    [Fact]
    public async Task Another_organisation_cannot_download_or_import_an_upload()
    {
        var org = await OrganisationAsync();
        var other = await OrganisationAsync();
        var upload = await UploadAsync(org, Encoding.UTF8.GetBytes(Header + ",nameless@example.com,,,,\n"));
        var otherAdmin = await app.ClientWithTokenAsync(other, Roles.Admin);

        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync($"/api/people/imports/{upload.Id}/rejected")).StatusCode);
        await Assert.ThrowsAsync<NotFoundException>(() => CommitAsync(other, upload.Id));
        Assert.Equal(1, await UploadsAsync(org));
    }

    [Fact]
    public async Task An_import_that_fails_while_saving_writes_nothing_and_keeps_the_upload()
    {
        var org = await OrganisationAsync();
        var upload = await UploadAsync(org, Encoding.UTF8.GetBytes(Header + "Ada,ada@example.com,,,,\nGrace,grace@example.com,,,,ada@example.com\n"));

        // What a colleague adding Grace by hand at the same moment does: the import's own insert of Grace then fails.
        await Assert.ThrowsAsync<ConflictException>(() => app.InScopeAsync(org, async sp =>
        {
            sp.GetRequiredService<TacitDbContext>().People.Add(new Person(org, "grace@example.com", "Grace by hand", DateTimeOffset.UnixEpoch));
            return await sp.GetRequiredService<PeopleImporter>().CommitUploadAsync(upload.Id);
        }));

        Assert.DoesNotContain(await PeopleAsync(org), p => p.Email is "ada@example.com" or "grace@example.com");
        Assert.Equal(1, await UploadsAsync(org));
        Assert.Equal(new ImportResult(2, 0, 0), await CommitAsync(org, upload.Id));
    }
}

public sealed class PeopleImportUploadSqliteTests(SqliteApp app) : PeopleImportUploadTests(app), IClassFixture<SqliteApp>;

public sealed class PeopleImportUploadPostgresTests(PostgresApp app) : PeopleImportUploadTests(app), IClassFixture<PostgresApp>;
