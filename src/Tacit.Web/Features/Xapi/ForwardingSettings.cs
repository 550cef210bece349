using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Xapi;

/// <summary>What Settings shows of forwarding: the target (never its secret) and the outbox's state.</summary>
public sealed record ForwardingOverview(string? Endpoint, string? Key, DateTimeOffset? UpdatedAt, int Pending, int Sent, IReadOnlyList<DeadStatement> Dead);

/// <summary>A statement set aside after its last attempt, with what went wrong.</summary>
public sealed record DeadStatement(Guid ForwardId, Guid StatementId, string Verb, int Attempts, string LastError, DateTimeOffset DeadAt);

/// <summary>An admin sets, changes or removes the organisation's forwarding target, and retries set-aside statements.</summary>
public sealed class ForwardingSettings(TacitDbContext db, IDataProtectionProvider protection, Audit.AuditLog audit, TimeProvider clock)
{
    public const string Purpose = "Tacit.Xapi.ForwardingSecret";

    public IDataProtector Protector => protection.CreateProtector(Purpose);

    public async Task<ForwardingOverview> OverviewAsync(CancellationToken ct = default)
    {
        var target = await db.Set<XapiForwardingTarget>().AsNoTracking().SingleOrDefaultAsync(ct);
        var forwards = db.Set<XapiForward>().AsNoTracking();
        var pending = await forwards.CountAsync(f => f.SentAt == null && f.DeadAt == null, ct);
        var sent = await forwards.CountAsync(f => f.SentAt != null, ct);
        var dead = await (from f in forwards
                          where f.DeadAt != null
                          join s in db.Set<XapiStatement>() on f.StatementId equals s.StatementId
                          orderby f.DeadAt descending
                          select new { f.Id, f.StatementId, s.Json, f.Attempts, f.LastError, f.DeadAt }).Take(200).ToListAsync(ct);
        return new ForwardingOverview(target?.Endpoint, target?.Key, target?.UpdatedAt, pending, sent,
            [.. dead.Select(d => new DeadStatement(d.Id, d.StatementId, VerbOf(d.Json), d.Attempts, d.LastError, d.DeadAt!.Value))]);
    }

    private static string VerbOf(string json) =>
        System.Text.Json.Nodes.JsonNode.Parse(json)?["verb"]?["id"]?.GetValue<string>() ?? "";

    /// <summary>Sets the target; an empty secret keeps the one stored (a new target needs one).</summary>
    public async Task SaveAsync(string? endpoint, string? key, string? secret, CancellationToken ct = default)
    {
        var url = Guard.Required(endpoint, "Endpoint", "The endpoint", XapiForwardingTarget.EndpointMaxLength);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new DomainException("The endpoint must be an http or https address without a query, such as https://lrs.example.com/xapi.", "Endpoint");
        var user = Guard.Required(key, "Key", "The key", XapiForwardingTarget.KeyMaxLength);
        if (user.Contains(':', StringComparison.Ordinal)) throw new DomainException("The key cannot contain a colon (HTTP Basic would split it).", "Key");
        var target = await db.Set<XapiForwardingTarget>().SingleOrDefaultAsync(ct);
        if (target is null && string.IsNullOrEmpty(secret)) throw new DomainException("Give the secret.", "Secret");
        if (target is null)
        {
            target = new XapiForwardingTarget { Id = Guid.CreateVersion7(clock.GetUtcNow()), OrganisationId = db.CurrentOrganisationId };
            db.Set<XapiForwardingTarget>().Add(target);
        }
        target.Endpoint = url;
        target.Key = user;
        if (!string.IsNullOrEmpty(secret)) target.ProtectedSecret = Protector.Protect(Guard.Required(secret, "Secret", "The secret", 500));
        target.UpdatedAt = clock.GetUtcNow();
        audit.Record("xapi-forwarding.set", url, user);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Stops forwarding; statements already waiting stay in the outbox and go once a target is set again.</summary>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        var target = await db.Set<XapiForwardingTarget>().SingleOrDefaultAsync(ct) ?? throw new NotFoundException("No forwarding is set.");
        db.Remove(target);
        audit.Record("xapi-forwarding.removed", target.Endpoint, target.Key);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Gives a set-aside statement (or, without an id, every one) a fresh round of attempts, starting now.</summary>
    public async Task<int> RetryAsync(Guid? forwardId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var dead = db.Set<XapiForward>().Where(f => f.DeadAt != null && f.SentAt == null);
        if (forwardId is { } id)
        {
            dead = dead.Where(f => f.Id == id);
            if (!await dead.AnyAsync(ct)) throw new NotFoundException("No such set-aside statement.");
        }
        var count = await dead.ExecuteUpdateAsync(s => s.SetProperty(f => f.DeadAt, (DateTimeOffset?)null).SetProperty(f => f.Attempts, 0)
            .SetProperty(f => f.NextAttemptAt, now).SetProperty(f => f.ClaimedBy, (Guid?)null), ct);
        audit.Record("xapi-forwarding.retried", forwardId?.ToString() ?? "all", $"{count} statement(s)");
        await db.SaveChangesAsync(ct);
        return count;
    }
}
