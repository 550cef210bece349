using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Features.People;

/// <summary>A row of the file. Null means the file has no such column: re-imports leave that detail as it is.</summary>
public sealed record ImportRow(int Line, string Name, string Email, string? Department, string? Title, int? Level, string? ManagerEmail,
    bool IsUpdate, IReadOnlyList<string> Errors);

public sealed record ImportPreview(IReadOnlyList<ImportRow> Rows, IReadOnlyList<string> FileErrors)
{
    public bool CanCommit => FileErrors.Count == 0 && Rows.Count > 0 && Rows.All(r => r.Errors.Count == 0);
    public int ErrorCount => FileErrors.Count + Rows.Count(r => r.Errors.Count > 0);
    public int NewCount => Rows.Count(r => !r.IsUpdate);
    public int UpdateCount => Rows.Count(r => r.IsUpdate);
}

/// <summary>
/// People CSV import: columns name, email, department, title, level, manager_email (header names are
/// forgiving). Preview first, with every row's problems; commit applies all rows or none. People already in
/// the organisation are matched by email and updated.
/// </summary>
public sealed class PeopleImporter(TacitDbContext db, TimeProvider clock)
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 50_000;

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
        var (records, fileErrors) = Parse(csv);
        if (fileErrors.Count > 0) return new ImportPreview([], fileErrors);

        var existing = await db.People.AsNoTracking()
            .Select(p => new { p.Id, p.Email, p.ManagerId })
            .ToListAsync(cancellationToken);
        var existingByEmail = existing.ToDictionary(p => p.Email, p => p.Id, StringComparer.OrdinalIgnoreCase);

        // Ids for the file's new people, so reporting lines can be checked across the file and the organisation.
        var idOf = new Dictionary<string, Guid>(existingByEmail, StringComparer.OrdinalIgnoreCase);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in records)
            if (Guard.IsEmail(r.Email) && !idOf.ContainsKey(r.Email)) idOf[r.Email] = Guid.NewGuid();
        var managerOf = existing.ToDictionary(p => p.Id, p => p.ManagerId);
        foreach (var r in records)
            if (idOf.TryGetValue(r.Email, out var id))
                managerOf[id] = r.ManagerEmail is null ? managerOf.GetValueOrDefault(id)
                    : r.ManagerEmail.Length > 0 && idOf.TryGetValue(r.ManagerEmail, out var m) ? m : null;

        var rows = new List<ImportRow>(records.Count);
        foreach (var r in records)
        {
            var errors = new List<string>();
            if (r.Name.Length == 0) errors.Add("Name is missing.");
            else if (r.Name.Length > Person.NameMaxLength) errors.Add($"Name is longer than {Person.NameMaxLength} characters.");
            if (r.Email.Length == 0) errors.Add("Email is missing.");
            else if (r.Email.Length > 254 || !Guard.IsEmail(r.Email)) errors.Add($"'{r.Email}' is not a valid email address.");
            else if (seen.TryGetValue(r.Email, out var firstLine)) errors.Add($"{r.Email} appears again (first on line {firstLine}).");
            else seen[r.Email] = r.Line;
            if (r.Department?.Length > Person.DepartmentMaxLength) errors.Add($"Department is longer than {Person.DepartmentMaxLength} characters.");
            if (r.Title?.Length > Person.TitleMaxLength) errors.Add($"Title is longer than {Person.TitleMaxLength} characters.");
            if (!string.IsNullOrEmpty(r.LevelText) && (!int.TryParse(r.LevelText, CultureInfo.InvariantCulture, out var lv) || lv < Person.MinLevel || lv > Person.MaxLevel))
                errors.Add($"Level '{r.LevelText}' must be a whole number from {Person.MinLevel} to {Person.MaxLevel}.");
            if (!string.IsNullOrEmpty(r.ManagerEmail))
            {
                if (r.ManagerEmail.Equals(r.Email, StringComparison.OrdinalIgnoreCase)) errors.Add("A person cannot be their own manager.");
                else if (!idOf.ContainsKey(r.ManagerEmail)) errors.Add($"Manager {r.ManagerEmail} is neither in the file nor in the organisation.");
                else if (idOf.TryGetValue(r.Email, out var selfId) && ManagerChain.WouldCreateCycle(selfId, managerOf[selfId], managerOf))
                    errors.Add($"Manager {r.ManagerEmail} would make a reporting loop.");
            }
            int? level = int.TryParse(r.LevelText, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            rows.Add(new ImportRow(r.Line, r.Name, r.Email, r.Department, r.Title, level, r.ManagerEmail,
                existingByEmail.ContainsKey(r.Email), errors));
        }
        return new ImportPreview(rows, []);
    }

    /// <summary>Applies a preview without errors in one transaction; returns how many people were added and updated.</summary>
    public async Task<(int Added, int Updated)> CommitAsync(Guid organisationId, string csv, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAsync(csv, cancellationToken);
        if (!preview.CanCommit)
            throw new DomainException($"The file has {preview.ErrorCount} row(s) with problems; fix them and upload it again. Nothing was imported.");

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var people = await db.People.ToDictionaryAsync(p => p.Email, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var added = 0;
        foreach (var row in preview.Rows)
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
        foreach (var row in preview.Rows.Where(r => r.ManagerEmail is not null))
            people[row.Email].AssignManager(row.ManagerEmail!.Length == 0 ? null : people[row.ManagerEmail].Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (added, preview.Rows.Count - added);
    }

    private sealed record RawRow(int Line, string Name, string Email, string? Department, string? Title, string? LevelText, string? ManagerEmail);

    private static (List<RawRow> Rows, List<string> Errors) Parse(string csv)
    {
        var rows = new List<RawRow>();
        if (string.IsNullOrWhiteSpace(csv)) return (rows, ["The file is empty."]);
        if (csv.Contains('\0', StringComparison.Ordinal)) return (rows, ["This is not a text CSV file."]);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim, DetectDelimiter = true, BadDataFound = null, MissingFieldFound = null,
        };
        try
        {
            using var reader = new CsvReader(new StringReader(csv), config);
            if (!reader.Read() || !reader.ReadHeader() || reader.HeaderRecord is null) return (rows, ["The file has no header row."]);
            var columns = new Dictionary<string, int>();
            for (var i = 0; i < reader.HeaderRecord.Length; i++)
                if (HeaderAliases.TryGetValue(reader.HeaderRecord[i].Trim(), out var column)) columns.TryAdd(column, i);
            var missing = new[] { "name", "email" }.Where(c => !columns.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                return (rows, [$"The header row lacks the column(s) {string.Join(", ", missing)}. Expected: name, email, department, title, level, manager_email."]);

            string? Field(string column) => columns.TryGetValue(column, out var index) ? reader.GetField(index)?.Trim() ?? "" : null;
            while (reader.Read())
            {
                if (rows.Count >= MaxRows) return (rows, [$"The file has more than {MaxRows:N0} rows; split it into smaller files."]);
                if (reader.Parser.Record is { } record && record.All(string.IsNullOrWhiteSpace)) continue;
                rows.Add(new RawRow(reader.Parser.RawRow, Field("name")!, Field("email")!.ToLowerInvariant(), Field("department"),
                    Field("title"), Field("level"), Field("manager")?.ToLowerInvariant()));
            }
        }
        catch (CsvHelperException e)
        {
            return (rows, [$"The file could not be read as CSV near line {e.Context?.Parser?.RawRow}: {e.Message.Split('\n')[0]}"]);
        }
        if (rows.Count == 0) return (rows, ["The file has a header row but no people."]);
        return (rows, []);
    }
}
