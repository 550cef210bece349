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
            .WithSummary("Skills people want that nobody here shares (never offered, or every sharer has left), by department and over the last cycles; counts of people only from five; ?format=csv downloads it; the figures are held up to ten minutes (Last-Modified says when they were read), ?refresh=true reads them now (facilitators).");
        insight.MapGet("/succession", SuccessionAsync)
            .WithSummary("Succession risk: skills one or two people share and five or more want, skills only leavers shared, skills whose sharers all sit in one department; held up to ten minutes like every insight report, ?refresh=true reads them now (facilitators).");
        insight.MapPost("/succession/{skillId:guid}/pass-it-on", PassItOnAsync)
            .WithSummary("Starts a draft cycle named for the skill, for the departments of the people who share and want it; returns the cycle (facilitators).");
        insight.MapGet("/network", NetworkAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("The learning network across departments: flows between departments (pairs of five or more people), people who bridge departments, the silo index per cycle; ?cycle= narrows flows and bridges to one cycle; held up to ten minutes, ?refresh=true reads them now (facilitators).");
        insight.MapGet("/teaching-credit", TeachingCreditAsync).Produces<IReadOnlyList<TeacherCredit>>().ProducesProblem(StatusCodes.Status422UnprocessableEntity).AdminOnly()
            .WithSummary("Sessions taught, hours and learners' usefulness ratings per person, only for people who let the organisation see them; ?from=&to= (dates) narrow it, ?format=csv downloads it; held up to ten minutes, ?refresh=true reads them now, while consent and names are always current (admins).");

        var me = api.MapGroup("/me/recognition-visibility").WithTags("Insight");
        me.MapGet("/", async (RecognitionConsent consent, CurrentUser current, CancellationToken ct) =>
                TypedResults.Ok(new RecognitionVisibilityDto(await consent.ReadAsync(current.RequirePerson(), ct))))
            .WithSummary("Who sees your recognition counts: private (only you, the default), manager (you and your manager) or organisation (everyone, and admins as teaching credit).");
        me.MapPut("/", async (RecognitionVisibilityWrite body, RecognitionConsent consent, CurrentUser current, CancellationToken ct) =>
                TypedResults.Ok(new RecognitionVisibilityDto(await consent.SetAsync(current.RequirePerson(),
                    ApiEnums.Parse<RecognitionVisibility>(body.Visibility, nameof(body.Visibility)), ct))))
            .WithSummary("`{visibility: private|manager|organisation}`: who sees your sessions, hours, validated skills and public thanks on your profile; only organisation lets admins see your teaching credit.");
    }

    private static async Task<IResult> TrainingNeedsAsync(string? format, bool? refresh, TrainingNeeds needs, HttpContext http, CancellationToken ct)
    {
        var report = Dated(http, await needs.ReportAsync(refresh ?? false, ct));
        return format == "csv" ? Csv(TrainingNeeds.ToCsv(report), "training-needs.csv") : Results.Ok(report);
    }

    private static async Task<Ok<SuccessionReport>> SuccessionAsync(bool? refresh, SuccessionRisk risk, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Dated(http, await risk.ReportAsync(refresh ?? false, ct)));

    private static async Task<Created<CycleDto>> PassItOnAsync(Guid skillId, SuccessionRisk risk, CancellationToken ct)
    {
        var cycle = await risk.PassItOnAsync(skillId, ct);
        return TypedResults.Created($"/api/cycles/{cycle.Id}", CyclesApi.ToDto(cycle));
    }

    private static async Task<Ok<NetworkReport>> NetworkAsync(Guid? cycle, bool? refresh, LearningNetwork network, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Dated(http, await network.ReportAsync(cycle, refresh ?? false, ct)));

    private static async Task<IResult> TeachingCreditAsync(DateOnly? from, DateOnly? to, string? format, bool? refresh, TeachingCredit credit, HttpContext http, CancellationToken ct)
    {
        var credits = Dated(http, await credit.ReportAsync(from, to, refresh ?? false, ct));
        return format == "csv" ? Csv(TeachingCredit.ToCsv(credits), "teaching-credit.csv") : Results.Ok(credits);
    }

    /// <summary>Says when the figures were read from the database (they are held for a while: docs/insight.md, "Speed").</summary>
    private static T Dated<T>(HttpContext http, Computed<T> computed)
    {
        http.Response.GetTypedHeaders().LastModified = computed.ComputedAt;
        return computed.Report;
    }

    private static IResult Csv(string text, string name) => Results.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", name);
}
