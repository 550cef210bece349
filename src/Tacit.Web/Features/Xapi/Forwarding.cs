using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// Where an organisation's own evidence statements go besides its own store: another LRS or an HR system speaking xAPI,
/// at <see cref="Endpoint"/> (its statements resource is <c>{Endpoint}/statements</c>), with HTTP Basic. The secret is
/// kept encrypted with ASP.NET Data Protection, because Tacit must send it back out; it is never shown again.
/// </summary>
public sealed class XapiForwardingTarget : ITenantOwned
{
    public const int EndpointMaxLength = 500;
    public const int KeyMaxLength = 200;

    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Endpoint { get; set; } = "";
    public string Key { get; set; } = "";
    public string ProtectedSecret { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }

    public string StatementsUrl => Endpoint.TrimEnd('/') + "/statements";
}

/// <summary>
/// One statement Tacit wrote that is to be forwarded: saved in the same transaction as the statement (the outbox), sent
/// by <see cref="StatementForwarder"/>, retried with back-off, and set aside (<see cref="DeadAt"/>) after the last
/// attempt, until an admin retries it from Settings.
/// </summary>
public sealed class XapiForward : ITenantOwned
{
    public const int ErrorMaxLength = 500;

    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid StatementId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Set while one forwarder (of possibly several app instances) is sending the row.</summary>
    public Guid? ClaimedBy { get; set; }
    public string LastError { get; set; } = "";
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeadAt { get; set; }
}

internal sealed class XapiForwardingTargetConfiguration : IEntityTypeConfiguration<XapiForwardingTarget>
{
    public void Configure(EntityTypeBuilder<XapiForwardingTarget> e)
    {
        e.ToTable("XapiForwardingTargets");
        e.HasIndex(t => t.OrganisationId).IsUnique();
        e.Property(t => t.Endpoint).HasMaxLength(XapiForwardingTarget.EndpointMaxLength);
        e.Property(t => t.Key).HasMaxLength(XapiForwardingTarget.KeyMaxLength);
        e.Ignore(t => t.StatementsUrl);
        e.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class XapiForwardConfiguration : IEntityTypeConfiguration<XapiForward>
{
    public void Configure(EntityTypeBuilder<XapiForward> e)
    {
        e.ToTable("XapiForwards");
        e.HasIndex(f => new { f.OrganisationId, f.StatementId }).IsUnique();
        // The forwarder's question: which rows are due (not sent, not dead) — across organisations, then per organisation.
        e.HasIndex(f => new { f.SentAt, f.DeadAt, f.NextAttemptAt });
        e.Property(f => f.LastError).HasMaxLength(XapiForward.ErrorMaxLength);
        e.HasOne<Organisation>().WithMany().HasForeignKey(f => f.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
