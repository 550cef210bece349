using Microsoft.Extensions.Hosting;
using Tacit.Testing;

namespace Tacit.EndToEnd;

/// <summary>
/// Tacit scaled out as docs/operations.md describes it ("Several instances", "Behind nginx"): two instances of the
/// published app on one PostgreSQL database, both with <c>App__BaseUrl</c> set to nginx's https address, and nginx
/// sending requests to each in turn. The database is a cluster of this fixture's own (<see cref="PostgresCluster"/>),
/// so a test may restart it; each instance may be killed and started again. Everything it starts, it stops.
/// </summary>
public sealed class TwoInstancesBehindNginx : IAsyncLifetime
{
    public const string DatabaseName = "tacit";

    private readonly string _folder = Directory.CreateTempSubdirectory("tacit-two-").FullName;
    private readonly List<TacitProcess> _instances = [];
    private IHost? _services;

    public Nginx Nginx { get; } = Nginx.OnFreePorts();

    public PostgresCluster Database { get; private set; } = default!;

    /// <summary>The two instances; each connects to PostgreSQL with its name as application name (<c>pg_stat_activity</c> tells them apart).</summary>
    public IReadOnlyList<(string Name, TacitProcess Process)> Instances { get; private set; } = [];

    /// <summary>The app's use cases on the same database, for setting up data the way the <c>tacit</c> command does.</summary>
    public IServiceProvider Services => _services!.Services;

    /// <summary>
    /// A connection string for the test's own look at the database, under its own application name; unpooled, so that
    /// a connection the restart cut is never handed out again.
    /// </summary>
    public string TestConnection => Database.ConnectionString(DatabaseName, "tacit-test") + ";Pooling=false";

    public async Task InitializeAsync()
    {
        Database = await PostgresCluster.StartAsync();
        Instances = [("tacit-a", Instance("tacit-a")), ("tacit-b", Instance("tacit-b"))];
        // One after the other: the first creates and migrates the database; two migrating a fresh database at once is
        // not what these tests are about.
        foreach (var (_, instance) in Instances) await instance.StartAsync();
        await Nginx.StartAsync([.. Instances.Select(i => i.Process.Port)]);
        _services = UseCaseHost.Build(Settings("tacit-test"));
    }

    private TacitProcess Instance(string name)
    {
        var instance = new TacitProcess(Settings(name), Path.Combine(_folder, name + ".log"));
        _instances.Add(instance);
        return instance;
    }

    private Dictionary<string, string> Settings(string applicationName) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Default"] = Database.ConnectionString(DatabaseName, applicationName),
        ["Smtp:PickupFolder"] = Path.Combine(_folder, "mail"),
        ["App:BaseUrl"] = Nginx.PublicBaseUrl,
    };

    /// <summary>What the instances, nginx and PostgreSQL said, for whoever reads a failure.</summary>
    public string Logs() => string.Join("\n", Instances.Select(i => $"== {i.Name}\n{i.Process.LogText()}"))
        + $"\n== nginx\n{Nginx.LogText()}\n== PostgreSQL\n{Database.LogText()}";

    public async Task DisposeAsync()
    {
        await Nginx.DisposeAsync();
        foreach (var instance in _instances) await instance.DisposeAsync();
        _services?.Dispose();
        if (Database is not null) await Database.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
