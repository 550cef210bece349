using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;

namespace Tacit.Web.Features.CalendarFeeds;

/// <summary>
/// A person's private calendar feed: the secret in its address is the only key to it, so only the secret's SHA-256 hash
/// is stored and the address is shown once. A person has at most one; a new one replaces the old, whose address stops
/// working at once.
/// </summary>
public sealed class CalendarFeed : ITenantOwned
{
    public const string SecretPrefix = "tcal_";

    private CalendarFeed() { }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public string SecretHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Creates a feed and returns it with its secret, which is never stored.</summary>
    public static (CalendarFeed Feed, string Secret) Create(Guid organisationId, Guid personId, DateTimeOffset createdAt)
    {
        var feed = new CalendarFeed { Id = Guid.CreateVersion7(createdAt), OrganisationId = organisationId, PersonId = personId };
        return (feed, feed.Renew(createdAt));
    }

    /// <summary>A new secret for the same feed; the old address stops working.</summary>
    public string Renew(DateTimeOffset at)
    {
        var secret = SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        SecretHash = HashOf(secret);
        CreatedAt = at;
        return secret;
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether a string could be a secret at all: anything else is refused before the database is asked.</summary>
    public static bool IsWellFormed(string secret) =>
        secret.Length == SecretPrefix.Length + 64 && secret.StartsWith(SecretPrefix, StringComparison.Ordinal) && secret[SecretPrefix.Length..].All(char.IsAsciiHexDigitLower);
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> e)
    {
        e.ToTable("CalendarFeeds");
        e.Property(f => f.SecretHash).HasMaxLength(64);
        e.HasIndex(f => f.SecretHash).IsUnique();
        e.HasIndex(f => f.PersonId).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(f => f.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
