using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Tacit.Bench.Xapi;

/// <summary>
/// Fills an organisation's learning record store through its own API (POST /xapi/statements, batches in parallel), then
/// posts single statements for a while: the two write rates of docs/benchmarks.md. The statements look like a large
/// organisation's record: a few thousand agents, a dozen verbs, a few thousand activities, a year of timestamps.
/// Writes the agents and verbs the query benchmark (bench/xapi-load.sh) asks for into a wrk script.
/// </summary>
public static class XapiSeed
{
    private static readonly string[] Verbs =
    [
        "http://adlnet.gov/expapi/verbs/attended", "http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/experienced",
        "http://adlnet.gov/expapi/verbs/answered", "http://adlnet.gov/expapi/verbs/passed", "http://adlnet.gov/expapi/verbs/failed",
        "http://adlnet.gov/expapi/verbs/commented", "http://adlnet.gov/expapi/verbs/shared", "http://adlnet.gov/expapi/verbs/asked",
        "http://adlnet.gov/expapi/verbs/launched", "http://adlnet.gov/expapi/verbs/progressed", "http://adlnet.gov/expapi/verbs/mastered",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var baseUrl = Arg("--base", "http://127.0.0.1:25080").TrimEnd('/');
        var (key, secret) = (Arg("--key", ""), Arg("--secret", ""));
        int statements = int.Parse(Arg("--statements", "1000000"), CultureInfo.InvariantCulture);
        int agents = int.Parse(Arg("--agents", "5000"), CultureInfo.InvariantCulture);
        int batch = int.Parse(Arg("--batch", "500"), CultureInfo.InvariantCulture);
        int parallel = int.Parse(Arg("--parallel", "4"), CultureInfo.InvariantCulture);
        var singleSeconds = double.Parse(Arg("--single-seconds", "20"), CultureInfo.InvariantCulture);
        var wrkScript = Arg("--wrk-script", "");

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));
        http.DefaultRequestHeaders.Add("X-Experience-API-Version", "1.0.3");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        JsonObject Statement(Random random) => new()
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["actor"] = new JsonObject { ["objectType"] = "Agent", ["mbox"] = $"mailto:person{random.Next(agents)}@bench.example" },
            ["verb"] = new JsonObject { ["id"] = Verbs[random.Next(Verbs.Length)] },
            ["object"] = new JsonObject { ["id"] = $"https://bench.example/activities/{random.Next(3000)}", ["objectType"] = "Activity" },
            ["result"] = new JsonObject { ["duration"] = "PT30M", ["success"] = random.Next(2) == 0 },
            ["timestamp"] = start.AddMinutes(random.Next(525_600)).ToString("O", CultureInfo.InvariantCulture),
        };

        async Task PostAsync(JsonNode body)
        {
            using var response = await http.PostAsync("/xapi/statements", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST /xapi/statements answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // Batches, several at once, as an HR system backfilling its history would send them.
        var clock = Stopwatch.StartNew();
        int batches = (statements + batch - 1) / batch, posted = 0;
        await Parallel.ForAsync(0, batches, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (b, _) =>
        {
            var random = new Random(b);
            int size = Math.Min(batch, statements - b * batch);
            await PostAsync(new JsonArray([.. Enumerable.Range(0, size).Select(_ => (JsonNode)Statement(random))]));
            var done = Interlocked.Add(ref posted, size);
            if (b % 20 == 0) Console.Write($"\rposted {done:N0} of {statements:N0} statements ({clock.Elapsed.TotalSeconds:N0} s)");
        });
        Console.WriteLine();
        Console.WriteLine($"batches of {batch}, {parallel} at once: {statements:N0} statements in {clock.Elapsed.TotalSeconds:N1} s = {statements / clock.Elapsed.TotalSeconds:N0} statements/s");

        // Single statements, 16 at once, for a fixed time: the rate a live source (Tacit's own sessions, an LMS) sees.
        int single = 0;
        var singleClock = Stopwatch.StartNew();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        // Parallel.ForAsync runs as many at once as there are cores unless told otherwise: 16 clients are 16 at once.
        await Parallel.ForAsync(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (worker, _) =>
        {
            var random = new Random(1_000_000 + worker);
            while (singleClock.Elapsed.TotalSeconds < singleSeconds)
            {
                var one = Stopwatch.StartNew();
                await PostAsync(Statement(random));
                latencies.Add(one.Elapsed.TotalMilliseconds);
                Interlocked.Increment(ref single);
            }
        });
        var sorted = latencies.Order().ToArray();
        Console.WriteLine($"single statements, 16 at once: {single:N0} in {singleClock.Elapsed.TotalSeconds:N1} s = {single / singleClock.Elapsed.TotalSeconds:N0} statements/s, " +
            $"p50 {sorted[sorted.Length / 2]:N1} ms, p95 {sorted[(int)(sorted.Length * 0.95)]:N1} ms");

        if (wrkScript.Length > 0)
        {
            // The query benchmark asks for one agent's statements of one verb since a date, agents and verbs at random.
            var lines = new StringBuilder();
            lines.AppendLine("-- Generated by Tacit.Bench xapi-seed: a filtered GET /xapi/statements per request, agent and verb at random.");
            lines.AppendLine("local verbs = {" + string.Join(", ", Verbs.Select(v => $"\"{Uri.EscapeDataString(v)}\"")) + "}");
            lines.AppendLine(CultureInfo.InvariantCulture, $"local agents = {agents}");
            lines.AppendLine("math.randomseed(os.time())");
            lines.AppendLine("request = function()");
            lines.AppendLine("  local agent = '%7B%22mbox%22%3A%22mailto%3Aperson' .. math.random(0, agents - 1) .. '%40bench.example%22%7D'");
            lines.AppendLine("  local path = '/xapi/statements?agent=' .. agent .. '&verb=' .. verbs[math.random(#verbs)] .. '&since=2026-06-01T00%3A00%3A00Z&limit=50'");
            lines.AppendLine("  return wrk.format('GET', path)");
            lines.AppendLine("end");
            await File.WriteAllTextAsync(wrkScript, lines.ToString());
        }
        return 0;
    }
}
