using Tacit.Domain;
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
        Features.Audit.AuditApi.MapAuditApi(api);
        Features.Offers.OffersApi.MapOffersApi(api);
        Features.Knowledge.KnowledgeApi.MapKnowledgeApi(api);
        Features.CalendarFeeds.CalendarFeedsApi.MapCalendarFeedsApi(api);
        Features.Notifications.Chat.ChatDeliveriesApi.MapChatDeliveriesApi(api);
        Features.Webhooks.WebhooksApi.MapWebhooksApi(api);
        Features.Evidence.EvidenceApi.MapEvidenceApi(api);
        Features.Evidence.EvidenceApi.MapTrainingAndPacksApi(api);
        Features.Insight.InsightApi.MapInsightApi(api);
        Features.Credentials.CredentialsApi.MapCredentialsApi(api);
        Features.Demo.DemoApi.MapDemoApi(app);
        return app;
    }

    internal static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(Policies.Admin);
}
