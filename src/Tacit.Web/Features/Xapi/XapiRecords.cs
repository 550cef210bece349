using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// One stored statement, kept as the JSON the LRS returns (with its id, stored, authority and version set). The row's
/// <see cref="Id"/> is a database sequence: it orders statements by when they were stored and is the paging cursor.
/// </summary>
public sealed class XapiStatement : ITenantOwned
{
    public long Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid StatementId { get; set; }
    public string Json { get; set; } = "";
    public DateTimeOffset Stored { get; set; }
    /// <summary>The statement this one voids, when its verb is "voided".</summary>
    public Guid? VoidsStatementId { get; set; }
    public bool Voided { get; set; }
    public List<XapiStatementKey> Keys { get; set; } = [];
}

/// <summary>
/// What a statement can be found by: its agents, verb, activities and registration (the query parameters), each as the
/// SHA-256 of its value (<see cref="XapiHash"/>), so that an IRI of any length is found by one short index entry.
/// </summary>
public sealed class XapiStatementKey : ITenantOwned
{
    public long Id { get; set; }
    public Guid OrganisationId { get; set; }
    public long StatementRowId { get; set; }
    public XapiKeyKind Kind { get; set; }
    public string Hash { get; set; } = "";
}

/// <summary>
/// What the LRS looks things up by (IRIs, agent identifiers, document ids) can be of any length; databases index only
/// short values (PostgreSQL refuses an index entry over 2.7 kB), so lookups go by the value's SHA-256.
/// </summary>
public static class XapiHash
{
    public const int Length = 64;

    public static string Of(string value) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}

/// <summary>
/// Direct keys match the plain query parameters; related keys match related_agents / related_activities = true (a
/// related key is stored for every direct one as well, so each query reads one kind).
/// </summary>
public enum XapiKeyKind
{
    Verb = 0,
    Agent = 1,
    RelatedAgent = 2,
    Activity = 3,
    RelatedActivity = 4,
    Registration = 5,
}

/// <summary>A state, activity profile or agent profile document.</summary>
public sealed class XapiDocument : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public XapiDocumentKind Kind { get; set; }
    /// <summary>The hash of the activity, agent (its identifier key) and registration the document belongs to.</summary>
    public string ScopeHash { get; set; } = "";
    /// <summary>The hash of the agent's identifier key, for state and agent profile documents (null before it was kept).</summary>
    public string? AgentHash { get; set; }
    public string DocumentId { get; set; } = "";
    public string DocumentIdHash { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public string ETag { get; set; } = "";
    public DateTimeOffset Updated { get; set; }
}

public enum XapiDocumentKind
{
    State = 0,
    ActivityProfile = 1,
    AgentProfile = 2,
}

/// <summary>An attachment's content, found by its SHA-256 as statements name it.</summary>
public sealed class XapiAttachment : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Sha2 { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
}

/// <summary>The latest definition an activity was stored with, for GET /xapi/activities.</summary>
public sealed class XapiActivity : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string ActivityId { get; set; } = "";
    public string ActivityIdHash { get; set; } = "";
    public string Json { get; set; } = "";
}

internal sealed class XapiStatementConfiguration : IEntityTypeConfiguration<XapiStatement>
{
    public void Configure(EntityTypeBuilder<XapiStatement> e)
    {
        e.ToTable("XapiStatements");
        e.Property(s => s.Id).ValueGeneratedOnAdd();
        e.HasIndex(s => new { s.OrganisationId, s.StatementId }).IsUnique();
        e.HasIndex(s => new { s.OrganisationId, s.Stored });
        e.HasMany(s => s.Keys).WithOne().HasForeignKey(k => k.StatementRowId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class XapiStatementKeyConfiguration : IEntityTypeConfiguration<XapiStatementKey>
{
    public void Configure(EntityTypeBuilder<XapiStatementKey> e)
    {
        e.ToTable("XapiStatementKeys");
        e.Property(k => k.Id).ValueGeneratedOnAdd();
        // Agent, verb, activity and registration queries: find the statements with a key, newest first.
        e.Property(k => k.Hash).HasMaxLength(XapiHash.Length);
        e.HasIndex(k => new { k.OrganisationId, k.Kind, k.Hash, k.StatementRowId });
    }
}

internal sealed class XapiDocumentConfiguration : IEntityTypeConfiguration<XapiDocument>
{
    public void Configure(EntityTypeBuilder<XapiDocument> e)
    {
        e.ToTable("XapiDocuments");
        e.Property(d => d.ScopeHash).HasMaxLength(XapiHash.Length);
        e.Property(d => d.AgentHash).HasMaxLength(XapiHash.Length);
        e.HasIndex(d => new { d.OrganisationId, d.AgentHash });
        e.Property(d => d.DocumentIdHash).HasMaxLength(XapiHash.Length);
        e.HasIndex(d => new { d.OrganisationId, d.Kind, d.ScopeHash, d.DocumentIdHash }).IsUnique();
        e.Property(d => d.ContentType).HasMaxLength(255);
        e.Property(d => d.ETag).HasMaxLength(80);
        e.HasOne<Organisation>().WithMany().HasForeignKey(d => d.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class XapiAttachmentConfiguration : IEntityTypeConfiguration<XapiAttachment>
{
    public void Configure(EntityTypeBuilder<XapiAttachment> e)
    {
        e.ToTable("XapiAttachments");
        e.HasIndex(a => new { a.OrganisationId, a.Sha2 }).IsUnique();
        e.Property(a => a.Sha2).HasMaxLength(128);
        e.Property(a => a.ContentType).HasMaxLength(255);
        e.HasOne<Organisation>().WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class XapiActivityConfiguration : IEntityTypeConfiguration<XapiActivity>
{
    public void Configure(EntityTypeBuilder<XapiActivity> e)
    {
        e.ToTable("XapiActivities");
        e.Property(a => a.ActivityIdHash).HasMaxLength(XapiHash.Length);
        e.HasIndex(a => new { a.OrganisationId, a.ActivityIdHash }).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
