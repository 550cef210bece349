using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tacit.Web.Tests.Api;

/// <summary>
/// The API's OpenAPI document says how to sign in, names every operation and lists the errors each can answer, and
/// Redocly (redocly.yaml) finds nothing wrong with it. The document is the same whatever the database, so one app will do.
/// </summary>
public sealed partial class OpenApiDocumentTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<string> DocumentAsync() => await app.CreateClient().GetStringAsync("/openapi/v1.json");

    [Fact]
    public async Task Every_operation_has_a_stable_camelCase_id_a_summary_its_errors_and_a_way_in()
    {
        var document = JsonNode.Parse(await DocumentAsync())!;
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal(("http", "bearer"), ((string?)schemes["bearer"]!["type"], (string?)schemes["bearer"]!["scheme"]));
        Assert.Equal(("apiKey", "cookie"), ((string?)schemes["cookie"]!["type"], (string?)schemes["cookie"]!["in"]));
        Assert.Equal("http://127.0.0.1", (string?)document["servers"]![0]!["url"]);

        var operations = (from path in document["paths"]!.AsObject()
                          from operation in path.Value!.AsObject()
                          select (Name: $"{operation.Key.ToUpperInvariant()} {path.Key}", Operation: operation.Value!)).ToList();
        Assert.True(operations.Count > 80, $"Only {operations.Count} operations");
        var ids = operations.ToDictionary(o => o.Name, o => (string?)o.Operation["operationId"]);
        Assert.All(ids, id => Assert.Matches(CamelCase(), id.Value ?? ""));
        Assert.Equal(ids.Count, ids.Values.Distinct().Count());
        Assert.Equal("listPeople", ids["GET /api/people"]);
        Assert.Equal("getPerson", ids["GET /api/people/{id}"]);
        Assert.Equal("declineOffer", ids["POST /api/offers/{id}/decline"]);
        Assert.Equal("startCycleEnrolment", ids["POST /api/cycles/{id}/start-enrolment"]);
        Assert.Equal("updateMyCycleIntake", ids["PUT /api/cycles/{id}/intake/me"]);
        Assert.Equal("listCycleRuns", ids["GET /api/cycles/{id}/runs"]);

        foreach (var (name, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{name} has no summary");
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("400"), $"{name} does not say it may answer 400");
            Assert.All(responses.Where(r => r.Key.StartsWith('4')), r => Assert.NotNull(r.Value!["content"]!["application/problem+json"]));
            var security = operation["security"]!.AsArray();
            if (name.EndsWith("/api/demo", StringComparison.Ordinal)) Assert.Empty(security);
            else
            {
                Assert.Equal(["bearer", "cookie"], security.Select(s => s!.AsObject().Single().Key));
                Assert.True(responses.ContainsKey("401"), $"{name} does not say it may answer 401");
            }
        }
        Assert.True(operations.Single(o => o.Name == "POST /api/people").Operation["responses"]!.AsObject().ContainsKey("403"));
        Assert.True(operations.Single(o => o.Name == "GET /api/people/{id}").Operation["responses"]!.AsObject().ContainsKey("404"));
        Assert.True(operations.Single(o => o.Name == "PUT /api/cycles/{id}/intake/me").Operation["responses"]!.AsObject().ContainsKey("422"));
    }

    [Fact]
    public async Task Every_write_the_idempotency_middleware_honours_declares_the_optional_Idempotency_Key_header()
    {
        var document = JsonNode.Parse(await DocumentAsync())!;
        var key = document["components"]!["parameters"]!["IdempotencyKey"]!;
        Assert.Equal(("Idempotency-Key", "header", false), ((string?)key["name"], (string?)key["in"], (bool?)key["required"] ?? false));
        Assert.Equal((1, 255), ((int)key["schema"]!["minLength"]!, (int)key["schema"]!["maxLength"]!));

        var declared = new List<string>();
        foreach (var (route, path) in document["paths"]!.AsObject())
            foreach (var (method, operation) in path!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {route}";
                var hasKey = (operation!["parameters"]?.AsArray() ?? []).Any(p => (string?)p!["$ref"] == "#/components/parameters/IdempotencyKey");
                // What IdempotencyMiddleware keeps a key for: a write under /api, by a token or a signed-in person.
                var honoured = method is "post" or "put" or "patch" or "delete" && operation["security"]!.AsArray().Count > 0;
                Assert.True(hasKey == honoured, $"{name}: declares the key {hasKey}, but the middleware honours it {honoured}");
                if (hasKey) declared.Add(name);
            }
        Assert.Contains("POST /api/people", declared);
        Assert.Contains("PUT /api/cycles/{id}/intake/me", declared);
        Assert.Contains("DELETE /api/people/{id}", declared);
        Assert.DoesNotContain("POST /api/demo", declared);
    }

    [Fact]
    public async Task Redocly_finds_no_error_nor_warning_in_the_document()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tacit-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await DocumentAsync());
        try
        {
            var (exitCode, output) = await ExternalCommand.RunAsync(Redocly(), "lint", file, "--config", Repository.PathOf("redocly.yaml"), "--format", "json");
            var report = JsonNode.Parse(output)!;
            var problems = report["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]} at {p["location"]![0]!["pointer"]}: {p["message"]}");
            Assert.True(exitCode == 0 && (int)report["totals"]!["errors"]! == 0 && (int)report["totals"]!["warnings"]! == 0,
                $"redocly lint answered {exitCode}:\n{string.Join("\n", problems)}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The test command installs Redocly CLI (scripts/redocly.sh) and says where; by hand, the same place is looked at.</summary>
    private static string Redocly()
    {
        var command = Environment.GetEnvironmentVariable("TACIT_TEST_REDOCLY") is { Length: > 0 } set ? set
            : Repository.PathOf("artifacts", "tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(command), $"Redocly CLI is not at {command}: run ./test.sh, or `. scripts/redocly.sh && install_redocly`.");
        return command;
    }

    [GeneratedRegex("^[a-z][a-zA-Z]+$")]
    private static partial Regex CamelCase();
}
