using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Testing;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Settings;
using Tacit.Web.Tenancy;
using Xunit.Abstractions;

namespace Tacit.EndToEnd;

/// <summary>
/// Issue 16's reliability test (docs/security.md, "Nothing lost, nothing twice, nothing stuck"): two instances behind nginx on
/// PostgreSQL; four API clients write through nginx, each write with its own <c>Idempotency-Key</c>, retried with that
/// key until it is acknowledged. Meanwhile the instance doing a match run is killed (and started again later) and
/// PostgreSQL is restarted. Then every acknowledged write is in the database exactly once, nothing is there twice, and
/// the dead instance's run is failed by the lease, so a new run can start and finish.
/// </summary>
public sealed class ReliabilityTests(TwoInstancesBehindNginx tacit, ITestOutputHelper output) : IClassFixture<TwoInstancesBehindNginx>
{
    private const int Clients = 4;

    /// <summary>
    /// No write may wait longer: a write cut off mid-request leaves its key "in progress" for
    /// <c>IdempotencyKeys.StalledAfter</c> (a minute), and the match-run lease is 40 s; both are the app's real values.
    /// </summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(100);

    /// <summary>Sooner than the 5 s <c>Retry-After</c> asks, to see to the second when writes are taken again.</summary>
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(500);

    private readonly Stopwatch _clock = new();
    private readonly Tally _tally = new();

    [Fact]
    public async Task Killing_an_instance_and_restarting_PostgreSQL_under_writes_loses_no_acknowledged_write_and_does_none_twice()
    {
        var (organisationId, token, cycleId) = await SetUpAsync();
        using var api = Client(token);
        _clock.Start();
        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(1, Clients).Select(client => WriteUntilStoppedAsync(client, token, stopWriting.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));

        // The match run is held just before it saves its proposals (a lock the test takes), so the instance doing it is
        // killed mid-run; the test finds which one it is from PostgreSQL's view of who waits for the lock.
        // The restart below ends the lock with every other connection.
        await using var holdsProposals = new NpgsqlConnection(tacit.TestConnection);
        await holdsProposals.OpenAsync();
        await using var holding = await holdsProposals.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("LOCK TABLE \"Proposals\" IN SHARE MODE", holdsProposals, holding)) await take.ExecuteNonQueryAsync();
        var run = await RequestAsync(api, HttpMethod.Post, $"/api/cycles/{cycleId}/runs", new { });
        Assert.True(run.Acknowledged, $"Starting a match run: {run.Text}");
        var runId = run.Body.GetProperty("id").GetGuid();
        var (victimName, victim) = await InstanceDoingTheRunAsync();

        await victim.KillAsync();
        var killedAt = _clock.Elapsed;
        // The lease fails the dead instance's run; watched from now, to the tenth of a second.
        var lostRun = Task.Run(async () =>
        {
            var failed = await PollRunAsync(api, cycleId, runId, status => status is not (MatchRunStatus.Queued or MatchRunStatus.Running), TimeSpan.FromSeconds(75));
            return (Run: failed, At: _clock.Elapsed);
        });
        await Task.Delay(TimeSpan.FromSeconds(3));

