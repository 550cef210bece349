using System.Diagnostics;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>A tool the test command installed (Redocly, the credential verifier), run as it would be by hand.</summary>
public static class ExternalCommand
{
    /// <summary>Runs a command; its standard output is the answer (such tools write their notices to standard error).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var notices = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        await notices;
        return (process.ExitCode, await output);
    }
}
