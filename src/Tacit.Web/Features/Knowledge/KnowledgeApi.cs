using System.Text;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Knowledge;

/// <summary>The organisation's knowledge for facilitators and admins: the same figures as the /knowledge page.</summary>
public static class KnowledgeApi
{
    public static void MapKnowledgeApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/knowledge", GetAsync).RequireAuthorization(Policies.Facilitator).WithTags("Knowledge")
            .Produces<MapFigures>()
            .WithSummary("Who knows what across the organisation: demand and supply per skill and category, wants nobody shares, hidden experts, skills only one person shares, department × category; ?department=&category=&skill= narrow it, ?format=csv downloads it (facilitators).");
        api.MapGet("/knowledge/continuity", ContinuityAsync).RequireAuthorization(Policies.Facilitator).WithTags("Knowledge")
            .Produces<IReadOnlyList<SkillAtRisk>>()
            .WithSummary("Knowledge continuity: skills that only people who have left (been deactivated) shared, with who they were and how many still want each (facilitators).");
    }

    private static async Task<IReadOnlyList<SkillAtRisk>> ContinuityAsync(KnowledgeContinuity continuity, CancellationToken ct) =>
        await continuity.AtRiskAsync(ct);

    private static async Task<IResult> GetAsync(string? department, string? category, string? skill, string? format, KnowledgeMap map, CancellationToken ct)
    {
        var figures = await map.ForOrganisationAsync(new KnowledgeFilter(department, category, skill), ct);
        return format == "csv"
            ? Results.File(Encoding.UTF8.GetBytes(KnowledgeMap.ToCsv(figures)), "text/csv; charset=utf-8", "knowledge.csv")
            : Results.Ok(figures);
    }
}
