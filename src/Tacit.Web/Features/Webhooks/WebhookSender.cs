using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Webhooks;

/// <summary>
/// Sends the webhook outbox in the background, oldest first, signed as the Standard Webhooks specification says
/// (webhook-id, webhook-timestamp and webhook-signature headers; HMAC-SHA256 of "id.timestamp.body" with the endpoint's
/// secret). A 2xx answer delivers; anything else (another status, a redirect, a refused connection, a timeout) is
/// retried after a pause that doubles each time, and an endpoint that fails too often in a row is paused. With several
/// app instances a delivery is claimed by one update, so only one of them sends each attempt. An endpoint's later
/// deliveries wait while an earlier one is failing, so a receiver that comes back gets them in the order they happened
/// (the events of one change, such as an offer accepted and its session booked, in any order among themselves).
/// </summary>
public sealed class WebhookSender : BackgroundService
{
    private const int BatchSize = 100;
    public const string SecretPurpose = "Tacit.Webhooks.Secret.v1";

    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly IOptions<WebhookOptions> options;
    private readonly IDataProtector protector;
    private readonly ILogger<WebhookSender> logger;
    private readonly HttpClient http;

    public WebhookSender(IServiceScopeFactory scopes, TimeProvider clock, IOptions<WebhookOptions> options, IDataProtectionProvider protection, ILogger<WebhookSender> logger)
    {
        (this.scopes, this.clock, this.options, this.logger) = (scopes, clock, options, logger);
        protector = protection.CreateProtector(SecretPurpose);
        http = WebhookAddresses.Client(options.Value.AllowPrivateAddresses, options.Value.Timeout, "Tacit-Webhooks/1.0");
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int attempted;
            try
            {
                attempted = await SendBatchAsync(stoppingToken);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogWarning(e, "Sending webhooks failed; retrying shortly.");
                attempted = 0;
            }
            if (attempted == 0) await Task.Delay(options.Value.PollEvery, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Makes one attempt at each due delivery, organisation by organisation; returns how many attempts were made.</summary>
    public async Task<int> SendBatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Guid> organisations;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            // Across organisations on purpose: only the ids of organisations with due work, each then handled in its own tenant scope.
            organisations = await Due(db.Set<WebhookDelivery>().IgnoreQueryFilters(), db.Set<WebhookEndpoint>().IgnoreQueryFilters(), now)
                .Select(d => d.OrganisationId).Distinct().Take(50).ToListAsync(ct);
        }
        var attempted = 0;
        foreach (var organisation in organisations)
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            var due = await Due(db.Set<WebhookDelivery>(), db.Set<WebhookEndpoint>(), now).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Take(BatchSize).AsNoTracking().ToListAsync(ct);
            var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking().ToDictionaryAsync(w => w.Id, ct);
            foreach (var forEndpoint in due.GroupBy(d => d.EndpointId))
            {
                if (!endpoints.TryGetValue(forEndpoint.Key, out var endpoint)) continue;
                foreach (var delivery in forEndpoint)
                {
                    if (!await ClaimAsync(db, delivery.Id, ct)) continue;
                    attempted++;
                    // A failure holds back the endpoint's later deliveries until this one goes through: order is kept.
                    if (!await AttemptAsync(db, endpoint, delivery, ct)) break;
                }
            }
        }
        return attempted;
    }

    /// <summary>
    /// Pending deliveries whose time has come, to endpoints that are not paused, with no earlier delivery to the same
    /// endpoint still waiting for its next attempt (or in flight): each endpoint gets its events in order.
    /// </summary>
    private static IQueryable<WebhookDelivery> Due(IQueryable<WebhookDelivery> deliveries, IQueryable<WebhookEndpoint> endpoints, DateTimeOffset now) =>
        deliveries.Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now
            && endpoints.Any(w => w.Id == d.EndpointId && w.PausedAt == null)
            && !deliveries.Any(earlier => earlier.EndpointId == d.EndpointId && earlier.State == WebhookDeliveryState.Pending && earlier.NextAttemptAt > now
                && earlier.CreatedAt < d.CreatedAt));

    /// <summary>Moves the delivery's next attempt past the time this one can take: another instance then leaves it alone.</summary>
    private async Task<bool> ClaimAsync(TacitDbContext db, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leased = now + options.Value.Timeout + TimeSpan.FromSeconds(30);
        return await db.Set<WebhookDelivery>().Where(d => d.Id == id && d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, leased), ct) == 1;
    }

    /// <summary>Sends the delivery once and records the answer; true when it was delivered.</summary>
    private async Task<bool> AttemptAsync(TacitDbContext db, WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken ct)
    {
        var sentAt = clock.GetUtcNow();
        int? status = null;
        string excerpt;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
            var signature = new StandardWebhook(protector.Unprotect(endpoint.ProtectedSecret)).Sign(delivery.WebhookId, sentAt, delivery.Payload);
            request.Headers.Add("webhook-id", delivery.WebhookId);
            request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", signature);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            excerpt = await ReadExcerptAsync(response, ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            excerpt = e is TaskCanceledException ? $"No answer within {options.Value.Timeout.TotalSeconds:0} s." : e.Message;
        }
        var delivered = status is >= 200 and < 300;
        var attempts = delivery.Attempts + 1;
        var state = delivered ? WebhookDeliveryState.Delivered : attempts >= options.Value.MaxAttempts ? WebhookDeliveryState.Failed : WebhookDeliveryState.Pending;
        var next = delivered ? sentAt : sentAt + options.Value.RetryAfter(attempts);
        excerpt = WebhookDelivery.Excerpt(excerpt);
        await db.Set<WebhookDelivery>().Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, state).SetProperty(d => d.Attempts, attempts).SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastAttemptAt, sentAt).SetProperty(d => d.ResponseStatus, status).SetProperty(d => d.ResponseExcerpt, excerpt), ct);
        var endpoints = db.Set<WebhookEndpoint>().Where(w => w.Id == endpoint.Id);
        if (delivered)
        {
            await endpoints.Where(w => w.ConsecutiveFailures > 0).ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveFailures, 0), ct);
            return true;
        }
        await endpoints.ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveFailures, w => w.ConsecutiveFailures + 1), ct);
        var pauseAfter = options.Value.PauseAfterFailures;
        if (await endpoints.Where(w => w.PausedAt == null && w.ConsecutiveFailures >= pauseAfter).ExecuteUpdateAsync(s => s.SetProperty(w => w.PausedAt, sentAt), ct) == 1)
            logger.LogWarning("Webhook endpoint {Endpoint} of organisation {Organisation} is paused after {Failures} failed attempts in a row.", endpoint.Id, endpoint.OrganisationId, pauseAfter);
        return false;
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new char[WebhookDelivery.ExcerptMaxLength];
        using var reader = new StreamReader(body, Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer, ct);
        return new string(buffer, 0, read);
    }
}
