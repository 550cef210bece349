using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Retention;

/// <summary>
/// Removes, every hour on every instance, what Tacit keeps only for a while (<see cref="RetentionOptions"/>): sent
/// emails, old notifications and forgotten people uploads. Each is one set-based delete by age across organisations
/// (the same rule for all of them), so two instances sweeping at once delete nothing twice and nothing wrongly.
/// Mail not yet sent is never removed.
/// </summary>
public sealed class RetentionSweep(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionSweep> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public sealed record Removed(int SentMail, int Notifications, int PendingImports);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed != new Removed(0, 0, 0)) logger.LogInformation("Retention removed {Removed}.", removed);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogWarning(e, "The retention sweep failed; retrying in an hour.");
            }
            await Task.Delay(Every, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<Removed> SweepAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
        var now = clock.GetUtcNow();
        var keep = options.Value;
        var sentBefore = now.AddDays(-keep.SentMailDays);
        var notifiedBefore = now.AddDays(-keep.NotificationDays);
        var uploadedBefore = now.AddHours(-keep.PendingImportHours);
        // Across organisations on purpose: the rule is the same for every one, and nothing is read, only deleted.
        return new Removed(
            await db.OutgoingMail.IgnoreQueryFilters().Where(m => !m.Pending && m.SentAt < sentBefore).ExecuteDeleteAsync(ct),
            await db.Notifications.IgnoreQueryFilters().Where(n => n.CreatedAt < notifiedBefore).ExecuteDeleteAsync(ct),
            await db.PendingImports.IgnoreQueryFilters().Where(p => p.UploadedAt < uploadedBefore).ExecuteDeleteAsync(ct));
    }
}
