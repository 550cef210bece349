namespace Tacit.Cli.Tests;

/// <summary>Runs the built `tacit` command as an operator would, on a fresh SQLite file, and reads the database it wrote.</summary>
public sealed class OperatorCommandsTests : IDisposable
{
    private readonly TacitFolder _folder = new();

    private Task<TacitRun> TacitAsync(params string[] args) => _folder.RunAsync(args);

    private long Scalar(string sql) => _folder.Scalar(sql);

    private static readonly string[] SignInLines =
    [
        "Admin and facilitator: alex.morgan@northwind.example  password: tacit-demo-2026",
        "Member:                sam.patel@northwind.example  password: tacit-demo-2026",
    ];

    [Fact]
    public async Task Demo_load_prints_sign_in_details_and_a_second_load_prints_them_again()
    {
        var (code, output, error, _) = await TacitAsync("demo", "load");
        Assert.True(code == 0, error);
        Assert.Equal(["Loaded the demo organisation 'Northwind Works (demo)' (/demo).", .. SignInLines], Lines(output));
        Assert.True(Scalar("""SELECT count(*) FROM "People" """) >= 150);
        long people = Scalar("""SELECT count(*) FROM "People" """);

        var again = await TacitAsync("demo", "load");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(["The demo organisation is already loaded.", .. SignInLines], Lines(again.Output));
        Assert.Equal(1, Scalar("""SELECT count(*) FROM "Organisations" """));
        Assert.Equal(people, Scalar("""SELECT count(*) FROM "People" """));
    }

    [Fact]
    public async Task Once_a_real_organisation_exists_demo_load_refuses_and_prints_no_credentials()
    {
        Assert.Equal(0, (await TacitAsync("demo", "load")).ExitCode);
        var created = await TacitAsync("org", "create", "--name", "Acme", "--slug", "acme", "--admin-email", "ada@acme.example");
        Assert.True(created.ExitCode == 0, created.Error);

        var refused = await TacitAsync("demo", "load");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("real organisation", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("tacit-demo-2026", refused.Output + refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_go_to_standard_error_and_standard_output_carries_only_results()
    {
        // Loading the demo logs at Information (appsettings.json); the console logger must write that to standard error.
        var (code, output, error, _) = await TacitAsync("demo", "load");
        Assert.True(code == 0, error);
        Assert.Contains("Demo organisation loaded.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("info:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo organisation loaded.", output, StringComparison.Ordinal);

        var token = await TacitAsync("token", "create", "--org", "demo", "--role", "member");
        Assert.True(token.ExitCode == 0, token.Error);
        Assert.Matches("^tacit_[^\n]+\n$", token.Output);
    }

    [Fact]
    public async Task Org_create_makes_the_organisation_and_an_invitation_and_token_create_prints_a_working_secret()
    {
        var (code, output, error, _) = await TacitAsync("org", "create", "--name", "Acme Ltd", "--slug", "acme", "--admin-email", "ada@acme.example");
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

        // A SCIM token (docs/scim.md) is stored with its scope.
        var scim = await TacitAsync("token", "create", "--org", "acme", "--role", "scim", "--name", "Entra ID");
        Assert.True(scim.ExitCode == 0, scim.Error);
        var scimHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(scim.Output.Trim())));
        Assert.Equal(1, Scalar($"""SELECT count(*) FROM "ApiTokens" WHERE "Hash" = '{scimHash}' AND "Scope" = 1 AND "Name" = 'Entra ID'"""));

        // The learning record store's credential: key and secret on the last line, the secret stored only as its hash.
        var lrs = await TacitAsync("lrs-credentials", "create", "--org", "acme", "--name", "Course platform");
        Assert.True(lrs.ExitCode == 0, lrs.Error);
        var keyAndSecret = lrs.Output.TrimEnd().Split('\n')[^1].Split(' ');
        Assert.Equal(2, keyAndSecret.Length);
        var secretHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(keyAndSecret[1])));
        Assert.Equal(1, Scalar($"""SELECT count(*) FROM "LrsCredentials" WHERE "Key" = '{keyAndSecret[0]}' AND "SecretHash" = '{secretHash}' AND "Name" = 'Course platform'"""));
        Assert.Equal(0, Scalar($"""SELECT count(*) FROM "LrsCredentials" WHERE "SecretHash" = '{keyAndSecret[1]}'"""));
    }

    [Theory]
    [InlineData("URL name may contain only", "org", "create", "--name", "Acme", "--slug", "Bad Slug", "--admin-email", "x@y.example")]
    [InlineData("is not a valid email", "org", "create", "--name", "Acme", "--slug", "acme", "--admin-email", "nobody")]
    [InlineData("no organisation with the URL name 'nope'", "token", "create", "--org", "nope", "--role", "admin")]
    [InlineData("'boss' is not a role", "token", "create", "--org", "nope", "--role", "boss")]
    [InlineData("no organisation with the URL name 'nope'", "lrs-credentials", "create", "--org", "nope", "--name", "LMS")]
    public async Task Bad_input_gets_a_clear_message_an_exit_code_and_changes_nothing(string message, params string[] args)
    {
        (await TacitAsync(args)).AssertRefused(message);
        Assert.Equal(0, Scalar("""SELECT count(*) FROM "Organisations" """));
    }

    [Theory]
    [InlineData("Unrecognized command or argument '--colour'", "token", "create", "--org", "acme", "--role", "admin", "--colour", "red")]
    [InlineData("Required argument missing for option: '--name'", "org", "create", "--slug", "acme", "--admin-email", "ada@acme.example", "--name")]
    [InlineData("Option '--role' is required", "token", "create", "--org", "acme")]
    [InlineData("Cannot parse argument 'many' for option '--people'", "generate-instance", "--people", "many", "--skills", "3")]
    [InlineData("Unrecognized command or argument 'lod'", "demo", "lod")]
    [InlineData("Required command was not provided", "org")]
    public async Task Option_errors_get_a_message_on_standard_error_and_exit_code_2(string message, params string[] args)
    {
        var run = await TacitAsync(args);
        run.AssertRefused(message);
        Assert.Contains("--help' for usage.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Database), "a parse error must not touch the database");
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose() => _folder.Dispose();
}
