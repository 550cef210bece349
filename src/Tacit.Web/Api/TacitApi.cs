using System.Security.Claims;
using Tacit.Domain.People;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Skills;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Api;

/// <summary>The REST API under /api, described at /openapi/v1.json. Cookies and bearer tokens both work.</summary>
public static class TacitApi
{
    public static IEndpointRouteBuilder MapTacitApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Member);
        api.MapPeopleApi();
        api.MapSkillsApi();
        api.MapSkillSuggestionsApi();
        api.MapSharesApi();
        api.MapWantsApi();
        api.MapCyclesApi();
        api.MapNotificationsApi();
        Features.Offers.OffersApi.MapOffersApi(api);
        Features.Knowledge.KnowledgeApi.MapKnowledgeApi(api);
        Features.Demo.DemoApi.MapDemoApi(app);
        return app;
    }

    internal static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(Policies.Admin);

    /// <summary>The person acting; API tokens act for the organisation, not for a person, so "my" endpoints refuse them.</summary>
    internal static Guid Me(this ClaimsPrincipal user) =>
        user.PersonId() is { } id && id != Guid.Empty ? id : throw new ForbiddenException("This endpoint acts for a person; sign in, or use it from the app. API tokens act for no person.");

    internal static Actor Actor(this ClaimsPrincipal user) =>
        new(user.PersonId() is var id && id != Guid.Empty ? id : null, user.Is(Roles.Admin));
}
