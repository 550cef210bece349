using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Tacit.Web.Tests.Api;

/// <summary>
/// No request answers 5xx, and none answers a status its operation does not declare: every operation of the app's own
/// OpenAPI document is called with the cases <see cref="OpenApiFuzzer"/> makes from it (a fixed seed, at most
/// <see cref="CasesPerOperation"/> each), on the <see cref="OpenApiFuzzStage"/>, with the admin token, or with the
/// signed-in member's cookie where the token is refused because the operation is about "me".
/// </summary>
public abstract class OpenApiFuzzTests(TacitApp app)
{
    private const int Seed = 16;
    private const int CasesPerOperation = 200;

    private static readonly string[] MethodOrder = ["GET", "PUT", "POST", "DELETE"];

    [Fact]
    public async Task No_request_answers_5xx_nor_a_status_its_operation_does_not_declare()
    {
        var stage = await OpenApiFuzzStage.SetUpAsync(app);
        var fuzzer = new OpenApiFuzzer(JsonNode.Parse(await stage.Admin.GetStringAsync("/openapi/v1.json"))!, stage.Values, Seed);
        var failures = new List<string>();
        var undeclared = new SortedSet<string>(StringComparer.Ordinal);
        var sent = 0;
        var clock = Stopwatch.StartNew();
        // Reads first, then changes, then creations and actions, then deletions: each meets the stage as little changed as can be.
        foreach (var operation in fuzzer.Operations().OrderBy(o => Array.IndexOf(MethodOrder, o.Method)))
        {
            var cases = fuzzer.CasesFor(operation, CasesPerOperation);
            // A token acts for no person: what it is refused as being about "me" is asked by the signed-in member, and
            // the plausible requests come last there, so that the odd ones meet the state the stage set up.
            var client = (await SendAsync(stage.Admin, operation, cases.Plausible[0])).StatusCode == HttpStatusCode.Forbidden ? stage.Member : stage.Admin;
            foreach (var request in cases.Odd.Concat(cases.Plausible))
            {
                var errorsBefore = app.ServerErrors.All.Count;
                using var response = await SendAsync(client, operation, request);
                sent++;
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    // Whole, stack traces included: a 5xx that shows up once in many runs must be readable from that run's log.
                    var logged = string.Join("\n---\n", app.ServerErrors.All.Skip(errorsBefore).Select(e => Short(e, 4000)));
                    failures.Add($"{operation} {request.Tries}: {status} {logged}");
                }
                else if (!operation.Statuses.Contains(status))
                    undeclared.Add($"{operation} answered {status} ({request.Tries}): {Short(await response.Content.ReadAsStringAsync())}");
            }
        }
        Assert.True(failures.Count == 0 && undeclared.Count == 0,
            $"Of {sent} requests in {clock.Elapsed.TotalSeconds:0} s, {failures.Count} answered 5xx:\n{string.Join("\n", failures)}\n\n"
            + $"Statuses not in the document:\n{string.Join("\n", undeclared)}");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, FuzzOperation operation, FuzzCase request) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(operation.Method), request.PathAndQuery)
        {
            Content = request.Body is null ? null : new StringContent(request.Body, Encoding.UTF8, "application/json"),
        });

    private static string Short(string text, int length = 300) => text.Length > length ? text[..length] + "…" : text;
}

public sealed class OpenApiFuzzSqliteTests(SqliteApp app) : OpenApiFuzzTests(app), IClassFixture<SqliteApp>;

public sealed class OpenApiFuzzPostgresTests(PostgresApp app) : OpenApiFuzzTests(app), IClassFixture<PostgresApp>;
