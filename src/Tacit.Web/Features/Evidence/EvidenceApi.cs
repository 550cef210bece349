using System.Text;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Evidence;

/// <summary>
/// The signed-in person's own learning record (the /me/learning-record page reads the same): only ever their own, so
/// the routes take no person id. ?from=&amp;to= (yyyy-MM-dd, both included) narrow it to a period.
/// </summary>
public static class EvidenceApi
{
    public static void MapEvidenceApi(this IEndpointRouteBuilder api)
    {
        var me = api.MapGroup("/me/learning-record").WithTags("Learning record");
        me.MapGet("/", GetAsync).Produces<LearningRecordDto>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("getMyLearningRecord")
            .WithSummary("My learning record: sessions learned and taught, hours, skills learned, skills validated by peers and by whom, commitments kept, thanks; ?format=csv downloads it as CSV.");
        me.MapGet("/statements", StatementsAsync).Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("getMyLearningRecordStatements")
            .WithSummary("My xAPI statements (those with me as the actor, not voided, timestamped in the period), as a JSON array to download.");
    }

    private static async Task<IResult> GetAsync(string? from, string? to, string? format, LearningRecord record, CurrentUser current, CancellationToken ct)
    {
        var period = RecordPeriod.Parse(from, to);
        var mine = await record.ForAsync(current.RequirePerson(), period, ct);
        return format switch
        {
            null or "" or "json" => Results.Ok(mine),
            "csv" => Results.File(Encoding.UTF8.GetBytes(LearningRecord.ToCsv(mine)), "text/csv; charset=utf-8", "learning-record.csv"),
            _ => throw new Domain.DomainException("The format is json or csv.", "format"),
        };
    }

    private static async Task<IResult> StatementsAsync(string? from, string? to, LearningRecord record, CurrentUser current, CancellationToken ct)
    {
        var statements = await record.StatementsAsync(current.RequirePerson(), RecordPeriod.Parse(from, to), ct);
        return Results.File(Encoding.UTF8.GetBytes(statements.ToJsonString()), "application/json", "learning-record-xapi.json");
    }
}
