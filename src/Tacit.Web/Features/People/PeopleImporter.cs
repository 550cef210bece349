using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

/// <summary>
/// A row of the file: <see cref="Fields"/> as written (for the rejected rows' download), the details read from them
/// (null means the file has no such column: re-imports leave that detail as it is), and why it is rejected, if it is.
/// </summary>
public sealed record ImportRow(int Line, IReadOnlyList<string> Fields, string Name, string Email, string? Department, string? Title,
    int? Level, string? ManagerEmail, bool IsUpdate, IReadOnlyList<string> Errors)
{
    public bool IsRejected => Errors.Count > 0;
}

public sealed record ImportPreview(IReadOnlyList<string> Header, IReadOnlyList<ImportRow> Rows, IReadOnlyList<string> FileErrors)
{
    /// <summary>Rejected rows are skipped, so a file can be imported as soon as one row is right.</summary>
    public bool CanCommit => FileErrors.Count == 0 && ValidCount > 0;
    public int ValidCount => Rows.Count(r => !r.IsRejected);
    public int RejectedCount => Rows.Count(r => r.IsRejected);
    public int NewCount => Rows.Count(r => !r.IsRejected && !r.IsUpdate);
    public int UpdateCount => Rows.Count(r => !r.IsRejected && r.IsUpdate);

    /// <summary>The rejected rows as the file had them, with a last column saying why, ready to fix and upload again.</summary>
    public string RejectedRowsCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Header.Append("reason").Select(CsvField.Safe)).Append("\r\n");
        foreach (var row in Rows.Where(r => r.IsRejected))
        {
            var fields = Enumerable.Range(0, Header.Count).Select(i => i < row.Fields.Count ? row.Fields[i] : "");
            csv.AppendJoin(',', fields.Append(string.Join(" ", row.Errors)).Select(CsvField.Safe)).Append("\r\n");
        }
        return csv.ToString();
    }
}

public sealed record ImportResult(int Added, int Updated, int Skipped);

public sealed record UploadPreview(string FileName, ImportPreview Preview);

