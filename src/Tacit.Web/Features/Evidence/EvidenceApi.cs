using System.Text;
using Tacit.Web.Api;
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

    public static void MapTrainingAndPacksApi(this IEndpointRouteBuilder api)
    {
        var mine = api.MapGroup("/me/training").WithTags("Learning record");
        mine.MapGet("/", async (TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) => await trainings.MineAsync(current.RequirePerson(), ct))
            .WithName("listMyTraining").WithSummary("Training I did elsewhere and submitted to my record, newest first, with each one's confirmation.");
        mine.MapPost("/", async (TrainingWrite body, TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) =>
        {
            TrainingFile? file = null;
            if (!string.IsNullOrEmpty(body.FileBase64))
            {
                // The decoded size is checked again with the content; this refuses what could never fit before decoding it.
                if (body.FileBase64.Length > (TrainingSubmissions.MaxFileBytes / 3 + 1) * 4) throw new Domain.DomainException("The file is larger than 5 MB.", "File");
                var bytes = new byte[body.FileBase64.Length * 3 / 4 + 3];
                if (!Convert.TryFromBase64String(body.FileBase64, bytes, out var length)) throw new Domain.DomainException("fileBase64 is not base64.", "File");
                file = new TrainingFile(body.FileName ?? "", bytes[..length]);
            }
            var training = await trainings.SubmitAsync(current.RequirePerson(), new TrainingInput(body.What, body.On, body.Hours, body.SkillIds, body.Link, body.ConfirmerEmail), file, ct);
            return Results.Created($"/api/training/{training.Id}", training);
        }).Produces<TrainingDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("submitTraining")
            .WithSummary("Submit training done elsewhere: what, when, hours, skills from the catalogue, a link and/or a file (base64; PDF, PNG or JPEG by its content, at most 5 MB), and optionally a colleague (by email) who is asked to confirm it. Stored as an xAPI statement with the file as its attachment.");
        mine.MapDelete("/{id:guid}", async (Guid id, TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) =>
        {
            await trainings.DeleteAsync(current.RequirePerson(), id, ct);
            return Results.NoContent();
        }).WithName("deleteMyTraining").WithSummary("Delete an entry of mine; its xAPI statement is voided.");

        var training = api.MapGroup("/training").WithTags("Learning record");
        training.MapGet("/awaiting-me", async (TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) => await trainings.AwaitingAsync(current.RequirePerson(), ct))
            .WithName("listTrainingAwaitingMe").WithSummary("Training colleagues asked me to confirm, still waiting for my answer.");
        training.MapGet("/{id:guid}", async (Guid id, TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) =>
            await trainings.ReadAsync(current.RequirePerson(), id, ct) ?? throw new Domain.NotFoundException("No such training."))
            .WithName("getTraining").WithSummary("One entry: for the person who submitted it or the colleague asked to confirm it (404 for anyone else).");
        training.MapGet("/{id:guid}/file", async (Guid id, TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) =>
        {
            var (name, type, content) = await trainings.FileAsync(current.RequirePerson(), id, ct);
            return Results.File(content, type, name);
        }).WithName("getTrainingFile").WithSummary("The entry's attached file, for the same two people.");
        training.MapPost("/{id:guid}/answer", async (Guid id, TrainingAnswer body, TrainingSubmissions trainings, CurrentUser current, CancellationToken ct) =>
            await trainings.AnswerAsync(current.RequirePerson(), id, body.Confirmed ?? throw new Domain.DomainException("Say whether you confirm it.", "Confirmed"), ct))
            .WithName("answerTraining").WithSummary("The colleague asked confirms (true) or declines (false), once; recorded as their xAPI statement about the person's.");

        var packs = api.MapGroup("/me/packs").WithTags("Evidence packs");
        packs.MapGet("/", async (EvidencePacks evidence, CurrentUser current, CancellationToken ct) => await evidence.MineAsync(current.RequirePerson(), ct))
            .WithName("listMyPacks").WithSummary("My evidence packs, newest first, each with who opened it and when.");
        packs.MapGet("/recipients", async (EvidencePacks evidence, CurrentUser current, CancellationToken ct) => await evidence.RecipientsAsync(current.RequirePerson(), ct))
            .WithName("listPackRecipients").WithSummary("Who I can share a pack with: my manager and the organisation's admins.");
        packs.MapPost("/", async (PackInput body, EvidencePacks evidence, CurrentUser current, CancellationToken ct) =>
        {
            var pack = await evidence.CreateAsync(current.RequirePerson(), body, ct);
            return Results.Created($"/api/packs/{pack.Id}", pack);
        }).Produces<PackSummary>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("sharePack").WithSummary("Share a pack: a title, a period (from/to, optional), the sections (sessions, validatedSkills, commitments, submittedTraining, thanks) and the colleague (my manager or an admin).");
        packs.MapDelete("/{id:guid}", async (Guid id, EvidencePacks evidence, CurrentUser current, CancellationToken ct) =>
        {
            await evidence.WithdrawAsync(current.RequirePerson(), id, ct);
            return Results.NoContent();
        }).WithName("withdrawPack").WithSummary("Withdraw a pack: the colleague can no longer open it (404).");

        var shared = api.MapGroup("/packs").WithTags("Evidence packs");
        shared.MapGet("/shared-with-me", async (EvidencePacks evidence, CurrentUser current, CancellationToken ct) => await evidence.SharedWithAsync(current.RequirePerson(), ct))
            .WithName("listPacksSharedWithMe").WithSummary("Packs colleagues shared with me and have not withdrawn: all a manager or HR sees of anyone's record.");
        shared.MapGet("/{id:guid}", async (Guid id, string? format, EvidencePacks evidence, CurrentUser current, CancellationToken ct) =>
        {
            if (format is not (null or "" or "json" or "csv")) throw new Domain.DomainException("The format is json or csv.", "format");
            var view = await evidence.OpenAsync(current.RequirePerson(), id, ct);
            return format == "csv"
                ? Results.File(Encoding.UTF8.GetBytes(LearningRecord.ToCsv(view.Record)), "text/csv; charset=utf-8", "evidence-pack.csv")
                : Results.Ok(view);
        }).Produces<PackView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity).WithName("openPack")
            .WithSummary("Open a pack (its person, or the colleague it is shared with until withdrawn; the opening is kept for the person to see); ?format=csv downloads it.");
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

public sealed record TrainingWrite(string? What, DateOnly? On, double? Hours, IReadOnlyList<Guid>? SkillIds, string? Link, string? ConfirmerEmail,
    string? FileName, string? FileBase64);

public sealed record TrainingAnswer(bool? Confirmed);
