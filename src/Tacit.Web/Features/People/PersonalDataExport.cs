using System.Collections;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Features.Offers;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

/// <summary>
/// Everything Tacit holds about one person, for them to take away (GDPR articles 15 and 20): one zip with the whole as
/// JSON and each part as CSV. What others wrote stays theirs: of feedback on the person's sessions only the thank-you
/// notes addressed to them are included, without who wrote them.
/// </summary>
public sealed class PersonalDataExport(TacitDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { ApiEnums.Converter() } };

    public async Task<byte[]> ExportAsync(Guid personId, CancellationToken ct = default)
    {
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, ct) ?? throw new NotFoundException("No such person.");
        var sessions = await db.Sessions.AsNoTracking().Involving(personId).ToListAsync(ct);
        var sessionIds = sessions.Select(s => s.Id).ToList();
        var shares = await db.Shares.AsNoTracking().Where(s => s.PersonId == personId).ToListAsync(ct);
        var wants = await db.Wants.AsNoTracking().Where(w => w.PersonId == personId).ToListAsync(ct);
        var skillIds = shares.Select(s => s.SkillId).Concat(wants.Select(w => w.SkillId)).Distinct().ToList();
        var sections = new (string Name, IEnumerable Rows)[]
        {
            ("profile", new[] { new { person.Id, person.Email, person.DisplayName, person.JobTitle, person.Department, person.AuthorityLevel, person.ManagerId,
                person.Location, person.TimeZone, person.Bio, Roles = RoleNamesOf(person.Roles), person.IsActive, person.LeavingOn, person.CreatedAt } }),
            ("skills-named", await db.Skills.AsNoTracking().Where(k => skillIds.Contains(k.Id)).Select(k => new { k.Id, k.Name, k.Category }).ToListAsync(ct)),
            ("shares", shares),
            ("wants", wants),
            ("skill-suggestions", await db.SkillSuggestions.AsNoTracking().Where(s => s.SuggestedBy == personId).ToListAsync(ct)),
            ("intake-answers", await db.IntakeResponses.AsNoTracking().Where(r => r.PersonId == personId).ToListAsync(ct)),
            ("manager-answers", await db.ManagerEnrolments.AsNoTracking().Where(e => e.ManagerId == personId).ToListAsync(ct)),
            ("carried-wants", await db.CarriedWants.AsNoTracking().Where(c => c.LearnerId == personId).ToListAsync(ct)),
            ("offers", await db.Offers.AsNoTracking().Involving(personId).ToListAsync(ct)),
            ("sessions", sessions),
            ("feedback-given", await db.SessionFeedback.AsNoTracking().Where(f => f.PersonId == personId).ToListAsync(ct)),
            ("thanks-received", await db.SessionFeedback.AsNoTracking()
                .Where(f => sessionIds.Contains(f.SessionId) && f.PersonId != personId && f.ThankYou != "")
                .Select(f => new { f.SessionId, f.ThankYou, f.ThankYouIsPublic, f.GivenAt }).ToListAsync(ct)),
            ("questions-for-sessions", await db.SessionQuestions.AsNoTracking().Where(q => q.LearnerId == personId).ToListAsync(ct)),
            ("follow-ups", await db.FollowUps.AsNoTracking().Where(f => f.PersonId == personId).ToListAsync(ct)),
            ("commitments", await db.Commitments.AsNoTracking().Involving(personId).ToListAsync(ct)),
            ("notifications", await db.Notifications.AsNoTracking().Where(n => n.PersonId == personId).ToListAsync(ct)),
            ("emails", await db.OutgoingMail.AsNoTracking().Where(m => m.ToEmail == person.Email)
                .Select(m => new { m.Id, m.ToEmail, m.Subject, m.Body, m.CreatedAt, m.SentAt }).ToListAsync(ct)),
        };

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var whole = sections.ToDictionary(s => s.Name, s => s.Rows);
            Write(archive, "tacit-personal-data.json", JsonSerializer.Serialize(new { exportedAt = clock.GetUtcNow(), data = whole }, Json));
            foreach (var (name, rows) in sections) Write(archive, $"csv/{name}.csv", Csv(rows));
            Write(archive, "README.txt", Readme);
        }
        return zip.ToArray();
    }

    private const string Readme = """
        Everything Tacit holds about you, as it was when you downloaded it.
        tacit-personal-data.json holds it all; the csv folder has each part as a spreadsheet.
        Ids link the parts: a session's skillId is in skills-named, your offers' sessions in sessions.
        Thank-you notes others wrote to you are included without who wrote them; what they wrote otherwise is theirs.
        """;

    private static string[] RoleNamesOf(Domain.People.Roles roles) => [.. Domain.People.RoleNames.Of(roles).Select(r => r.ToLowerInvariant())];

    private static void Write(ZipArchive archive, string name, string text)
    {
        using var writer = new StreamWriter(archive.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }

    /// <summary>One row per item, one column per readable property; lists joined with "; ", anything nested as JSON.</summary>
    private static string Csv(IEnumerable rows)
    {
        var items = rows.Cast<object>().ToList();
        var type = rows.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            ?? items.FirstOrDefault()?.GetType() ?? typeof(object);
        var columns = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToList();
        var csv = new StringBuilder().AppendLine(string.Join(',', columns.Select(c => CsvField.Safe(JsonNamingPolicy.CamelCase.ConvertName(c.Name)))));
        foreach (var item in items)
            csv.AppendLine(string.Join(',', columns.Select(c => CsvField.Safe(Cell(c.GetValue(item))))));
        return csv.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => text,
        DateTimeOffset at => at.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable when value.GetType().IsPrimitive || value is Guid or DateOnly or decimal => formattable.ToString(null, CultureInfo.InvariantCulture),
        Enum e => ApiEnums.Name(e),
        bool b => b ? "true" : "false",
        IEnumerable list when list.Cast<object?>().All(v => v is null or string or Guid or DateTimeOffset or Enum || v.GetType().IsPrimitive) =>
            string.Join("; ", list.Cast<object?>().Select(Cell)),
        _ => JsonSerializer.Serialize(value, Json),
    };
}