/// <summary>
/// People CSV import: columns name, email, department, title, level, manager_email (header names are
/// forgiving). Preview first, with every row's problems; commit applies the valid rows in one transaction and skips
/// the rejected ones. People already in the organisation are matched by email and updated. What makes a person's
/// details valid is <see cref="Person"/>'s to say (<see cref="Person.ProblemsWith"/>); the importer adds only what
/// a file can get wrong on its own: a repeated email, a manager who is nowhere, a reporting loop.
/// </summary>
public sealed class PeopleImporter(TacitDbContext db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Retention.RetentionOptions> retention,
    Audit.AuditLog audit)
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 50_000;

    private static readonly string[] RequiredColumns = ["name", "email"];

    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "name", ["full name"] = "name", ["display name"] = "name",
        ["email"] = "email", ["e-mail"] = "email", ["email address"] = "email",
        ["department"] = "department", ["dept"] = "department", ["team"] = "department",
        ["title"] = "title", ["job title"] = "title", ["role"] = "title",
        ["level"] = "level", ["authority level"] = "level", ["grade"] = "level",
        ["manager_email"] = "manager", ["manager email"] = "manager", ["manager's email"] = "manager", ["manager"] = "manager",
    };

    public async Task<ImportPreview> PreviewAsync(string csv, CancellationToken cancellationToken = default)
    {
        var (header, records, fileErrors) = Parse(csv);
        if (fileErrors.Count > 0) return new ImportPreview(header, [], fileErrors);

        var existing = await db.People.AsNoTracking()
            .Select(p => new { p.Id, p.Email, p.ManagerId })
            .ToListAsync(cancellationToken);
        var existingByEmail = existing.ToDictionary(p => p.Email, p => p.Id, StringComparer.OrdinalIgnoreCase);

        // Ids for the file's new people, so reporting lines can be checked across the file and the organisation.
        var idOf = new Dictionary<string, Guid>(existingByEmail, StringComparer.OrdinalIgnoreCase);
        foreach (var r in records)
            if (Guard.IsEmail(r.Email) && !idOf.ContainsKey(r.Email)) idOf[r.Email] = Guid.NewGuid();

        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var errorsOf = new List<string>[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var errors = errorsOf[i] = [];
            int? level = null;
            if (!string.IsNullOrEmpty(r.LevelText))
            {
                if (int.TryParse(r.LevelText, CultureInfo.InvariantCulture, out var parsed)) level = parsed;
                else errors.Add($"Level '{r.LevelText}' is not a whole number.");
            }
            errors.AddRange(Person.ProblemsWith(r.Email, r.Name, r.Title, r.Department, level));
            if (Guard.IsEmail(r.Email) && !firstLineOf.TryAdd(r.Email, r.Line))
                errors.Add($"{r.Email} appears again (first on line {firstLineOf[r.Email]}).");
            if (!string.IsNullOrEmpty(r.ManagerEmail))
            {
                if (r.ManagerEmail.Equals(r.Email, StringComparison.OrdinalIgnoreCase)) errors.Add(Person.OwnManagerMessage);
                else if (!idOf.ContainsKey(r.ManagerEmail)) errors.Add($"Manager {r.ManagerEmail} is neither in the file nor in the organisation.");
            }
        }
        CheckReportingLines(records, errorsOf, existing.ToDictionary(p => p.Id, p => p.ManagerId), existingByEmail, idOf, firstLineOf);

        var rows = records.Select((r, i) => new ImportRow(r.Line, r.Fields, r.Name, r.Email, r.Department, r.Title,
            int.TryParse(r.LevelText, CultureInfo.InvariantCulture, out var level) ? level : null, r.ManagerEmail,
            existingByEmail.ContainsKey(r.Email), errorsOf[i])).ToList();
        return new ImportPreview(header, rows, []);
    }

    /// <summary>
    /// Only accepted rows change reporting lines, and whether a row is accepted depends on its manager's row and on the
    /// lines the other accepted rows draw; so rows are rejected round by round until the accepted ones are consistent.
    /// </summary>
    private static void CheckReportingLines(List<RawRow> records, List<string>[] errorsOf, Dictionary<Guid, Guid?> existingManagerOf,
        Dictionary<string, Guid> existingByEmail, Dictionary<string, Guid> idOf, Dictionary<string, int> firstLineOf)
    {
        while (true)
        {
            var accepted = Enumerable.Range(0, records.Count).Where(i => errorsOf[i].Count == 0).ToList();
            var acceptedEmails = accepted.Select(i => records[i].Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var managerOf = new Dictionary<Guid, Guid?>(existingManagerOf);
            foreach (var i in accepted.Where(i => records[i].ManagerEmail is not null))
                managerOf[idOf[records[i].Email]] = records[i].ManagerEmail!.Length == 0 ? null : idOf[records[i].ManagerEmail!];

            var rejections = new List<(int Row, string Error)>();
            foreach (var i in accepted.Where(i => !string.IsNullOrEmpty(records[i].ManagerEmail)))
            {
                var (email, manager) = (records[i].Email, records[i].ManagerEmail!);
                if (!existingByEmail.ContainsKey(manager) && !acceptedEmails.Contains(manager))
                    rejections.Add((i, $"Manager {manager} is on line {firstLineOf[manager]}, which is rejected."));
                else if (ManagerChain.WouldCreateCycle(idOf[email], managerOf[idOf[email]], managerOf))
                    rejections.Add((i, $"Manager {manager} would make a reporting loop."));
            }
            if (rejections.Count == 0) return;
            foreach (var (row, error) in rejections) errorsOf[row].Add(error);
        }
    }

    /// <summary>
    /// Keeps an uploaded file for its preview, read as text by <see cref="ImportFileText"/>. A file that is too big,
    /// empty or not text is refused with a message for the file field, and nothing is stored.
    /// </summary>
    public async Task<PendingImport> UploadAsync(string fileName, long length, Stream content, Guid uploadedBy, CancellationToken cancellationToken = default)
    {
        if (length == 0) throw new DomainException("Choose a CSV file to upload.", ImportFileText.Field);
        if (length > MaxBytes)
            throw new DomainException($"The file is {length / 1024 / 1024.0:0.#} MB; the limit is 5 MB. Split it into smaller files.", ImportFileText.Field);
        using var bytes = new MemoryStream((int)length);
        await content.CopyToAsync(bytes, cancellationToken);
        var upload = new PendingImport
        {
            OrganisationId = db.CurrentOrganisationId, FileName = Path.GetFileName(fileName), Content = ImportFileText.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)),
            UploadedBy = uploadedBy, UploadedAt = clock.GetUtcNow(),
        };
        // Uploads do not pile up: beyond the organisation's allowance, the oldest waiting ones make room.
        var keep = retention.Value.PendingImportsPerOrganisation - 1;
        var older = await db.PendingImports.OrderByDescending(p => p.UploadedAt).Skip(keep).Select(p => p.Id).ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.PendingImports.Where(p => older.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
        db.PendingImports.Add(upload);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return upload;
    }

    /// <summary>An upload's preview, as its page shows it and its rejected rows are downloaded; null once it is imported or cancelled.</summary>
    public async Task<UploadPreview?> PreviewUploadAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.PendingImports.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } upload
            ? new UploadPreview(upload.FileName, await PreviewAsync(upload.Content, cancellationToken))
            : null;

    public Task DiscardUploadAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.PendingImports.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Imports an upload's valid rows; the upload goes in the same transaction, exactly when its people arrive.</summary>
    public async Task<ImportResult> CommitUploadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var upload = await db.PendingImports.SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException("This upload is not here any more: it was imported or cancelled.");
        db.PendingImports.Remove(upload);
        try
        {
            return await CommitAsync(upload.OrganisationId, upload.Content, cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>Applies the preview's valid rows in one transaction, skipping the rejected ones; all of them or none.</summary>
    public async Task<ImportResult> CommitAsync(Guid organisationId, string csv, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAsync(csv, cancellationToken);
        if (preview.FileErrors.Count > 0) throw new DomainException($"{preview.FileErrors[0]} Nothing was imported.");
        if (!preview.CanCommit) throw new DomainException("Every row of the file has problems; fix them and upload it again. Nothing was imported.");

        var now = clock.GetUtcNow();
        var valid = preview.Rows.Where(r => !r.IsRejected).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var people = await db.People.ToDictionaryAsync(p => p.Email, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var added = 0;
        foreach (var row in valid)
        {
            if (!people.TryGetValue(row.Email, out var person))
            {
                person = new Person(organisationId, row.Email, row.Name, now);
                db.People.Add(person);
                people[row.Email] = person;
                added++;
            }
            person.UpdateProfile(row.Name, row.Title ?? person.JobTitle, row.Department ?? person.Department, row.Level ?? person.AuthorityLevel,
                person.Location, person.TimeZone, person.Bio);
        }
        foreach (var row in valid.Where(r => r.ManagerEmail is not null))
            people[row.Email].AssignManager(row.ManagerEmail!.Length == 0 ? null : people[row.ManagerEmail].Id);
        audit.Record("people.imported", $"{added} added, {valid.Count - added} updated", $"{preview.RejectedCount} rows skipped");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(added, valid.Count - added, preview.RejectedCount);
    }

    private sealed record RawRow(int Line, string[] Fields, string Name, string Email, string? Department, string? Title, string? LevelText, string? ManagerEmail);

    private static (string[] Header, List<RawRow> Rows, List<string> Errors) Parse(string csv)
    {
        var rows = new List<RawRow>();
        if (string.IsNullOrWhiteSpace(csv)) return ([], rows, ["The file is empty."]);
        if (csv.Contains('\0', StringComparison.Ordinal)) return ([], rows, ["This is not a text CSV file."]);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim, DetectDelimiter = true, BadDataFound = null, MissingFieldFound = null,
        };
        string[] header = [];
        try
        {
            using var reader = new CsvReader(new StringReader(csv), config);
            if (!reader.Read() || !reader.ReadHeader() || reader.HeaderRecord is null) return (header, rows, ["The file has no header row."]);
            header = reader.HeaderRecord;
            var columns = new Dictionary<string, int>();
            for (var i = 0; i < header.Length; i++)
                if (HeaderAliases.TryGetValue(header[i].Trim(), out var column)) columns.TryAdd(column, i);
            var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                return (header, rows, [$"The header row lacks {(missing.Count == 1 ? "the column" : "the columns")} {string.Join(", ", missing)}. Expected: name, email, department, title, level, manager_email."]);

            string? Field(string column) => columns.TryGetValue(column, out var index) ? reader.GetField(index)?.Trim() ?? "" : null;
            while (reader.Read())
            {
                if (rows.Count >= MaxRows) return (header, rows, [$"The file has more than {MaxRows:N0} rows; split it into smaller files."]);
                if (reader.Parser.Record is not { } record || record.All(string.IsNullOrWhiteSpace)) continue;
                rows.Add(new RawRow(reader.Parser.RawRow, record, Field("name")!, Field("email")!.ToLowerInvariant(), Field("department"),
                    Field("title"), Field("level"), Field("manager")?.ToLowerInvariant()));
            }
        }
        catch (CsvHelperException e)
        {
            return (header, rows, [$"The file could not be read as CSV near line {e.Context?.Parser?.RawRow}: {e.Message.Split('\n')[0]}"]);
        }
        if (rows.Count == 0) return (header, rows, ["The file has a header row but no people."]);
        return (header, rows, []);
    }
}
