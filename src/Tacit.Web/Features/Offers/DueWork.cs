using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// Work that falls due with time, swept once a minute on every instance: offers nobody acted on expire (the offer's
/// status is its concurrency token, so an expiry racing an acceptance loses cleanly and is retried), and accountability
/// partners are asked to check in on a commitment's due date (marked when asked, so never twice).
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
                await AskPartnersAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Due work (offer expiry, check-ins) failed; retrying in a minute.");
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
                notifier.Notify(offer.TeacherId, $"The offer to share {skill} expired before it was answered.", OfferActions.Link);
                notifier.Notify(offer.LearnerIds, $"Your match for {skill} expired before a time was agreed. Tacit is looking for another colleague.", OfferActions.Link);
                expired++;
            }
            await db.SaveChangesAsync(ct);
            var rematcher = scope.ServiceProvider.GetRequiredService<Rematcher>();
            foreach (var cycle in due.Where(o => o.Status == OfferStatus.Expired).GroupBy(o => o.CycleId))
                await rematcher.TryRematchAsync(cycle.Key, [.. cycle.SelectMany(o => o.LearnerIds)], ct);
        }
        return expired;
    }

    /// <summary>Asks accountability partners whose commitments fall due today; returns how many were asked.</summary>
    public async Task<int> AskPartnersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        List<Guid> organisations;
        using (var scope = scopes.CreateScope())
        {
            organisations = await scope.ServiceProvider.GetRequiredService<TacitDbContext>().Commitments.IgnoreQueryFilters()
                .Where(c => c.PartnerId != null && c.PartnerAskedAt == null && c.DueOn <= today)
                .Select(c => c.OrganisationId).Distinct().ToListAsync(ct);
        }
        int asked = 0;
        foreach (var organisation in organisations)
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            var notifier = scope.ServiceProvider.GetRequiredService<Notifier>();
            var due = await db.Commitments.Where(c => c.PartnerId != null && c.PartnerAskedAt == null && c.DueOn <= today).Take(500).ToListAsync(ct);
            var learners = due.Select(c => c.LearnerId).Distinct().ToList();
            var names = await db.People.Where(p => learners.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
            foreach (var commitment in due.Where(c => c.AskPartnerIfDue(today, now)))
            {
                notifier.Notify(commitment.PartnerId!.Value,
                    $"{names.GetValueOrDefault(commitment.LearnerId, "A colleague")} asked you to check in today on what they committed to: \"{commitment.Text}\".", OfferActions.Link);
                asked++;
            }
            await db.SaveChangesAsync(ct);
        }
        return asked;
    }
}
