using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Organisations;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Audit;

/// <summary>
/// Records what admins and facilitators do, in the same unit of work as the change (so an entry exists exactly when the
/// change was saved), and reads the log back for admins. Who acted comes from <see cref="CurrentUser"/>.
/// </summary>
public sealed class AuditLog(TacitDbContext db, CurrentUser current, TimeProvider clock)
{
    /// <summary>The most rows one CSV download carries; a larger log is read a page at a time through the API.</summary>
    public const int CsvLimit = 100_000;

    public void Record(string action, string subject, string details = "") =>
        db.AuditEntries.Add(new AuditEntry(db.CurrentOrganisationId, clock.GetUtcNow(), current.PersonId, current.ActorName, action, subject, details));

    public Task<Page<AuditEntry>> PageAsync(Paging paging, CancellationToken ct = default) =>
        db.AuditEntries.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id).ToPageAsync(paging, e => e, ct);

    public async Task<string> CsvAsync(CancellationToken ct = default)
    {
        var csv = new StringBuilder().AppendLine("at,actor,action,subject,details");
        await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(e => e.At).ThenBy(e => e.Id).Take(CsvLimit).AsAsyncEnumerable().WithCancellation(ct))
            csv.AppendLine(string.Join(',', e.At.ToString("O", CultureInfo.InvariantCulture), CsvField.Safe(e.Actor), e.Action, CsvField.Safe(e.Subject), CsvField.Safe(e.Details)));
        return csv.ToString();
    }
}
