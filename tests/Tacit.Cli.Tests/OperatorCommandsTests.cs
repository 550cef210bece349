using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Tacit.Cli.Tests;

/// <summary>Runs the built `tacit` command as an operator would, on a fresh SQLite file, and reads the database it wrote.</summary>
public sealed class OperatorCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tacit-cli-").FullName;

    private string Database => Path.Combine(_folder, "tacit.db");

    private async Task<(int ExitCode, string Output, string Error)> TacitAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tacit.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Database};Pooling=False";
        start.Environment["Smtp__PickupFolder"] = Path.Combine(_folder, "mail");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Demo_load_prints_sign_in_details_and_refuses_a_second_load()
    {
        var (code, output, error) = await TacitAsync("demo", "load");
        Assert.True(code == 0, error);
        Assert.Contains("alex.morgan@northwind.example", output, StringComparison.Ordinal);
        Assert.Contains("password: tacit-demo-2026", output, StringComparison.Ordinal);
        Assert.True(Scalar("""SELECT count(*) FROM "People" """) >= 150);

        var again = await TacitAsync("demo", "load");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already loaded", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, Scalar("""SELECT count(*) FROM "Organisations" """));
    }

    [Fact]
    public async Task Org_create_makes_the_organisation_and_an_invitation_and_token_create_prints_a_working_secret()
    {
        var (code, output, error) = await TacitAsync("org", "create", "--name", "Acme Ltd", "--slug", "acme", "--admin-email", "ada@acme.example");
        Assert.True(code == 0, error);
        Assert.Contains("/invitation/", output, StringComparison.Ordinal);
        Assert.Equal(1, Scalar("""SELECT count(*) FROM "Invitations" """));
        Assert.True(Scalar("""SELECT count(*) FROM "Skills" """) > 100);

        var token = await TacitAsync("token", "create", "--org", "acme", "--role", "admin");
        Assert.True(token.ExitCode == 0, token.Error);
        var secret = token.Output.Trim();
        Assert.StartsWith("tacit_", secret, StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(1, Scalar($"""SELECT count(*) FROM "ApiTokens" WHERE "Hash" = '{hash}' AND "Role" = 4"""));
        Assert.Equal(0, Scalar($"""SELECT count(*) FROM "ApiTokens" WHERE "Hash" = '{secret}'"""));
    }

    [Theory]
    [InlineData("URL name may contain only", "org", "create", "--name", "Acme", "--slug", "Bad Slug", "--admin-email", "x@y.example")]
    [InlineData("is not a valid email", "org", "create", "--name", "Acme", "--slug", "acme", "--admin-email", "nobody")]
    [InlineData("no organisation with the URL name 'nope'", "token", "create", "--org", "nope", "--role", "admin")]
    [InlineData("'boss' is not a role", "token", "create", "--org", "nope", "--role", "boss")]
    public async Task Bad_input_gets_a_clear_message_an_exit_code_and_changes_nothing(string message, params string[] args)
    {
        var (code, _, error) = await TacitAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(0, Scalar("""SELECT count(*) FROM "Organisations" """));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
