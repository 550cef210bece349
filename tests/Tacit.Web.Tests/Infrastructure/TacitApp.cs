using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tacit.Domain.People;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Settings;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// The real app on a real database, fresh for each test class: a temporary SQLite file, or a new
/// PostgreSQL database on the server named by TACIT_TEST_POSTGRES (the test command starts one).
/// Its reminder scheduler stores reminders but does not run them, unless asked: reminder tests start
/// <see cref="AnotherInstance"/>s on the same database, the way a restarted or second server would.
/// </summary>
public abstract class TacitApp : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly bool _ownsData;

    protected TacitApp() : this(Directory.CreateTempSubdirectory("tacit-test-").FullName, ownsData: true) { }

    protected TacitApp(string folder, bool ownsData) => (_folder, _ownsData) = (folder, ownsData);

    /// <summary>Whether this instance's Quartz scheduler runs (and so fires due reminders).</summary>
    public bool RunsReminders { get; init; }

    /// <summary>A second app on this one's database and mail folder; disposing it leaves them to this one.</summary>
    public abstract TacitApp AnotherInstance(bool runsReminders);

    protected string Folder => _folder;

    public string MailFolder => Path.Combine(_folder, "mail");

    public MailFolder Mail => new(MailFolder, () => ServerErrors.ToString());

    public ServerErrors ServerErrors { get; } = new();

    protected abstract string Provider { get; }

    protected abstract string ConnectionString { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Smtp:PickupFolder", MailFolder);
        // Tests read each notification's mail as soon as it is written; gathering is tested on its own (NotificationMailTests).
        builder.UseSetting("Smtp:GatherNotificationsFor", "00:00:00");
        builder.UseSetting("App:BaseUrl", "http://127.0.0.1");
        builder.UseSetting("Reminders:Run", RunsReminders ? "true" : "false");
        // Test classes share a database between organisations; the demo must stay loadable beside them.
        builder.UseSetting("Demo:Enabled", "true");
        // The tests' webhook receivers listen on 127.0.0.1, which a production server refuses (docs/integrations.md);
        // retries come quickly and an endpoint is paused after a few failures, so both happen within a test.
        builder.UseSetting("Webhooks:AllowPrivateAddresses", "true");
        builder.UseSetting("Webhooks:FirstRetryAfter", "00:00:00.300");
        builder.UseSetting("Webhooks:MaxRetryAfter", "00:00:01");
        builder.UseSetting("Webhooks:PauseAfterFailures", "6");
        builder.UseSetting("Webhooks:PollEvery", "00:00:00.100");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Error");
        builder.ConfigureLogging(logging => logging.AddProvider(ServerErrors));
    }

    protected string TempPath(string name) => Path.Combine(_folder, name);

    /// <summary>Runs a use case the way a request would: in its own scope, acting for one organisation.</summary>
    public async Task<T> InScopeAsync<T>(Guid organisationId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        if (organisationId != Guid.Empty) scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        return await action(scope.ServiceProvider);
    }

    public async Task<CreatedOrganisation> CreateOrganisationAsync(string slug, string password = "correct-horse-battery")
    {
        _ = Server;
        return await InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<CreateOrganisationHandler>()
            .HandleAsync(new CreateOrganisation($"Org {slug}", slug, $"Admin {slug}", $"admin@{slug}.example", password)));
    }

    /// <summary>How many Quartz triggers whose name starts with the given text are stored (Quartz's own table, read directly).</summary>
    public Task<int> QuartzTriggersAsync(Guid organisationId, string namePrefix) =>
        InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM qrtz_triggers WHERE trigger_name LIKE {namePrefix + "%"}").SingleAsync());

    public async Task<HttpClient> ClientWithTokenAsync(Guid organisationId, Roles role)
    {
        var (_, secret) = await InScopeAsync(organisationId, sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(organisationId, "test", role));
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsData) Cleanup();
    }

    protected virtual void Cleanup()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class SqliteApp : TacitApp
{
    public SqliteApp() { }

    private SqliteApp(string folder, bool runsReminders) : base(folder, ownsData: false) => RunsReminders = runsReminders;

    public override TacitApp AnotherInstance(bool runsReminders) => new SqliteApp(Folder, runsReminders);

    protected override string Provider => "Sqlite";

    // Pooled, as the app runs: without a pool every connection opens the file and reads the schema again, which made
    // the SQLite fuzzers take twice as long.
    protected override string ConnectionString => $"Data Source={TempPath("tacit.db")}";

    protected override void Cleanup()
    {
        // The pool keeps the file open; closing it first lets the folder go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        base.Cleanup();
    }
}

public sealed class PostgresApp : TacitApp
{
    private readonly string _database = $"tacit_test_{Guid.NewGuid():N}";

    public PostgresApp() { }

    private PostgresApp(string folder, string database, bool runsReminders) : base(folder, ownsData: false) =>
        (_database, RunsReminders) = (database, runsReminders);

    public override TacitApp AnotherInstance(bool runsReminders) => new PostgresApp(Folder, _database, runsReminders);

    public static string ServerConnection =>
        Environment.GetEnvironmentVariable("TACIT_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "TACIT_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL, or point it at a server, e.g. 'Host=127.0.0.1;Port=5432;Username=postgres'.");

    protected override string Provider => "Postgres";

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnection) { Database = _database }.ConnectionString;

    protected override void Cleanup()
    {
        base.Cleanup();
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ServerConnection);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
