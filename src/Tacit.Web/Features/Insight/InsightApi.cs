using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Insight;

public sealed record RecognitionVisibilityWrite(string? Visibility);

public sealed record RecognitionVisibilityDto(RecognitionVisibility Visibility);

/// <summary>The insight HR plans with (docs/insight.md): facilitators and admins; teaching credit for admins only.</summary>
public static class InsightApi
{
    public static void MapInsightApi(this RouteGroupBuilder api)
    {
        var insight = api.MapGroup("/insight").WithTags("Insight").RequireAuthorization(Policies.Facilitator);
        insight.MapGet("/training-needs", TrainingNeedsAsync).Produces<TrainingNeedsReport>().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Skills people want that nobody here shares (never offered, or every sharer has left), by department and over the last cycles; counts of people only from five; ?format=csv downloads it (facilitators).");
        insight.MapGet("/succession", SuccessionAsync)
            .WithSummary("Succession risk: skills one or two people share and five or more want, skills only leavers shared, skills whose sharers all sit in one department (facilitators).");
        insight.MapPost("/succession/{skillId:guid}/pass-it-on", PassItOnAsync)
            .WithSummary("Starts a draft cycle named for the skill, for the departments of the people who share and want it; returns the cycle (facilitators).");
        insight.MapGet("/network", NetworkAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("The learning network across departments: flows between departments (pairs of five or more people), people who bridge departments, the silo index per cycle; ?cycle= narrows flows and bridges to one cycle (facilitators).");
        insight.MapGet("/teaching-credit", TeachingCreditAsync).Produces<IReadOnlyList<TeacherCredit>>().ProducesProblem(StatusCodes.Status422UnprocessableEntity).AdminOnly()
            .WithSummary("Sessions taught, hours and learners' usefulness ratings per person, only for people who let the organisation see them; ?from=&to= (dates) narrow it, ?format=csv downloads it (admins).");

        var me = api.MapGroup("/me/recognition-visibility").WithTags("Insight");
        me.MapGet("/", async (RecognitionConsent consent, CurrentUser current, CancellationToken ct) =>
                TypedResults.Ok(new RecognitionVisibilityDto(await consent.ReadAsync(current.RequirePerson(), ct))))
            .WithSummary("Who sees your recognition counts: private (only you, the default), manager (you and your manager) or organisation (everyone, and admins as teaching credit).");
        me.MapPut("/", async (RecognitionVisibilityWrite body, RecognitionConsent consent, CurrentUser current, CancellationToken ct) =>
                TypedResults.Ok(new RecognitionVisibilityDto(await consent.SetAsync(current.RequirePerson(),
                    ApiEnums.Parse<RecognitionVisibility>(body.Visibility, nameof(body.Visibility)), ct))))
            .WithSummary("`{visibility: private|manager|organisation}`: who sees your sessions, hours, validated skills and public thanks on your profile; only organisation lets admins see your teaching credit.");
    }

    private static async Task<IResult> TrainingNeedsAsync(string? format, TrainingNeeds needs, CancellationToken ct)
    {
        var report = await needs.ReportAsync(ct);
        return format == "csv" ? Csv(TrainingNeeds.ToCsv(report), "training-needs.csv") : Results.Ok(report);
    }

    private static async Task<Ok<SuccessionReport>> SuccessionAsync(SuccessionRisk risk, CancellationToken ct) =>
        TypedResults.Ok(await risk.ReportAsync(ct));

    private static async Task<Created<CycleDto>> PassItOnAsync(Guid skillId, SuccessionRisk risk, CancellationToken ct)
    {
        var cycle = await risk.PassItOnAsync(skillId, ct);
        return TypedResults.Created($"/api/cycles/{cycle.Id}", CyclesApi.ToDto(cycle));
    }

    private static async Task<Ok<NetworkReport>> NetworkAsync(Guid? cycle, LearningNetwork network, CancellationToken ct) =>
        TypedResults.Ok(await network.ReportAsync(cycle, ct));

    private static async Task<IResult> TeachingCreditAsync(DateOnly? from, DateOnly? to, string? format, TeachingCredit credit, CancellationToken ct)
    {
        var credits = await credit.ReportAsync(from, to, ct);
        return format == "csv" ? Csv(TeachingCredit.ToCsv(credits), "teaching-credit.csv") : Results.Ok(credits);
    }

    private static IResult Csv(string text, string name) => Results.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", name);
}
