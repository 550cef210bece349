using System.CommandLine;
using System.CommandLine.Invocation;
using Tacit.Cli.Matching;
using Tacit.Domain;
using Tacit.Matching;

namespace Tacit.Cli;

/// <summary>Bad input to the tacit command: its message is printed on standard error and the exit code is <see cref="TacitCli.InvalidInput"/>.</summary>
public sealed class CliInputException(string message) : Exception(message);

/// <summary>
/// The tacit command and the README's promise: results on standard output, logs and messages on standard error; bad input
/// (options, files, instances, rules) exits with 2, anything unexpected with 1, and neither leaves half-written output.
/// </summary>
public static class TacitCli
{
    /// <summary>Exit code for bad input: unknown options, missing or malformed values, unreadable or invalid files, refused requests.</summary>
    public const int InvalidInput = 2;

    /// <summary>Exit code for anything unexpected (a database that cannot be reached, a bug).</summary>
    public const int Failed = 1;

    public static RootCommand Root() =>
        new("tacit: operator tasks on the web app's database (Database__Provider, ConnectionStrings__Default), and the matching engine on instance files.")
        {
            OperatorCommands.Demo(),
            OperatorCommands.Organisation(),
            OperatorCommands.Token(),
            OperatorCommands.LrsCredentials(),
            OperatorCommands.Cycle(),
            MatchingCommands.Match(),
            MatchingCommands.GenerateInstance(),
        };

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parsed = Root().Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine would print the errors and the help on standard output and exit with 1.
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync($"Run '{CommandPath(parsed.CommandResult)} --help' for usage.");
            return InvalidInput;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (e is CliInputException or DomainException or ForbiddenException or NotFoundException or InstanceValidationException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return InvalidInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return Failed;
        }
#pragma warning disable CA1031 // The last line of defence: a message instead of a stack trace, and a distinct exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}");
            return Failed;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult? command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, c.Parent is null ? "tacit" : c.Command.Name);
        return names.Count == 0 ? "tacit" : string.Join(' ', names);
    }
}