        var restartStarted = _clock.Elapsed;
        await tacit.Database.RestartAsync();
        var restartDone = _clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));

        await victim.StartAsync();
        var victimBackAt = _clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stopWriting.CancelAsync();
        var written = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();
        var writesDoneAt = _clock.Elapsed;

        // The run's instance died: the lease fails it, and a new run of the cycle starts and finishes.
        var (lost, lostRunFailedAt) = await lostRun;
        var again = await RequestAsync(api, HttpMethod.Post, $"/api/cycles/{cycleId}/runs", new { });
        Assert.True(again.Acknowledged, $"Starting a match run after the failures: {again.Text}");
        var next = await PollRunAsync(api, cycleId, again.Body.GetProperty("id").GetGuid(), status => status is MatchRunStatus.Succeeded or MatchRunStatus.Failed, TimeSpan.FromSeconds(30));

        var stored = await StoredAsync(organisationId);
        var acknowledged = written.Where(w => w.Id is not null).ToList();
        var lostWrites = acknowledged.Where(w => !stored.TryGetValue(w.Name, out var rows) || !rows.Contains(w.Id!.Value)).ToList();
        var duplicates = stored.Where(s => s.Value.Count > 1).ToList();
        var unacknowledged = written.Where(w => w.Id is null).ToList();
        var active = await ActiveRunsAsync();

        Report(written, lostWrites.Count, duplicates.Sum(d => d.Value.Count - 1), victimName, killedAt, restartStarted, restartDone,
            victimBackAt, writesDoneAt, lostRunFailedAt);
        Assert.True(lostWrites.Count == 0, $"Acknowledged writes missing from the database: {string.Join(", ", lostWrites.Select(w => w.Name))}\n{tacit.Logs()}");
        Assert.True(duplicates.Count == 0, $"Written more than once: {string.Join(", ", duplicates.Select(d => $"{d.Key} ×{d.Value.Count}"))}\n{tacit.Logs()}");
        Assert.True(_tally.Unexpected.IsEmpty, $"Unexpected answers:\n{string.Join("\n", _tally.Unexpected)}\n{tacit.Logs()}");
        Assert.True(unacknowledged.Count == 0, $"Writes never acknowledged within {GiveUpAfter.TotalSeconds} s: {string.Join(", ", unacknowledged.Select(w => w.Name))}\n{tacit.Logs()}");
        Assert.True(written.Count > 100, $"Only {written.Count} writes were made: the load was too light to say anything.");
        Assert.Equal(MatchRunStatus.Failed, lost.GetProperty("status").Deserialize<MatchRunStatus>(ApiJson.Options));
        Assert.Equal(MatchRun.LostMessage, lost.GetProperty("error").GetString());
        Assert.Equal(MatchRunStatus.Succeeded, next.GetProperty("status").Deserialize<MatchRunStatus>(ApiJson.Options));
        Assert.Equal(0, active);
        Assert.True(tacit.Instances.All(i => i.Process.IsRunning), "An instance stopped by itself.");
    }

    /// <summary>An organisation, an admin token for its API, and a cycle at its map with a teacher and two learners to match.</summary>
    private async Task<(Guid Organisation, string Token, Guid Cycle)> SetUpAsync()
    {
        const string slug = "reliable";
        Guid organisationId;
        await using (var scope = tacit.Services.CreateAsyncScope())
            organisationId = (await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Reliable", slug, "Fay Facilitator", $"fay@{slug}.example", CycleScenario.Password))).Organisation.Id;
        string token;
        await using (var scope = tacit.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
            (_, token) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(organisationId, "reliability test", Roles.Admin);
        }
        var cycleId = await new CycleScenario(tacit.Services, organisationId)
            .Person("tara", "Sales", "Tara Teacher").Shares("tara", "Negotiation", sessions: 2)
            .Person("lee", "Finance", "Lee Learner").Wants("lee", "Negotiation")
            .Person("lou", "Finance", "Lou Learner").Wants("lou", "Negotiation")
            .CycleAsync(CycleState.Mapped, "Reliable cycle");
        return (organisationId, token, cycleId);
    }

    /// <summary>One client: writes one thing after another (a skill, then a cycle, …) until told to stop; each write is retried until acknowledged.</summary>
    private async Task<List<Written>> WriteUntilStoppedAsync(int client, string token, CancellationToken stop)
    {
        using var api = Client(token);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        List<Written> written = [];
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            // Skill names are unique in a catalogue; cycle names are not, so a cycle created twice would be two rows.
            var (name, path, body) = n % 2 == 1
                ? ($"Load skill {client}-{n}", "/api/skills", (object)new { name = $"Load skill {client}-{n}", category = "Business" })
                : ($"Load cycle {client}-{n}", "/api/cycles", new { name = $"Load cycle {client}-{n}", intakeOpens = today.AddDays(1), intakeCloses = today.AddDays(10), matchingDate = today.AddDays(11) });
            var started = _clock.Elapsed;
            var answer = await RequestAsync(api, HttpMethod.Post, path, body);
            written.Add(new Written(name, answer.Acknowledged ? answer.Body.GetProperty("id").GetGuid() : null, started, _clock.Elapsed));
        }
        return written;
    }

    /// <summary>
    /// Sends one write with a new <c>Idempotency-Key</c> and, while the answer says nothing was decided (no answer at
    /// all, 502, 503, 504, or 409 "still in progress"), sends it again with the same key, until it is acknowledged
    /// (2xx), refused, or <see cref="GiveUpAfter"/> has passed.
    /// </summary>
    private async Task<Reply> RequestAsync(HttpClient api, HttpMethod method, string path, object body)
    {
        var key = Guid.NewGuid().ToString();
        var giveUp = _clock.Elapsed + GiveUpAfter;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _tally.Retries);
                if (_clock.Elapsed > giveUp) return new Reply(false, default, $"gave up after {attempt} attempts");
                await Task.Delay(RetryEvery);
            }
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: ApiJson.Options) };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage response;
            try
            {
                response = await api.SendAsync(request);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _tally.NoAnswer);
                continue;
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    if (response.Headers.Contains("Idempotent-Replayed")) Interlocked.Increment(ref _tally.Replayed);
                    return new Reply(true, JsonDocument.Parse(text).RootElement.Clone(), text);
                }
                switch (status)
                {
                    case 503:
                        Interlocked.Increment(ref _tally.Unavailable);
                        continue;
                    case 502 or 504:
                        Interlocked.Increment(ref _tally.BadGateway);
                        continue;
                    case 409 when text.Contains("still in progress", StringComparison.Ordinal):
                        Interlocked.Increment(ref _tally.InProgress);
                        continue;
                    default:
                        _tally.Unexpected.Enqueue($"{method} {path} ({key}, attempt {attempt + 1}): {status} {text}");
                        if (status >= 500) continue;
                        return new Reply(false, default, $"{status} {text}");
                }
            }
        }
    }

    /// <summary>Which instance's connection waits for the lock on the proposals: the one doing the run.</summary>
    private async Task<(string Name, TacitProcess Process)> InstanceDoingTheRunAsync()
    {
        string? waiting = null;
        await using var look = new NpgsqlConnection(tacit.TestConnection);
        await look.OpenAsync();
        await Poll.UntilAsync(async () =>
        {
            await using var query = new NpgsqlCommand(
                "SELECT application_name FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%Proposals%' AND application_name LIKE 'tacit-_'", look);
            waiting = (string?)await query.ExecuteScalarAsync();
            return waiting is not null;
        }, "An instance taking the match run", TimeSpan.FromSeconds(30));
        return tacit.Instances.Single(i => i.Name == waiting);
    }

    private async Task<JsonElement> PollRunAsync(HttpClient api, Guid cycleId, Guid runId, Func<MatchRunStatus, bool> done, TimeSpan timeout)
    {
        JsonElement run = default;
        await Poll.UntilAsync(async () =>
        {
            using var response = await api.GetAsync($"/api/cycles/{cycleId}/runs/{runId}");
            if (!response.IsSuccessStatusCode) return false;
            run = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
            return done(run.GetProperty("status").Deserialize<MatchRunStatus>(ApiJson.Options));
        }, $"Match run {runId} finishing (it is {(run.ValueKind == JsonValueKind.Object ? run.GetProperty("status").GetString() : "unknown")})", timeout);
        return run;
    }

    /// <summary>The ids stored under each name the clients wrote, read from PostgreSQL itself.</summary>
    private async Task<Dictionary<string, List<Guid>>> StoredAsync(Guid organisationId)
    {
        await using var db = new NpgsqlConnection(tacit.TestConnection);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("""
            SELECT "Name", "Id" FROM "Skills" WHERE "OrganisationId" = @organisation AND "Name" LIKE 'Load skill %'
            UNION ALL
            SELECT "Name", "Id" FROM "Cycles" WHERE "OrganisationId" = @organisation AND "Name" LIKE 'Load cycle %'
            """, db);
        query.Parameters.AddWithValue("organisation", organisationId);
        Dictionary<string, List<Guid>> stored = [];
        await using var rows = await query.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            if (!stored.TryGetValue(rows.GetString(0), out var ids)) stored[rows.GetString(0)] = ids = [];
            ids.Add(rows.GetGuid(1));
        }
        return stored;
    }

    private async Task<long> ActiveRunsAsync()
    {
        await using var db = new NpgsqlConnection(tacit.TestConnection);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT COUNT(*) FROM \"MatchRuns\" WHERE \"Status\" IN ('Queued', 'Running')", db);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    private HttpClient Client(string token)
    {
        var client = tacit.Nginx.HttpsClient();
        client.Timeout = TimeSpan.FromSeconds(15);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private void Report(List<Written> written, int lost, int duplicates, string victim, TimeSpan killedAt, TimeSpan restartStarted,
        TimeSpan restartDone, TimeSpan victimBackAt, TimeSpan writesDoneAt, TimeSpan lostRunFailedAt)
    {
        string S(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        TimeSpan FirstAcknowledgedAfter(TimeSpan moment) => written.Where(w => w.Id is not null && w.AcknowledgedAt > moment).Select(w => w.AcknowledgedAt).DefaultIfEmpty(TimeSpan.MaxValue).Min() - moment;
        var waits = written.Where(w => w.Id is not null).Select(w => w.AcknowledgedAt - w.StartedAt).ToList();
        output.WriteLine($"""
            Reliability test: {Clients} clients writing through nginx to two instances on PostgreSQL, {S(writesDoneAt)} in all
              writes attempted        {written.Count} (each with its own Idempotency-Key: skills and cycles, one after the other)
              acknowledged            {waits.Count} ({_tally.Replayed} of them as a replay of an earlier attempt's answer)
              waited for a key left   {waits.Count(wait => wait > TimeSpan.FromSeconds(30))} (cut off mid-request, the key stays "in progress" for a minute)
              retries (same key)      {_tally.Retries}
              503 seen                {_tally.Unavailable}
              502/504 seen (nginx)    {_tally.BadGateway}
              409 still in progress   {_tally.InProgress}
              no answer at all        {_tally.NoAnswer}
              unexpected answers      {_tally.Unexpected.Count}
              lost                    {lost}
              duplicates              {duplicates}
            Timeline (from the start of the writes)
              {victim} killed mid-run      at {S(killedAt)}; a write acknowledged {S(FirstAcknowledgedAfter(killedAt))} later
              PostgreSQL restart      {S(restartStarted)} to {S(restartDone)}; a write acknowledged {S(FirstAcknowledgedAfter(restartDone))} after it was back
              {victim} serving again       at {S(victimBackAt)}
              every write acknowledged by {S(writesDoneAt)} ({S(writesDoneAt - killedAt)} after the kill); the longest a write waited: {S(waits.Max())}
              the dead instance's run failed by {S(lostRunFailedAt)} ({S(lostRunFailedAt - killedAt)} after the kill)
            """);
    }

    private sealed record Written(string Name, Guid? Id, TimeSpan StartedAt, TimeSpan AcknowledgedAt);

    private sealed record Reply(bool Acknowledged, JsonElement Body, string Text);

    /// <summary>What the clients saw, counted across them.</summary>
    private sealed class Tally
    {
        public int Replayed;
        public int Retries;
        public int Unavailable;
        public int BadGateway;
        public int InProgress;
        public int NoAnswer;
        public ConcurrentQueue<string> Unexpected { get; } = new();
    }
}
