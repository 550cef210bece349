using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Tacit.Cli.Tests;

/// <summary>What one run of the tacit command did.</summary>
internal sealed record TacitRun(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>The README's promise for bad input: exit code 2, nothing on standard output, the message on standard error, no stack trace.</summary>
    public void AssertRefused(string message)
    {
        Assert.Equal(2, ExitCode);
        Assert.Equal("", Output);
        Assert.Contains(message, Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
    }
}

/// <summary>A fresh folder with its own SQLite database, where the built `tacit` command runs as an operator would run it.</summary>
internal sealed class TacitFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tacit-cli-").FullName;

    public string Database => System.IO.Path.Combine(Path, "tacit.db");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The folder's entries (files and directories), by name, sorted.</summary>
    public string[] Entries() => [.. Directory.EnumerateFileSystemEntries(Path).Select(e => System.IO.Path.GetFileName(e)).Order(StringComparer.Ordinal)];

    public async Task<TacitRun> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path };
        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "tacit.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Database};Pooling=False";
        start.Environment["Smtp__PickupFolder"] = System.IO.Path.Combine(Path, "mail");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new TacitRun(process.ExitCode, await output, await error, clock.Elapsed);
    }

    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
