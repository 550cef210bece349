using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Webhooks;

/// <summary>A delivery as Settings and the API show it: what was sent, when, and what the endpoint answered.</summary>
public sealed record WebhookDeliveryView(Guid Id, Guid EndpointId, string WebhookId, string Type, WebhookDeliveryState State, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, int? ResponseStatus, string ResponseExcerpt);

/// <summary>An organisation's webhook endpoints, as its admins subscribe, pause, resume and remove them, and their deliveries.</summary>
public sealed class Webhooks(TacitDbContext db, TimeProvider clock, IDataProtectionProvider protection, IOptions<WebhookOptions> options, Audit.AuditLog audit)
{
    public const int RecentDeliveries = 50;

    /// <summary>Subscribes the address to the events; returns the endpoint and its signing secret, which is shown this once.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(Guid organisationId, string? url, string? description, IReadOnlyCollection<string>? events,
        CancellationToken ct = default)
    {
        var address = WebhookAddresses.Parse(url, options.Value.AllowPrivateAddresses);
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var endpoint = WebhookEndpoint.Create(organisationId, address, description, events ?? [], protection.CreateProtector(WebhookSender.SecretPurpose).Protect(secret),
            clock.GetUtcNow());
        db.Add(endpoint);
        audit.Record("webhook.created", endpoint.Url, endpoint.Events);
        await db.SaveChangesAsync(ct);
        return (endpoint, secret);
    }

    public Task<List<WebhookEndpoint>> ListAsync(CancellationToken ct = default) =>
        db.Set<WebhookEndpoint>().AsNoTracking().OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToListAsync(ct);

    public async Task<WebhookEndpoint> FindAsync(Guid id, CancellationToken ct = default) =>
        await db.Set<WebhookEndpoint>().AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("No such webhook.");

    /// <summary>Removes the endpoint with its deliveries, sent or not.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        var endpoint = await db.Set<WebhookEndpoint>().SingleOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("No such webhook.");
        db.Remove(endpoint);
        audit.Record("webhook.deleted", endpoint.Url);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends a pause: the endpoint's waiting deliveries are tried at once.</summary>
    public async Task ResumeAsync(Guid id, CancellationToken ct = default)
    {
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var endpoint = await db.Set<WebhookEndpoint>().SingleOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("No such webhook.");
        endpoint.Resume();
        audit.Record("webhook.resumed", endpoint.Url);
        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow();
        await db.Set<WebhookDelivery>().Where(d => d.EndpointId == id && d.State == WebhookDeliveryState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The newest deliveries, of one endpoint or all.</summary>
    public Task<List<WebhookDeliveryView>> DeliveriesAsync(Guid? endpointId, CancellationToken ct = default) =>
        db.Set<WebhookDelivery>().AsNoTracking().Where(d => endpointId == null || d.EndpointId == endpointId)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(RecentDeliveries)
            .Select(d => new WebhookDeliveryView(d.Id, d.EndpointId, "msg_" + d.EventId.ToString("N"), d.Type, d.State, d.Attempts, d.CreatedAt, d.LastAttemptAt,
                d.State == WebhookDeliveryState.Pending ? d.NextAttemptAt : null, d.ResponseStatus, d.ResponseExcerpt))
            .ToListAsync(ct);

    /// <summary>Sends a delivery again, as soon as its endpoint is not paused, with the same webhook-id and body (a fresh signature and timestamp).</summary>
    public async Task ReplayAsync(Guid deliveryId, CancellationToken ct = default)
    {
        var delivery = await db.Set<WebhookDelivery>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId, ct) ?? throw new NotFoundException("No such delivery.");
        var now = clock.GetUtcNow();
        await db.Set<WebhookDelivery>().Where(d => d.Id == deliveryId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, WebhookDeliveryState.Pending).SetProperty(d => d.Attempts, 0).SetProperty(d => d.NextAttemptAt, now), ct);
        audit.Record("webhook.replayed", delivery.Type, delivery.WebhookId);
        await db.SaveChangesAsync(ct);
    }
}
