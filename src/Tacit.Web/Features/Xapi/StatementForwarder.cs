using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// Sends the statements waiting in <see cref="XapiForward"/> to each organisation's forwarding target, oldest first, in
/// batches of one POST. A failure (the target down, refusing, or answering anything but 200/204) schedules the next
/// attempt with doubling back-off; after <see cref="MaxAttempts"/> the rows are set aside for an admin to retry. A row
/// is claimed before it is sent, so with several app instances only one sends it; statement ids are fixed, so a batch
/// resent after an answer that was lost is the same statements to the receiving LRS, not new ones.
/// </summary>
public sealed class StatementForwarder(IServiceScopeFactory scopes, IHttpClientFactory http, TimeProvider clock, ILogger<StatementForwarder> logger) : BackgroundService
{
    public const string HttpClientName = "xapi-forwarding";
    public const int MaxAttempts = 8;
    public const int BatchSize = 50;
    public static readonly TimeSpan FirstRetryAfter = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan LongestRetryAfter = TimeSpan.FromHours(1);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await ForwardDueAsync(stoppingToken);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogWarning(e, "Forwarding xAPI statements failed; retrying shortly.");
                sent = 0;
            }
            if (sent == 0) await Task.Delay(Idle, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The wait before attempt n+1 after n failed ones: 15 s, 30 s, 1 min, … at most an hour.</summary>
    public static TimeSpan RetryAfter(int failedAttempts) =>
        TimeSpan.FromTicks(Math.Min(LongestRetryAfter.Ticks, FirstRetryAfter.Ticks << Math.Min(failedAttempts - 1, 20)));

    /// <summary>Sends one batch for each organisation with due statements and a target; returns how many were delivered.</summary>
    public async Task<int> ForwardDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Guid> organisations;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            // Across organisations on purpose: only the ids of organisations with work, then each in its own tenant scope.
            organisations = await db.Set<XapiForward>().IgnoreQueryFilters().Where(f => f.SentAt == null && f.DeadAt == null && f.NextAttemptAt <= now)
                .Where(f => db.Set<XapiForwardingTarget>().IgnoreQueryFilters().Any(t => t.OrganisationId == f.OrganisationId))
                .Select(f => f.OrganisationId).Distinct().Take(50).ToListAsync(ct);
        }
        var delivered = 0;
        foreach (var organisation in organisations)
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
            delivered += await ForwardBatchAsync(scope.ServiceProvider, ct);
        }
        return delivered;
    }

    private async Task<int> ForwardBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<TacitDbContext>();
        var target = await db.Set<XapiForwardingTarget>().AsNoTracking().SingleOrDefaultAsync(ct);
        if (target is null) return 0;
        var now = clock.GetUtcNow();
        var due = await db.Set<XapiForward>().Where(f => f.SentAt == null && f.DeadAt == null && f.NextAttemptAt <= now)
            .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).Select(f => f.Id).Take(BatchSize).ToListAsync(ct);
        // The claim: rows stay due-looking for no one else while this instance sends them (a crashed sender's claim lapses with the lease).
        var claim = Guid.NewGuid();
        var lease = now + TimeSpan.FromMinutes(2);
        await db.Set<XapiForward>().Where(f => due.Contains(f.Id) && f.SentAt == null && f.DeadAt == null && f.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ClaimedBy, claim).SetProperty(f => f.NextAttemptAt, lease), ct);
        var claimed = await db.Set<XapiForward>().AsNoTracking().Where(f => f.ClaimedBy == claim).ToListAsync(ct);
        if (claimed.Count == 0) return 0;
        var ids = claimed.Select(f => f.StatementId).ToList();
        var statements = await db.Set<XapiStatement>().AsNoTracking().Where(s => ids.Contains(s.StatementId)).OrderBy(s => s.Id).Select(s => s.Json).ToListAsync(ct);

        var error = await SendAsync(target, services.GetRequiredService<ForwardingSettings>().Protector, statements, ct);
        var done = clock.GetUtcNow();
        var rows = db.Set<XapiForward>().Where(f => f.ClaimedBy == claim);
        if (error is null)
        {
            await rows.ExecuteUpdateAsync(s => s.SetProperty(f => f.SentAt, done).SetProperty(f => f.ClaimedBy, (Guid?)null)
                .SetProperty(f => f.Attempts, f => f.Attempts + 1).SetProperty(f => f.LastError, ""), ct);
            return claimed.Count;
        }
        logger.LogInformation("Forwarding {Count} xAPI statement(s) of organisation {Organisation} failed: {Error}", claimed.Count, db.CurrentOrganisationId, error);
        var message = error.Length > XapiForward.ErrorMaxLength ? error[..XapiForward.ErrorMaxLength] : error;
        foreach (var attempts in claimed.Select(f => f.Attempts + 1).Distinct())
        {
            var failed = rows.Where(f => f.Attempts + 1 == attempts);
            if (attempts >= MaxAttempts)
                await failed.ExecuteUpdateAsync(s => s.SetProperty(f => f.Attempts, attempts).SetProperty(f => f.LastError, message)
                    .SetProperty(f => f.DeadAt, done).SetProperty(f => f.ClaimedBy, (Guid?)null), ct);
            else
                await failed.ExecuteUpdateAsync(s => s.SetProperty(f => f.Attempts, attempts).SetProperty(f => f.LastError, message)
                    .SetProperty(f => f.NextAttemptAt, done + RetryAfter(attempts)).SetProperty(f => f.ClaimedBy, (Guid?)null), ct);
        }
        return 0;
    }

    /// <summary>POSTs the statements as an array (as the receiving LRS will store them: it sets its own stored and authority); null when accepted, else what went wrong.</summary>
    private async Task<string?> SendAsync(XapiForwardingTarget target, IDataProtector protector, List<string> statements, CancellationToken ct)
    {
        var body = new JsonArray();
        foreach (var json in statements)
        {
            var statement = JsonNode.Parse(json)!.AsObject();
            statement.Remove("stored");
            statement.Remove("authority");
            body.Add(statement);
        }
        string secret;
        try
        {
            secret = protector.Unprotect(target.ProtectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "The stored secret cannot be read (the data protection keys changed); set the secret again in Settings.";
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, target.StatementsUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Experience-API-Version", "1.0.3");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{target.Key}:{secret}")));
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            if (response.IsSuccessStatusCode) return null;
            var text = await response.Content.ReadAsStringAsync(ct);
            return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {(text.Length > 200 ? text[..200] : text)}".Trim();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return e.Message;
        }
    }
}
