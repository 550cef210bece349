using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;
using Tacit.Web.Features.People;

namespace Tacit.Web.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseSetup
{
    public const string DefaultSqliteConnection = "Data Source=data/tacit.db";

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider is '{value}'; use Sqlite or Postgres.");
    }

    /// <summary>Registers the provider's context as <see cref="TacitDbContext"/>, which is all the features ask for.</summary>
    public static IServiceCollection AddTacitDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connection = configuration.GetConnectionString("Default");
        switch (ProviderFrom(configuration))
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connection))
                    throw new InvalidOperationException("ConnectionStrings:Default is required when Database:Provider is Postgres.");
                services.AddPooledDbContextFactory<PostgresTacitDbContext>((sp, o) => o.UseNpgsql(Tuned(connection)).AddInterceptors(sp.GetRequiredService<DirectorySaves>(), sp.GetRequiredService<Features.Webhooks.WebhookEvents>()));
                AddScopedContext<PostgresTacitDbContext>(services);
                break;
            default:
                var sqlite = string.IsNullOrWhiteSpace(connection) ? DefaultSqliteConnection : connection;
                services.AddPooledDbContextFactory<SqliteTacitDbContext>((sp, o) => o.UseSqlite(sqlite).AddInterceptors(sp.GetRequiredService<DirectorySaves>(), sp.GetRequiredService<Features.Webhooks.WebhookEvents>()));
                AddScopedContext<SqliteTacitDbContext>(services);
                break;
        }
        return services;
    }

    /// <summary>
    /// One context per request or command, taken from a pool: setting up a new context on every request cost more than
    /// the directory's queries. The request's tenant goes with it (people it saves reach the directory through DirectorySaves);
    /// disposing the scope returns it to the pool. It is registered once, as <see cref="TacitDbContext"/> only: the scope
    /// disposes what each registration made, so a second registration of the same context (its provider's type) returned
    /// it to the pool twice, and between the two another scope could take it and have it reset under its queries.
    /// </summary>
    private static void AddScopedContext<TContext>(IServiceCollection services) where TContext : TacitDbContext =>
        services.AddScoped<TacitDbContext>(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            db.UseTenant(sp.GetRequiredService<Tenancy.TenantContext>());
            return db;
        });

    /// <summary>
    /// Tacit runs the same few queries all day; letting Npgsql prepare them spares PostgreSQL parsing and planning each
    /// one again. And Tacit leaves nothing on a connection (no session settings, temporary tables or advisory locks),
    /// so a connection going back to the pool need not be reset: that reset (DISCARD ALL and more) cost PostgreSQL
    /// about as much as a profile page's whole query. An explicit setting in the connection string wins.
    /// </summary>
    private static string Tuned(string connection)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        if (!connection.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 64;
        if (!connection.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>Brings the schema up to date; SQLite also gets its folder and write-ahead logging.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
        if (db.Database.IsSqlite())
        {
            var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        // Pre-release databases were built by migrations that were later squashed into one Initial per provider
        // (ADR-006); EF would try to create every table again. Say so plainly instead.
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(
                $"This database was made by a pre-release Tacit (migration {unknown[0]}), whose schema history was squashed into one " +
                "Initial migration (docs/decisions/ADR-006); it cannot be upgraded in place. For a local try-out delete data/tacit.db " +
                "(SQLite) or point ConnectionStrings__Default at a new database (PostgreSQL).");
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
