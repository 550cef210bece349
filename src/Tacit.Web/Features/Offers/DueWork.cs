using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// Offers nobody acted on expire, swept once a minute on every instance (the offer's status is its concurrency token,
/// so an expiry racing an acceptance loses cleanly and is retried). Reminders are Quartz triggers instead
/// (<see cref="Reminders.ReminderScheduler"/>): they are many, each at its own time. The same sweep forgets
/// <c>Idempotency-Key</c>s a day old (<see cref="Api.IdempotencyKeys"/>).
/// </summary>
public sealed class DueWork(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DueWork> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ExpireDueAsync(stoppingToken);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogWarning(e, "Offer expiry failed; retrying in a minute.");
            }
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<Api.IdempotencyKeys>().ForgetExpiredAsync(stoppingToken);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogWarning(e, "Forgetting old Idempotency-Keys failed; retrying in a minute.");
            }
            await Task.Delay(Every, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Expires every due offer, organisation by organisation; returns how many expired.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Guid> organisations;
        using (var scope = scopes.CreateScope())
        {
            // Across organisations on purpose, to find work; each organisation is then handled in its own tenant scope.
            organisations = await scope.ServiceProvider.GetRequiredService<TacitDbContext>().Offers.IgnoreQueryFilters()
                .Where(o => (o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered) && o.ExpiresAt <= now)
                .Select(o => o.OrganisationId).Distinct().ToListAsync(ct);
        }
        int expired = 0;
        foreach (var organisation in organisations)
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            var notifier = scope.ServiceProvider.GetRequiredService<Notifier>();
            var due = await db.Offers.Where(o => (o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered) && o.ExpiresAt <= now).Take(500).ToListAsync(ct);
            var skills = await db.Skills.Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
            foreach (var offer in due.Where(o => o.ExpireIfDue(now)))
            {
                var skill = skills.GetValueOrDefault(offer.SkillId, "a skill");
                notifier.Notify(offer.TeacherId, $"The offer to share {skill} expired before it was answered.", OfferNotices.Link);
                notifier.Notify(offer.LearnerIds, OfferNotices.Expired(skill), OfferNotices.Link);
                expired++;
            }
            await db.SaveChangesAsync(ct);
            var rematcher = scope.ServiceProvider.GetRequiredService<Rematcher>();
            foreach (var cycle in due.Where(o => o.Status == OfferStatus.Expired).GroupBy(o => o.CycleId))
                await rematcher.TryRematchAsync(cycle.Key, [.. cycle.SelectMany(o => o.LearnerIds)], ct);
        }
        return expired;
    }
}
