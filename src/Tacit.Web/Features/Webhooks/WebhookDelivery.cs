using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;

namespace Tacit.Web.Features.Webhooks;

public enum WebhookDeliveryState
{
    /// <summary>Waiting for its next attempt (at <see cref="WebhookDelivery.NextAttemptAt"/>).</summary>
    Pending,
    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,
    /// <summary>Every attempt failed; an admin may replay it.</summary>
    Failed,
}

/// <summary>
/// One event on its way to one endpoint: the outbox row, written in the same save as the change it reports, then sent
/// by <see cref="WebhookSender"/> and retried with growing pauses. <see cref="EventId"/> is the webhook-id the receiver
/// sees, the same on every attempt and replay, so a receiver that keeps the ids it has handled handles each event once.
/// </summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public const int ExcerptMaxLength = 500;

    private WebhookDelivery() { }

    public WebhookDelivery(WebhookEndpoint endpoint, Guid eventId, string type, string payload, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        OrganisationId = endpoint.OrganisationId;
        EndpointId = endpoint.Id;
        EventId = eventId;
        Type = type;
        Payload = payload;
        CreatedAt = now;
        NextAttemptAt = now;
        State = WebhookDeliveryState.Pending;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid EndpointId { get; private set; }
    public Guid EventId { get; private set; }
    public string Type { get; private set; } = "";
    /// <summary>The JSON body, exactly as signed and sent.</summary>
    public string Payload { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public WebhookDeliveryState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    /// <summary>The HTTP status of the last answer; null when there was none (refused, timed out, not allowed).</summary>
    public int? ResponseStatus { get; private set; }
    /// <summary>The start of the last answer's body, or why there was no answer.</summary>
    public string ResponseExcerpt { get; private set; } = "";

    public string WebhookId => $"msg_{EventId:N}";

    public static string Excerpt(string text) => text.Length <= ExcerptMaxLength ? text : text[..ExcerptMaxLength];
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> e)
    {
        e.ToTable("WebhookDeliveries");
        e.Property(d => d.Type).HasMaxLength(60);
        e.Property(d => d.ResponseExcerpt).HasMaxLength(WebhookDelivery.ExcerptMaxLength);
        e.HasIndex(d => new { d.State, d.NextAttemptAt });
        e.HasIndex(d => new { d.EndpointId, d.CreatedAt });
        e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
