using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain.Cycles;
using Tacit.Domain.Integrations;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;
using Tacit.Domain.Skills;

namespace Tacit.Web.Data;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> e)
    {
        e.Property(o => o.Name).HasMaxLength(Organisation.NameMaxLength);
        e.Property(o => o.Slug).HasMaxLength(Organisation.SlugMaxLength);
        e.HasIndex(o => o.Slug).IsUnique();
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> e)
    {
        e.Property(p => p.Email).HasMaxLength(254);
        e.Property(p => p.DisplayName).HasMaxLength(Person.NameMaxLength);
        e.Property(p => p.JobTitle).HasMaxLength(Person.TitleMaxLength);
        e.Property(p => p.Department).HasMaxLength(Person.DepartmentMaxLength);
        e.Property(p => p.Location).HasMaxLength(Person.LocationMaxLength);
        e.Property(p => p.TimeZone).HasMaxLength(Person.TimeZoneMaxLength);
        e.Property(p => p.Bio).HasMaxLength(Person.BioMaxLength);
        e.Property(p => p.ExternalId).HasMaxLength(Person.ExternalIdMaxLength).HasDefaultValue("");
        e.Property(p => p.SearchText).HasMaxLength(Person.SearchTextMaxLength);
        e.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(p => p.ManagerId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(p => new { p.OrganisationId, p.Email }).IsUnique();
        e.HasIndex(p => new { p.OrganisationId, p.DisplayName });
        e.HasIndex(p => new { p.OrganisationId, p.Department });
        // Who takes part in a cycle (Features/Cycles/Participants: the active people, by department), counted on the cycle
        // page and in the facilitator's digest: read without the table, 6–13 ms against 127 ms for 100,000 people.
        e.HasIndex(p => new { p.OrganisationId, p.Department }, "IX_People_ActiveByDepartment").HasFilter("\"IsActive\"");
        // Teaching credit checks consent on every view (docs/insight.md): an index of only the consenting people, read
        // without the table (8 ms against 31 ms for 50,000 of 100,000).
        e.HasIndex(p => new { p.OrganisationId, p.Id }, "IX_People_RecognisedByOrganisation")
            .HasFilter($"\"IsActive\" AND \"RecognitionVisibility\" = {(int)RecognitionVisibility.Organisation}");
        // Whose mail may go now (Features/Notifications/NotificationMailer, every few seconds): an index for each part of
        // "mails at once, or has had no mail, or their digest is due" (0.4 ms against 130 ms reading 100,000 people).
        e.HasIndex(p => p.NextDigestAt);
        e.HasIndex(p => p.Id, "IX_People_MailImmediately").HasFilter("\"MailImmediately\"");
        // Stamped by a database trigger on every write to the directory's columns (Features/People/DirectoryIndex.cs).
        e.Property<long>(Features.People.DirectoryIndex.ChangeColumn).HasDefaultValue(0L).ValueGeneratedNever();
        e.HasIndex(nameof(Person.OrganisationId), Features.People.DirectoryIndex.ChangeColumn);
    }
}

internal sealed class SkillConfiguration : IEntityTypeConfiguration<Skill>
{
    public void Configure(EntityTypeBuilder<Skill> e)
    {
        e.Property(s => s.Name).HasMaxLength(Skill.NameMaxLength);
        e.Property(s => s.Category).HasMaxLength(Skill.CategoryMaxLength);
        e.Property(s => s.Description).HasMaxLength(Skill.DescriptionMaxLength);
        e.HasOne<Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(s => s.Aliases).WithOne().HasForeignKey(a => a.SkillId).OnDelete(DeleteBehavior.Cascade);
        e.Navigation(s => s.Aliases).UsePropertyAccessMode(PropertyAccessMode.Field);
        e.HasIndex(s => new { s.OrganisationId, s.Name }).IsUnique();
    }
}

internal sealed class SkillAliasConfiguration : IEntityTypeConfiguration<SkillAlias>
{
    public void Configure(EntityTypeBuilder<SkillAlias> e)
    {
        e.Property(a => a.Name).HasMaxLength(Skill.NameMaxLength);
        e.HasIndex(a => new { a.OrganisationId, a.Name });
    }
}

