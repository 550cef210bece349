using Microsoft.AspNetCore.Http.HttpResults;

namespace Tacit.Web.Features.Demo;

/// <summary>
/// The demo through the API, for anyone (the start page offers the same): whether it is offered and loaded, and loading
/// it. While the demo is off, loading answers 403 with the reason.
/// </summary>
public static class DemoApi
{
    public sealed record DemoStatusDto(bool Offered, bool Loaded, string? WhyNot);

    public sealed record DemoLoadedDto(string Organisation, string Slug, string SignInAs, string Password);

    public static void MapDemoApi(this IEndpointRouteBuilder app)
    {
        var demo = app.MapGroup("/api/demo").AllowAnonymous().WithTags("Demo");
        demo.MapGet("", GetStatusAsync).WithSummary("Whether this server offers the demo organisation, whether it is loaded, and why not.");
        demo.MapPost("", LoadAsync).WithName("loadDemo")
            .WithSummary("Loads the demo organisation while it is offered, answering its admin's sign-in; 403 while it is off, 409 once loaded.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<DemoStatusDto>> GetStatusAsync(DemoAvailability availability, CancellationToken ct)
    {
        var status = await availability.StatusAsync(ct);
        return TypedResults.Ok(new DemoStatusDto(status.Offered, status.Loaded, status.WhyNot));
    }

    private static async Task<Created<DemoLoadedDto>> LoadAsync(DemoOrganisationLoader loader, CancellationToken ct)
    {
        var created = await loader.LoadAsync(ct);
        return TypedResults.Created("/api/demo", new DemoLoadedDto(created.Organisation.Name, created.Organisation.Slug,
            DemoOrganisationLoader.AdminEmail, DemoOrganisationLoader.AdminPassword));
    }
}
