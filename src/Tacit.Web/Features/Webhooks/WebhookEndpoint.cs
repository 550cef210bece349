using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;

namespace Tacit.Web.Features.Webhooks;

/// <summary>
/// An address an admin subscribed to some of Tacit's events. Its signing secret goes back out with every delivery, so
/// it is kept encrypted with Data Protection (never hashed) and shown once. A run of failed attempts pauses it until an
/// admin resumes it; its deliveries wait meanwhile.
/// </summary>
public sealed class WebhookEndpoint : ITenantOwned
{
    public const int UrlMaxLength = 2000;
    public const int DescriptionMaxLength = 200;

    private WebhookEndpoint() { }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Url { get; private set; } = "";
    public string Description { get; private set; } = "";
    /// <summary>The event types it receives, separated by spaces.</summary>
    public string Events { get; private set; } = "";
    /// <summary>The signing secret (whsec_…), encrypted with Data Protection.</summary>
    public string ProtectedSecret { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Failed attempts since the last one that succeeded.</summary>
    public int ConsecutiveFailures { get; private set; }
    public DateTimeOffset? PausedAt { get; private set; }

    public bool IsPaused => PausedAt is not null;

    public IReadOnlyList<string> EventTypes => Events.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Receives(string eventType) => EventTypes.Contains(eventType);

    public static WebhookEndpoint Create(Guid organisationId, Uri url, string? description, IReadOnlyCollection<string> events, string protectedSecret, DateTimeOffset now)
    {
        if (events.Count == 0) throw new DomainException("Choose at least one event.", nameof(Events));
        var unknown = events.Except(WebhookEventTypes.All).ToList();
        if (unknown.Count > 0) throw new DomainException($"Unknown event type: {string.Join(", ", unknown)}.", nameof(Events));
        return new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            Url = url.AbsoluteUri,
            Description = Guard.Optional(description, nameof(Description), "Description", DescriptionMaxLength),
            Events = string.Join(' ', WebhookEventTypes.All.Where(events.Contains)),
            ProtectedSecret = protectedSecret,
            CreatedAt = now,
        };
    }

    public void Resume()
    {
        PausedAt = null;
        ConsecutiveFailures = 0;
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> e)
    {
        e.ToTable("WebhookEndpoints");
        e.Property(w => w.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
        e.Property(w => w.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        e.Property(w => w.Events).HasMaxLength(1000);
        e.Property(w => w.ProtectedSecret).HasMaxLength(1000);
        e.Ignore(w => w.EventTypes);
        e.HasOne<Organisation>().WithMany().HasForeignKey(w => w.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