internal sealed class SkillSuggestionConfiguration : IEntityTypeConfiguration<SkillSuggestion>
{
    public void Configure(EntityTypeBuilder<SkillSuggestion> e)
    {
        e.Property(s => s.Name).HasMaxLength(Skill.NameMaxLength);
        e.Property(s => s.Category).HasMaxLength(Skill.CategoryMaxLength);
        e.Property(s => s.Description).HasMaxLength(Skill.DescriptionMaxLength);
        e.Property(s => s.Reason).HasMaxLength(SkillSuggestion.ReasonMaxLength);
        e.HasOne<Person>().WithMany().HasForeignKey(s => s.SuggestedBy).OnDelete(DeleteBehavior.Restrict);
        // A skill merged away later leaves the decided suggestion without its skill, not without its history.
        e.HasOne<Skill>().WithMany().HasForeignKey(s => s.SkillId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(s => new { s.OrganisationId, s.Status });
    }
}

internal sealed class ShareConfiguration : IEntityTypeConfiguration<Share>
{
    public void Configure(EntityTypeBuilder<Share> e)
    {
        e.HasOne<Person>().WithMany().HasForeignKey(s => s.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Skill>().WithMany().HasForeignKey(s => s.SkillId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(s => new { s.OrganisationId, s.PersonId, s.SkillId }).IsUnique();
        e.HasIndex(s => new { s.OrganisationId, s.SkillId });
    }
}

internal sealed class WantConfiguration : IEntityTypeConfiguration<Want>
{
    public void Configure(EntityTypeBuilder<Want> e)
    {
        e.Property(w => w.Why).HasMaxLength(Want.WhyMaxLength);
        e.HasOne<Person>().WithMany().HasForeignKey(w => w.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(w => w.PreferredTeacherId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Skill>().WithMany().HasForeignKey(w => w.SkillId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(w => new { w.OrganisationId, w.PersonId, w.SkillId }).IsUnique();
        e.HasIndex(w => new { w.OrganisationId, w.SkillId });
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.Property(t => t.Name).HasMaxLength(ApiToken.NameMaxLength);
        e.Property(t => t.Hash).HasMaxLength(64);
        e.Property(t => t.Hint).HasMaxLength(8);
        e.HasIndex(t => t.Hash).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ScimGroupConfiguration : IEntityTypeConfiguration<ScimGroup>
{
    public void Configure(EntityTypeBuilder<ScimGroup> e)
    {
        e.Property(g => g.DisplayName).HasMaxLength(Person.DepartmentMaxLength);
        e.Property(g => g.ExternalId).HasMaxLength(Person.ExternalIdMaxLength);
        e.HasIndex(g => new { g.OrganisationId, g.DisplayName }).IsUnique();
        e.HasOne<Organisation>().WithMany().HasForeignKey(g => g.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> e)
    {
        e.Property(i => i.TokenHash).HasMaxLength(64);
        e.HasIndex(i => i.TokenHash).IsUnique();
        e.HasOne<Person>().WithMany().HasForeignKey(i => i.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PendingImportConfiguration : IEntityTypeConfiguration<PendingImport>
{
    public void Configure(EntityTypeBuilder<PendingImport> e)
    {
        e.Property(i => i.FileName).HasMaxLength(260);
        e.HasOne<Organisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public void Configure(EntityTypeBuilder<IdempotentRequest> e)
    {
        e.Property(r => r.Key).HasMaxLength(IdempotentRequest.KeyMaxLength);
        e.Property(r => r.Fingerprint).HasMaxLength(32);
        e.Property(r => r.ContentType).HasMaxLength(200);
        e.Property(r => r.Location).HasMaxLength(2000);
        // One row per key of each sender: a second attempt with the same key meets the first one here.
        e.HasIndex(r => new { r.OrganisationId, r.CallerId, r.Key }).IsUnique();
        e.HasIndex(r => r.ExpiresAt);
        e.HasOne<Organisation>().WithMany().HasForeignKey(r => r.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CycleConfiguration : IEntityTypeConfiguration<Cycle>
{
    public void Configure(EntityTypeBuilder<Cycle> e)
    {
        e.Property(c => c.Name).HasMaxLength(Cycle.NameMaxLength);
        e.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        e.PrimitiveCollection(c => c.Departments).HasField("_departments").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(c => new { c.OrganisationId, c.CreatedAt });
        // One next cycle per cycle: a second "start the next cycle" is a conflict, not a twin.
        e.HasOne<Cycle>().WithMany().HasForeignKey(c => c.PreviousCycleId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(c => c.PreviousCycleId).IsUnique();
    }
}

internal sealed class TacitUserConfiguration : IEntityTypeConfiguration<TacitUser>
{
    public void Configure(EntityTypeBuilder<TacitUser> e)
    {
        e.HasOne<Person>().WithMany().HasForeignKey(u => u.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(u => u.PersonId).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.Property(a => a.Action).HasMaxLength(AuditEntry.ActionMaxLength);
        e.Property(a => a.Actor).HasMaxLength(AuditEntry.ActorMaxLength);
        e.Property(a => a.Subject).HasMaxLength(AuditEntry.SubjectMaxLength);
        e.Property(a => a.Details).HasMaxLength(AuditEntry.DetailsMaxLength);
        // No foreign key to the person who acted: the entry outlives them (an erased or removed person stays named as they were).
        e.HasIndex(a => new { a.OrganisationId, a.At });
    }
}
