using Tacit.Web.Infrastructure;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>A database made by the migrations squashed before the first release (ADR-006) is refused with a plain reason.</summary>
public abstract class DatabaseSetupTests(TacitApp app)
{
    [Fact]
    public async Task A_database_with_a_migration_this_version_does_not_know_is_refused_and_left_as_it_is()
    {
        _ = app.Server; // migrated at start-up
        await DatabaseSetup.MigrateAsync(app.Services); // an up-to-date database is left alone
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TacitDbContext>().Database.ExecuteSqlRawAsync(
                """INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261124124541_Initial', '10.0.0')""");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseSetup.MigrateAsync(app.Services));
        Assert.Contains("pre-release Tacit (migration 20261124124541_Initial)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ADR-006", refused.Message, StringComparison.Ordinal);
    }
}

public sealed class DatabaseSetupSqliteTests(SqliteApp app) : DatabaseSetupTests(app), IClassFixture<SqliteApp>;

public sealed class DatabaseSetupPostgresTests(PostgresApp app) : DatabaseSetupTests(app), IClassFixture<PostgresApp>;
