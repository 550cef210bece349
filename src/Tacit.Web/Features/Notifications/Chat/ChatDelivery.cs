using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;

namespace Tacit.Web.Features.Notifications.Chat;

public enum ChatKind
{
    /// <summary>A Slack incoming webhook: it posts to the channel (or direct-message channel) it was made for.</summary>
    Slack,
    /// <summary>A Microsoft Teams Workflows webhook ("Post to a channel when a webhook request is received"): Adaptive Cards.</summary>
    Teams,
}

/// <summary>
/// Where a person's notifications also (or instead of email) go: a Slack or Teams webhook of their own. The webhook's
/// address is its only key, so it is kept encrypted and never shown again. Each person chooses their own, for a channel
/// only they read: an organisation-wide channel would show everyone's personal notifications to everyone.
/// </summary>
public sealed class ChatDelivery : ITenantOwned
{
    public const int UrlMaxLength = 2000;

    private ChatDelivery() { }

    public ChatDelivery(Guid organisationId, Guid personId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public ChatKind Kind { get; private set; }
    /// <summary>The webhook address, encrypted with ASP.NET Data Protection (<see cref="ChatDeliveries.Purpose"/>).</summary>
    public string ProtectedUrl { get; private set; } = "";
    /// <summary>Chat instead of email; email as well when false. A chat post that fails falls back to email either way.</summary>
    public bool InsteadOfEmail { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Change(ChatKind kind, string protectedUrl, bool insteadOfEmail) => (Kind, ProtectedUrl, InsteadOfEmail) = (kind, protectedUrl, insteadOfEmail);

    public void Choose(bool insteadOfEmail) => InsteadOfEmail = insteadOfEmail;
}

internal sealed class ChatDeliveryConfiguration : IEntityTypeConfiguration<ChatDelivery>
{
    public void Configure(EntityTypeBuilder<ChatDelivery> e)
    {
        e.ToTable("ChatDeliveries");
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        e.Property(c => c.ProtectedUrl).HasMaxLength(4000);
        e.HasIndex(c => c.PersonId).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
