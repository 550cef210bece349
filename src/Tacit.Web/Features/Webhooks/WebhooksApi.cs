using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Webhooks;

public sealed record WebhookWrite(string? Url, string? Description, IReadOnlyList<string>? Events);
public sealed record WebhookDto(Guid Id, string Url, string Description, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, int ConsecutiveFailures, DateTimeOffset? PausedAt);
public sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);

/// <summary>Webhook endpoints and their deliveries through the API (admins; docs/integrations.md).</summary>
public static class WebhooksApi
{
    public static void MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        webhooks.MapGet("/", async (Webhooks service, CancellationToken ct) => (await service.ListAsync(ct)).Select(ToDto).ToList())
            .WithSummary("The organisation's webhook endpoints (admins).");
        webhooks.MapGet("/events", () => WebhookEventTypes.Descriptions).WithName("listWebhookEventTypes")
            .WithSummary("The event types an endpoint can subscribe to, with what each means.");
        webhooks.MapPost("/", async (WebhookWrite body, Webhooks service, CurrentUser current, CancellationToken ct) =>
        {
            var (endpoint, secret) = await service.CreateAsync(current.OrganisationId, body.Url, body.Description, body.Events, ct);
            return TypedResults.Created($"/api/webhooks/{endpoint.Id}", new CreatedWebhookDto(ToDto(endpoint), secret));
        }).WithSummary("Subscribes an http(s) address to events: {url, description, events: [type...]}. The signing secret is in this answer only.");
        webhooks.MapGet("/{id:guid}", async (Guid id, Webhooks service, CancellationToken ct) => ToDto(await service.FindAsync(id, ct)))
            .WithSummary("One endpoint: its events, failures in a row and whether it is paused.");
        webhooks.MapDelete("/{id:guid}", async (Guid id, Webhooks service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Removes the endpoint and its deliveries.");
        webhooks.MapPost("/{id:guid}/resume", async (Guid id, Webhooks service, CancellationToken ct) =>
        {
            await service.ResumeAsync(id, ct);
            return ToDto(await service.FindAsync(id, ct));
        }).WithSummary("Resumes a paused endpoint; its waiting deliveries are sent at once.");
        webhooks.MapGet("/{id:guid}/deliveries", async (Guid id, Webhooks service, CancellationToken ct) =>
        {
            await service.FindAsync(id, ct);
            return await service.DeliveriesAsync(id, ct);
        }).WithSummary($"The endpoint's {Webhooks.RecentDeliveries} newest deliveries, with the last answer's status and the start of its body.");
        webhooks.MapPost("/deliveries/{id:guid}/replay", async (Guid id, Webhooks service, CancellationToken ct) =>
        {
            await service.ReplayAsync(id, ct);
            return TypedResults.Accepted((string?)null);
        }).WithSummary("Sends a delivery again, with the same webhook-id and body.");
    }

    private static WebhookDto ToDto(WebhookEndpoint w) => new(w.Id, w.Url, w.Description, w.EventTypes, w.CreatedAt, w.ConsecutiveFailures, w.PausedAt);
}
