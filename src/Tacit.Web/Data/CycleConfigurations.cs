using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tacit.Domain.Cycles;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Domain.People;

namespace Tacit.Web.Data;

internal sealed class ManagerEnrolmentConfiguration : IEntityTypeConfiguration<ManagerEnrolment>
{
    public void Configure(EntityTypeBuilder<ManagerEnrolment> e)
    {
        e.Property(m => m.ExpectedBarriers).HasMaxLength(ManagerEnrolment.BarriersMaxLength);
        e.HasOne<Cycle>().WithMany().HasForeignKey(m => m.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(m => m.ManagerId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(m => new { m.CycleId, m.ManagerId }).IsUnique();
    }
}

internal sealed class IntakeQuestionConfiguration : IEntityTypeConfiguration<IntakeQuestion>
{
    public void Configure(EntityTypeBuilder<IntakeQuestion> e)
    {
        e.Property(q => q.Text).HasMaxLength(IntakeQuestion.TextMaxLength);
        e.Property(q => q.Kind).HasConversion<string>().HasMaxLength(20);
        e.PrimitiveCollection(q => q.Options).HasField("_options").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.HasOne<Cycle>().WithMany().HasForeignKey(q => q.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(q => new { q.CycleId, q.Position });
    }
}

internal sealed class IntakeResponseConfiguration : IEntityTypeConfiguration<IntakeResponse>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<IntakeResponse> e)
    {
        e.Property(r => r.Department).HasMaxLength(Person.DepartmentMaxLength);
        e.Property(r => r.Barriers).HasConversion<int>();
        e.Property(r => r.BarrierNote).HasMaxLength(IntakeResponse.FreeTextMaxLength);
        e.Property(r => r.TimeZone).HasMaxLength(Person.TimeZoneMaxLength);
        e.PrimitiveCollection(r => r.Availability).HasField("_availability").UsePropertyAccessMode(PropertyAccessMode.Field);
        // The answers to the facilitator's own questions travel together, as one JSON document per response.
        e.Ignore(r => r.Answers);
        e.Property<List<QuestionAnswer>>("_answers").HasColumnName("Answers").HasConversion(
            answers => JsonSerializer.Serialize(answers, Json),
            json => JsonSerializer.Deserialize<List<QuestionAnswer>>(json, Json) ?? new List<QuestionAnswer>(),
            new ValueComparer<List<QuestionAnswer>>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                a => JsonSerializer.Serialize(a, Json).GetHashCode(StringComparison.Ordinal),
                a => a.ToList()));
        e.HasOne<Cycle>().WithMany().HasForeignKey(r => r.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(r => new { r.CycleId, r.PersonId }).IsUnique();
    }
}

internal sealed class MatchRunConfiguration : IEntityTypeConfiguration<MatchRun>
{
    public void Configure(EntityTypeBuilder<MatchRun> e)
    {
        e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(r => r.Stage).HasMaxLength(MatchRun.StageMaxLength);
        e.Property(r => r.Error).HasMaxLength(MatchRun.ErrorMaxLength);
        e.ComplexProperty(r => r.Weights);
        e.ComplexProperty(r => r.Figures);
        e.Ignore(r => r.IsActive);
        e.HasOne<Cycle>().WithMany().HasForeignKey(r => r.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => new { r.CycleId, r.Number }).IsUnique();
        // The database, not only the use case, refuses a second queued or running run of one cycle (two clicks, two instances).
        e.HasIndex(r => r.CycleId).IsUnique().HasFilter("\"Status\" IN ('Queued', 'Running')").HasDatabaseName("IX_MatchRuns_OneActivePerCycle");
    }
}

internal sealed class ProposalConfiguration : IEntityTypeConfiguration<Proposal>
{
    public void Configure(EntityTypeBuilder<Proposal> e)
    {
        e.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        e.PrimitiveCollection(p => p.LearnerIds).HasField("_learnerIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.PrimitiveCollection(p => p.CommonHours);
        // No foreign key to the run, on purpose: PostgreSQL checks one row by row, and at 100,000 people that check was
        // 0.8 s of the 1.7 s PostgreSQL took to store a run's 200,000 proposals (docs/benchmarks.md). Only the match
        // job writes proposals, in the transaction that finishes its run, and runs are never deleted. Like the
        // teacher, skill and learners a proposal names, the run is a plain column here.
        e.HasIndex(p => new { p.RunId, p.TeacherId });
    }
}

internal sealed class UnmetWantConfiguration : IEntityTypeConfiguration<UnmetWant>
{
    public void Configure(EntityTypeBuilder<UnmetWant> e)
    {
        e.Property(u => u.ReasonCode).HasMaxLength(40);
        e.Property(u => u.Reason).HasMaxLength(UnmetWant.ReasonMaxLength);
        // No foreign key to the run, for the reason given for proposals above.
        e.HasIndex(u => new { u.RunId, u.LearnerId });
    }
}

internal sealed class SkippedPinConfiguration : IEntityTypeConfiguration<SkippedPin>
{
    public void Configure(EntityTypeBuilder<SkippedPin> e)
    {
        e.Property(p => p.ReasonCode).HasMaxLength(SkippedPin.ReasonCodeMaxLength);
        e.PrimitiveCollection(p => p.Named).HasField("_named").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.HasOne<MatchRun>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(p => p.RunId);
    }
}

internal sealed class PairRuleConfiguration : IEntityTypeConfiguration<PairRule>
{
    public void Configure(EntityTypeBuilder<PairRule> e)
    {
        e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        e.HasOne<Cycle>().WithMany().HasForeignKey(r => r.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => new { r.CycleId, r.LearnerId, r.TeacherId, r.SkillId }).IsUnique();
    }
}

internal sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> e)
    {
        e.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(o => o.Place).HasMaxLength(Offer.PlaceMaxLength).HasDefaultValue("");
        e.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        e.PrimitiveCollection(o => o.LearnerIds).HasField("_learnerIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.PrimitiveCollection(o => o.Times).HasField("_times").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.PrimitiveCollection(o => o.CommonHours);
        e.Property(o => o.Message).HasMaxLength(Offer.TextMaxLength);
        e.Property(o => o.DeclineReason).HasMaxLength(Offer.TextMaxLength);
        e.Property(o => o.LearnerNote).HasMaxLength(Offer.TextMaxLength);
        e.Ignore(o => o.IsOpen);
        e.Ignore(o => o.DurationMinutes);
        // Two people acting on one offer at once (two acceptances, a decline and an acceptance): every change
        // moves the status on, so the second save finds the status changed and fails instead of overwriting.
        e.Property(o => o.Status).IsConcurrencyToken();
        e.HasOne<Cycle>().WithMany().HasForeignKey(o => o.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(o => new { o.CycleId, o.TeacherId });
        e.HasIndex(o => o.ProposalId).IsUnique();
    }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> e)
    {
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.Place).HasMaxLength(Offer.PlaceMaxLength).HasDefaultValue("");
        e.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.CancelReason).HasMaxLength(Offer.TextMaxLength);
        e.PrimitiveCollection(s => s.LearnerIds).HasField("_learnerIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        e.Ignore(s => s.EndsAt);
        e.Ignore(s => s.CalendarUid);
        e.Ignore(s => s.IsConfirmed);
        e.Property(s => s.Sequence).IsConcurrencyToken();
        e.HasOne<Offer>().WithMany().HasForeignKey(s => s.OfferId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(s => s.OfferId).IsUnique();
        e.HasIndex(s => new { s.CycleId, s.TeacherId });
    }
}

internal sealed class CarriedWantConfiguration : IEntityTypeConfiguration<CarriedWant>
{
    public void Configure(EntityTypeBuilder<CarriedWant> e)
    {
        e.HasOne<Cycle>().WithMany().HasForeignKey(w => w.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(w => new { w.CycleId, w.LearnerId, w.SkillId }).IsUnique();
    }
}

internal sealed class ReviewAttendanceConfiguration : IEntityTypeConfiguration<ReviewAttendance>
{
    public void Configure(EntityTypeBuilder<ReviewAttendance> e)
    {
        e.HasOne<Cycle>().WithMany().HasForeignKey(a => a.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(a => new { a.CycleId, a.PersonId }).IsUnique();
    }
}

internal sealed class OutgoingMailConfiguration : IEntityTypeConfiguration<OutgoingMail>
{
    public void Configure(EntityTypeBuilder<OutgoingMail> e)
    {
        e.Property(m => m.ToEmail).HasMaxLength(OutgoingMail.AddressMaxLength);
        e.Property(m => m.ToName).HasMaxLength(OutgoingMail.NameMaxLength);
        e.Property(m => m.Subject).HasMaxLength(OutgoingMail.SubjectMaxLength);
        e.Property(m => m.CalendarFileName).HasMaxLength(OutgoingMail.FileNameMaxLength);
        e.Property(m => m.CalendarMethod).HasMaxLength(20);
        e.HasIndex(m => new { m.OrganisationId, m.Pending, m.CreatedAt });
    }
}

internal sealed class SentReminderConfiguration : IEntityTypeConfiguration<SentReminder>
{
    public void Configure(EntityTypeBuilder<SentReminder> e)
    {
        e.Property(r => r.Key).HasMaxLength(SentReminder.KeyMaxLength);
        e.HasIndex(r => new { r.OrganisationId, r.Key }).IsUnique();
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.Property(n => n.Text).HasMaxLength(Notification.TextMaxLength);
        e.Property(n => n.Link).HasMaxLength(Notification.LinkMaxLength);
        e.HasOne<Person>().WithMany().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Cascade);
        // A person's notifications, newest first (the inbox, the unread count, erasure; also the foreign key's index). One
        // index where there were two, (organisation, person, time) and (person): a person belongs to one organisation, and
        // a publish writes 500,000 notifications at 100,000 people, 0.6 s faster for each 100,000.
        e.HasIndex(n => new { n.PersonId, n.CreatedAt });
        // The mailer's outbox (Features/Notifications/NotificationMailer): what is still to mail, by person, and the few
        // time-critical ones, so that finding what is due never reads the day's digests that wait (600,000 at 100,000 people).
        e.HasIndex(n => new { n.PersonId, n.CreatedAt }, "IX_Notifications_PendingByPerson").HasFilter("\"EmailPending\"");
        e.HasIndex(n => n.CreatedAt, "IX_Notifications_PendingUrgent").HasFilter("\"EmailPending\" AND \"Urgent\"");
    }
}

internal sealed class SessionFeedbackConfiguration : IEntityTypeConfiguration<SessionFeedback>
{
    public void Configure(EntityTypeBuilder<SessionFeedback> e)
    {
        e.Property(f => f.Learned).HasMaxLength(SessionFeedback.TextMaxLength);
        e.Property(f => f.WentWell).HasMaxLength(SessionFeedback.TextMaxLength);
        e.Property(f => f.ThankYou).HasMaxLength(SessionFeedback.TextMaxLength);
        e.HasOne<Session>().WithMany().HasForeignKey(f => f.SessionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(f => new { f.SessionId, f.PersonId }).IsUnique();
        e.HasIndex(f => new { f.OrganisationId, f.TeacherId });
    }
}

internal sealed class CommitmentConfiguration : IEntityTypeConfiguration<Commitment>
{
    public void Configure(EntityTypeBuilder<Commitment> e)
    {
        e.Property(c => c.Text).HasMaxLength(Commitment.TextMaxLength);
        e.Property(c => c.PartnerNote).HasMaxLength(Commitment.CheckInNoteMaxLength).HasDefaultValue("");
        e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        e.HasOne<Session>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Person>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(c => new { c.OrganisationId, c.LearnerId });
        e.HasIndex(c => new { c.DueOn, c.PartnerAskedAt });
    }
}

internal sealed class SessionQuestionsConfiguration : IEntityTypeConfiguration<SessionQuestions>
{
    public void Configure(EntityTypeBuilder<SessionQuestions> e)
    {
        e.Property(q => q.Text).HasMaxLength(SessionQuestions.TextMaxLength);
        e.HasOne<Session>().WithMany().HasForeignKey(q => q.SessionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(q => new { q.SessionId, q.LearnerId }).IsUnique();
    }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> e)
    {
        e.Property(f => f.Note).HasMaxLength(FollowUp.NoteMaxLength);
        e.HasOne<Session>().WithMany().HasForeignKey(f => f.SessionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(f => f.SessionId);
    }
}
