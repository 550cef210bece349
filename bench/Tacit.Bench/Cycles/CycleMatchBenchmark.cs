using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tacit.Bench.People;

namespace Tacit.Bench.Cycles;

/// <summary>
/// A learning cycle's match job end to end against a running Tacit (bench/cycle-match.sh starts one on PostgreSQL
/// with a seeded organisation): moves a cycle to "mapped" through the API, queues a match run, and while it runs
/// keeps loading the facilitator's matching page to show the page stays responsive. Prints every figure it measures.
/// </summary>
public static partial class CycleMatchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = BenchHost.Option(args, "--base", "http://127.0.0.1:25080");
        var token = BenchHost.Option(args, "--token", "");
        var email = BenchHost.Option(args, "--email", "");
        var password = BenchHost.Option(args, "--password", "");
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        await SignInAsync(browser, email, password);

        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var created = await Timed("create the cycle", () => api.PostAsJsonAsync("/api/cycles", new
        {
            name = "Benchmark cycle", intakeOpens = today.AddDays(-1), intakeCloses = today.AddDays(10), matchingDate = today.AddDays(11),
        }));
        var cycleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Timed("start enrolment (invites every manager)", () => api.PostAsync($"/api/cycles/{cycleId}/start-enrolment", null));
        await Timed("open the intake (tells every participant)", () => api.PostAsync($"/api/cycles/{cycleId}/open-intake", null));
        // --answers no: nobody answers the intake, as in the figures before docs/benchmarks.md ¹⁵.
        if (BenchHost.Option(args, "--answers", "yes") != "no")
        {
            var clock = Stopwatch.StartNew();
            var answered = await IntakeAnswersSeed.WriteAsync(cycleId);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"write every participant's intake answer into the database ({answered:N0}): {clock.Elapsed.TotalMilliseconds:F0} ms"));
        }
        await Timed("close the intake and publish the map", () => api.PostAsync($"/api/cycles/{cycleId}/publish-map", null));
        await Timed("draw the map (GET /api/cycles/{id}/map)", () => api.GetAsync($"/api/cycles/{cycleId}/map"));

        // A first run in a fresh server also pays for compiling its code paths; later runs show a server that has been up.
        int runs = int.Parse(BenchHost.Option(args, "--runs", "1"), CultureInfo.InvariantCulture);
        // --pages no: only poll the run while it works, to time the job without the page loads sharing the cores.
        bool loadPages = BenchHost.Option(args, "--pages", "yes") != "no";
        Guid runId = default;
        for (int i = 1; i <= runs; i++)
        {
            if (runs > 1) Console.WriteLine($"== run {i} of {runs}");
            runId = await MatchAsync(api, browser, cycleId, loadPages);
        }
        await Timed("publish the proposals (offers and notifications)", () => api.PostAsJsonAsync($"/api/cycles/{cycleId}/publish", new { runId }));
        return 0;
    }

    /// <summary>Queues one match run, loads pages while it runs, and prints its times and the pages' latency.</summary>
    private static async Task<Guid> MatchAsync(HttpClient api, HttpClient browser, Guid cycleId, bool loadPages)
    {
        var wall = Stopwatch.StartNew();
        var queued = await Timed("queue a match run", () => api.PostAsJsonAsync($"/api/cycles/{cycleId}/runs", new { }));
        var runId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // A few pages a facilitator or anyone else might load meanwhile, each timed on its own.
        string[] pages = loadPages ? [$"/cycles/{cycleId}/matching", $"/cycles/{cycleId}", "/people", "/"] : [];
        var pageTimes = pages.ToDictionary(p => p, _ => new List<double>());
        JsonElement run;
        string lastStage = "";
        while (true)
        {
            foreach (var path in pages)
            {
                var page = Stopwatch.StartNew();
                var response = await browser.GetAsync(path);
                pageTimes[path].Add(page.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {response.StatusCode}.");
            }
            run = await api.GetFromJsonAsync<JsonElement>($"/api/cycles/{cycleId}/runs/{runId}");
            var stage = $"{run.GetProperty("progressPercent").GetInt32()} % {run.GetProperty("stage").GetString()}";
            if (stage != lastStage) Console.WriteLine($"  {wall.Elapsed.TotalSeconds,6:F1} s  {lastStage = stage}");
            if (run.GetProperty("status").GetString() is "succeeded" or "failed") break;
            await Task.Delay(250);
        }
        var total = wall.Elapsed;
        if (run.GetProperty("status").GetString() != "succeeded") throw new InvalidOperationException($"The run failed: {run.GetProperty("error").GetString()}");
        var requested = run.GetProperty("requestedAt").GetDateTimeOffset();
        var started = run.GetProperty("startedAt").GetDateTimeOffset();
        var finished = run.GetProperty("finishedAt").GetDateTimeOffset();
        var figures = run.GetProperty("figures");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            match job: {(finished - requested).TotalSeconds:F2} s from queueing to the result (the run's requestedAt to finishedAt), {(finished - started).TotalSeconds:F2} s in the worker; this client saw the result after {total.TotalSeconds:F1} s (it loads the pages, then the run, then waits 250 ms)
            figures: {figures.GetProperty("participants").GetInt32():N0} participants, {figures.GetProperty("learnersServed").GetInt32():N0} of {figures.GetProperty("learners").GetInt32():N0} learners served, {figures.GetProperty("wantsMet").GetInt32():N0} of {figures.GetProperty("wantsTotal").GetInt32():N0} wants met, {figures.GetProperty("sessions").GetInt32():N0} sessions ({figures.GetProperty("groupSessions").GetInt32():N0} groups)
            """));
        var all = pageTimes.Values.SelectMany(t => t).Order().ToList();
        if (all.Count == 0) return runId;
        foreach (var (path, times) in pageTimes.Append(new("all pages", all)))
        {
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"page {path} while the job ran: {times.Count} loads, median {Percentile(times, 0.5):F0} ms, p95 {Percentile(times, 0.95):F0} ms, max {times[^1]:F0} ms"));
        }
        return runId;
    }

    private static async Task<HttpResponseMessage> Timed(string what, Func<Task<HttpResponseMessage>> action)
    {
        var clock = Stopwatch.StartNew();
        var response = await action();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{what}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {clock.Elapsed.TotalMilliseconds:F0} ms"));
        return response;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task SignInAsync(HttpClient browser, string email, string password)
    {
        var form = await browser.GetStringAsync("/signin");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var response = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in failed: {response.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
