using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// The teacher declines, with a reason kept for the facilitator. The learners are told only that Tacit looks for
/// another colleague, never who declined, and the engine looks for their next best teacher at once.
/// </summary>
public sealed class DeclineOffer(TacitDbContext db, Notifier notifier, Rematcher rematcher, TimeProvider clock)
{
    public async Task<Offer> DeclineAsync(Guid offerId, Guid me, string? reason, CancellationToken ct = default)
    {
        var offer = await db.Offers.FindInvolvingAsync(offerId, me, ct);
        offer.Decline(me, reason, clock.GetUtcNow());
        notifier.Notify(offer.LearnerIds, OfferNotices.CannotGoAhead(await db.SkillNameAsync(offer.SkillId, ct)), OfferNotices.Link);
        await db.SaveChangesAsync(ct);
        await rematcher.TryRematchAsync(offer.CycleId, offer.LearnerIds, ct);
        return offer;
    }
}
