using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;

namespace Tacit.Web.Features.Evidence;

/// <summary>Whether a colleague has vouched for training submitted: none asked, asked and waiting, confirmed or declined.</summary>
public enum TrainingConfirmation { NotAsked, Pending, Confirmed, Declined }

/// <summary>
/// Learning a person did elsewhere (a course, a book, a conference, shadowing a colleague), submitted to their record.
/// The evidence itself is the xAPI statement <see cref="StatementId"/> in the organisation's learning record store, with
/// the attached file (kept there as the statement's attachment, by its SHA-256); this row is what Tacit lists and
/// asks the confirming colleague about.
/// </summary>
public sealed class SubmittedTraining : ITenantOwned
{
    public const int WhatMaxLength = 200;
    public const int LinkMaxLength = 2000;
    public const int FileNameMaxLength = 200;
    public const int MaxSkills = 10;
    public const double MaxHours = 1000;

    private List<Guid> _skillIds = [];

    private SubmittedTraining() { }

    public SubmittedTraining(Guid organisationId, Guid personId, string what, DateOnly on, double hours, IEnumerable<Guid> skillIds, string link,
        Guid? confirmerId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        What = what;
        On = on;
        Hours = hours;
        _skillIds = [.. skillIds];
        Link = link;
        ConfirmerId = confirmerId;
        Confirmation = confirmerId is null ? TrainingConfirmation.NotAsked : TrainingConfirmation.Pending;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public string What { get; private set; } = "";
    public DateOnly On { get; private set; }
    public double Hours { get; private set; }
    public IReadOnlyList<Guid> SkillIds => _skillIds;
    public string Link { get; private set; } = "";
    public string FileName { get; private set; } = "";
    public string FileContentType { get; private set; } = "";
    /// <summary>The attached file's SHA-256 (hex), the key of its xAPI attachment; empty without a file.</summary>
    public string FileSha2 { get; private set; } = "";
    public Guid? ConfirmerId { get; private set; }
    public TrainingConfirmation Confirmation { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public bool HasFile => FileSha2.Length > 0;

    public void Attach(string fileName, string contentType, string sha2) => (FileName, FileContentType, FileSha2) = (fileName, contentType, sha2);

    /// <summary>The colleague asked answers, once: a confirmation or a refusal stays as given.</summary>
    public void Answer(bool confirmed, DateTimeOffset at)
    {
        if (Confirmation != TrainingConfirmation.Pending) throw new ConflictException("This training was answered already.");
        Confirmation = confirmed ? TrainingConfirmation.Confirmed : TrainingConfirmation.Declined;
        AnsweredAt = at;
    }

    /// <summary>An erased colleague no longer confirms anything; their answer, given, stays.</summary>
    public void ForgetConfirmer()
    {
        ConfirmerId = null;
        if (Confirmation == TrainingConfirmation.Pending) Confirmation = TrainingConfirmation.NotAsked;
    }
}

/// <summary>What a person chose to put in an evidence pack.</summary>
[Flags]
public enum PackContents
{
    None = 0,
    Sessions = 1,
    ValidatedSkills = 2,
    Commitments = 4,
    SubmittedTraining = 8,
    Thanks = 16,
    All = Sessions | ValidatedSkills | Commitments | SubmittedTraining | Thanks,
}

/// <summary>
/// A part of a person's learning record that they chose (a period, and what is in it) and shared with one colleague —
/// their manager for an appraisal, or an admin in HR. Only the person and that colleague can open it, and the colleague
/// only until the person withdraws it. Its content is read from the record whenever it is opened.
/// </summary>
public sealed class EvidencePack : ITenantOwned
{
    public const int TitleMaxLength = 120;

    private EvidencePack() { }

    public EvidencePack(Guid organisationId, Guid personId, string title, DateOnly? from, DateOnly? to, PackContents contents, Guid sharedWithId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        PersonId = personId;
        Title = title;
        From = from;
        To = to;
        Contents = contents;
        SharedWithId = sharedWithId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PersonId { get; private set; }
    public string Title { get; private set; } = "";
    public DateOnly? From { get; private set; }
    public DateOnly? To { get; private set; }
    public PackContents Contents { get; private set; }
    public Guid SharedWithId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }

    public bool IsWithdrawn => WithdrawnAt is not null;

    public void Withdraw(DateTimeOffset at) => WithdrawnAt ??= at;
}

/// <summary>Someone other than its owner opened a pack: the owner sees who and when.</summary>
public sealed class EvidencePackOpening : ITenantOwned
{
    private EvidencePackOpening() { }

    public EvidencePackOpening(Guid organisationId, Guid packId, Guid openedById, DateTimeOffset openedAt) =>
        (Id, OrganisationId, PackId, OpenedById, OpenedAt) = (Guid.CreateVersion7(openedAt), organisationId, packId, openedById, openedAt);

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid PackId { get; private set; }
    public Guid OpenedById { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
}

internal sealed class SubmittedTrainingConfiguration : IEntityTypeConfiguration<SubmittedTraining>
{
    public void Configure(EntityTypeBuilder<SubmittedTraining> e)
    {
        e.ToTable("SubmittedTraining");
        e.Property(t => t.What).HasMaxLength(SubmittedTraining.WhatMaxLength);
        e.Property(t => t.Link).HasMaxLength(SubmittedTraining.LinkMaxLength);
        e.Property(t => t.FileName).HasMaxLength(SubmittedTraining.FileNameMaxLength);
        e.Property(t => t.FileContentType).HasMaxLength(40);
        e.Property(t => t.FileSha2).HasMaxLength(64);
        e.Property(t => t.Confirmation).HasConversion<string>().HasMaxLength(16);
        e.PrimitiveCollection(t => t.SkillIds).HasField("_skillIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.HasIndex(t => new { t.OrganisationId, t.PersonId, t.On });
        e.HasIndex(t => new { t.OrganisationId, t.ConfirmerId });
        e.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(t => t.PersonId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(t => t.ConfirmerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EvidencePackConfiguration : IEntityTypeConfiguration<EvidencePack>
{
    public void Configure(EntityTypeBuilder<EvidencePack> e)
    {
        e.ToTable("EvidencePacks");
        e.Property(p => p.Title).HasMaxLength(EvidencePack.TitleMaxLength);
        e.HasIndex(p => new { p.OrganisationId, p.PersonId });
        e.HasIndex(p => new { p.OrganisationId, p.SharedWithId });
        e.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(p => p.PersonId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(p => p.SharedWithId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EvidencePackOpeningConfiguration : IEntityTypeConfiguration<EvidencePackOpening>
{
    public void Configure(EntityTypeBuilder<EvidencePackOpening> e)
    {
        e.ToTable("EvidencePackOpenings");
        e.HasIndex(o => new { o.OrganisationId, o.PackId });
        e.HasOne<Organisation>().WithMany().HasForeignKey(o => o.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<EvidencePack>().WithMany().HasForeignKey(o => o.PackId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(o => o.OpenedById).OnDelete(DeleteBehavior.Cascade);
    }
}
