using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Integrations;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Data;

/// <summary>
/// The one model of Tacit. Each database provider has a subclass (and its own migrations) so that the
/// same code runs embedded on SQLite and at scale on PostgreSQL.
/// </summary>
public abstract class TacitDbContext(DbContextOptions options)
    : IdentityDbContext<TacitUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>Contexts are pooled (they cost less that way); each one is given its request's tenant when taken from the pool.</summary>
    private TenantContext tenant = new();

    public void UseTenant(TenantContext requestTenant) => tenant = requestTenant;

    /// <summary>The keys that protect cookies and tokens, shared by every app instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Read by the query filters at query time, so one model serves every organisation.</summary>
    public Guid CurrentOrganisationId => tenant.OrganisationId;

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Skill> Skills => Set<Skill>();
    public DbSet<SkillAlias> SkillAliases => Set<SkillAlias>();
    public DbSet<SkillSuggestion> SkillSuggestions => Set<SkillSuggestion>();
    public DbSet<Share> Shares => Set<Share>();
    public DbSet<Want> Wants => Set<Want>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ScimGroup> ScimGroups => Set<ScimGroup>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<PendingImport> PendingImports => Set<PendingImport>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<Cycle> Cycles => Set<Cycle>();
    public DbSet<ManagerEnrolment> ManagerEnrolments => Set<ManagerEnrolment>();
    public DbSet<IntakeQuestion> IntakeQuestions => Set<IntakeQuestion>();
    public DbSet<IntakeResponse> IntakeResponses => Set<IntakeResponse>();
    public DbSet<MatchRun> MatchRuns => Set<MatchRun>();
    public DbSet<Proposal> Proposals => Set<Proposal>();
    public DbSet<UnmetWant> UnmetWants => Set<UnmetWant>();
    public DbSet<SkippedPin> SkippedPins => Set<SkippedPin>();
    public DbSet<PairRule> PairRules => Set<PairRule>();
    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<SessionFeedback> SessionFeedback => Set<SessionFeedback>();
    public DbSet<Commitment> Commitments => Set<Commitment>();
    public DbSet<SessionQuestions> SessionQuestions => Set<SessionQuestions>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SentReminder> SentReminders => Set<SentReminder>();
    public DbSet<OutgoingMail> OutgoingMail => Set<OutgoingMail>();
    public DbSet<CarriedWant> CarriedWants => Set<CarriedWant>();
    public DbSet<ReviewAttendance> ReviewAttendances => Set<ReviewAttendance>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TacitDbContext).Assembly);

        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType)))
        {
            builder.Entity(entity.ClrType).HasQueryFilter(TenantFilter(entity.ClrType));
            // Ids are made in the domain, never by the database; EF then treats an entity it finds with an id as new. An
            // append-only log (xAPI statements) numbers its rows in the database instead, to keep their order.
            if (entity.FindProperty("Id")?.ClrType == typeof(Guid)) builder.Entity(entity.ClrType).Property("Id").ValueGeneratedNever();
        }
        builder.Entity<Organisation>().Property(o => o.Id).ValueGeneratedNever();
    }

    private LambdaExpression TenantFilter(Type type)
    {
        var row = Expression.Parameter(type, "row");
        var rowOrganisation = Expression.Property(row, nameof(ITenantOwned.OrganisationId));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentOrganisationId));
        return Expression.Lambda(Expression.Equal(rowOrganisation, current), row);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseOtherOrganisationsRows();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e) || e is DbUpdateConcurrencyException)
        {
            throw SavedAtTheSameMoment(e);
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseOtherOrganisationsRows();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e) || e is DbUpdateConcurrencyException)
        {
            throw SavedAtTheSameMoment(e);
        }
    }

    /// <summary>True when the database refused a duplicate that the use case's own check could not see (a race).</summary>
    protected abstract bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>A duplicate the database refused, in words: from SaveChanges, or from a <see cref="BulkInsert"/>.</summary>
    internal static ConflictException SavedAtTheSameMoment(Exception _) =>
        new("Someone saved the same thing at the same moment, so this was not saved. Reload and try again.");

    /// <summary>The query filter stops reads; this stops writes, so a bug elsewhere cannot cross organisations.</summary>
    private void RefuseOtherOrganisationsRows()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("The audit log is append-only: an entry is never changed or removed.");
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached) continue;
            if (entry.Entity.OrganisationId != tenant.OrganisationId)
                throw new InvalidOperationException($"Refused to save a {entry.Entity.GetType().Name} of another organisation.");
        }
    }
}

public sealed class SqliteTacitDbContext(DbContextOptions<SqliteTacitDbContext> options) : TacitDbContext(options)
{
    protected override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    /// <summary>SQLite cannot compare or order DateTimeOffset values; stored as sortable integers they can.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresTacitDbContext(DbContextOptions<PostgresTacitDbContext> options) : TacitDbContext(options)
{
    protected override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };
}
