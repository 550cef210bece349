using Tacit.Web.Api;

namespace Tacit.Web.Features.Audit;

public sealed record AuditEntryDto(DateTimeOffset At, Guid? ActorPersonId, string Actor, string Action, string Subject, string Details);

public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api) =>
        api.MapGet("/audit", async (AuditLog log, string? format, int? page, int? pageSize, CancellationToken ct) =>
                format == "csv"
                    ? Results.File(System.Text.Encoding.UTF8.GetBytes(await log.CsvAsync(ct)), "text/csv; charset=utf-8", "tacit-audit-log.csv")
                    : Results.Ok((await log.PageAsync(Paging.From(page, pageSize, 50), ct))
                        .Map(e => new AuditEntryDto(e.At, e.ActorPersonId, e.Actor, e.Action, e.Subject, e.Details))))
            .AdminOnly().WithTags("Audit").Produces<Page<AuditEntryDto>>()
            .WithSummary("What admins and facilitators did, newest first; format=csv downloads it all, oldest first (admins).");
}
