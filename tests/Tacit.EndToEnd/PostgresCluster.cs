using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Tacit.EndToEnd;

/// <summary>
/// A PostgreSQL cluster of a test's own, which it may restart: Debian's binaries as scripts/postgres.sh uses them,
/// <c>initdb</c> into a temporary folder, <c>pg_ctl</c> on a free loopback port below 32768 with trust authentication
/// and its socket in that folder. Not the test command's shared server, which other tests are using meanwhile. As
/// root it runs as the <c>postgres</c> user (PostgreSQL refuses root). Disposing stops it and removes the folder.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tacit-pg-").FullName;
    private readonly string _bin = Binaries();

    private PostgresCluster() => Port = TacitServer.FreeLoopbackPort();

    public int Port { get; }

    private string Data => Path.Combine(_folder, "data");

    private string LogFile => Path.Combine(_folder, "log");

    /// <summary>
    /// fsync is off (the cluster is thrown away, and this machine does not crash mid-test), but commits are synchronous
    /// as in production: a commit PostgreSQL acknowledged is in its log before the client hears of it.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        var cluster = new PostgresCluster();
        try
        {
            if (IsRoot) await RunAsync("chown", "postgres:postgres", cluster._folder);
            await cluster.PostgresAsync("initdb", "-D", cluster.Data, "-U", "postgres", "-A", "trust", "--no-sync");
            await cluster.PgCtlAsync("start", "-o", string.Join(' ',
                "-c listen_addresses=127.0.0.1", $"-p {cluster.Port.ToString(CultureInfo.InvariantCulture)}", $"-k {cluster._folder}",
                "-c fsync=off -c full_page_writes=off -c max_connections=300"));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public string ConnectionString(string database, string applicationName) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, ApplicationName = applicationName,
    }.ConnectionString;

    /// <summary>A restart as an operator does one (<c>pg_ctl restart -m fast</c>): every connection is cut, open transactions roll back.</summary>
    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast");

    /// <summary>What PostgreSQL logged, for whoever reads a failure.</summary>
    public string LogText() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    private Task PgCtlAsync(string command, params string[] options) =>
        PostgresAsync("pg_ctl", [command, "-D", Data, "-l", LogFile, "-w", "-t", "30", .. options]);

    private Task PostgresAsync(string program, params string[] arguments)
    {
        var path = Path.Combine(_bin, program);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            try { await PostgresAsync("pg_ctl", "stop", "-D", Data, "-m", "immediate", "-w"); }
            catch (InvalidOperationException) { }
        }
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The newest of Debian's PostgreSQL versions installed (/usr/lib/postgresql/N/bin), as scripts/postgres.sh picks it.</summary>
    private static string Binaries() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
        .Select(version => Path.Combine(version, "bin"))
        .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")))
        .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
        .FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL is not installed: ./test.sh installs it (apt-get install postgresql).");

    /// <summary>Runs a command to its end; its output goes nowhere unless it fails. pg_ctl's server writes to its own log file.</summary>
    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await errors}");
    }
}
