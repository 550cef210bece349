using Microsoft.Extensions.Options;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Features.Offers;

/// <summary>None of the offered times suits a learner: the offer goes back to the teacher, who is told.</summary>
public sealed class AskForOtherTimes(TacitDbContext db, Notifier notifier, ReminderScheduler reminders, IOptions<OfferOptions> options, TimeProvider clock)
{
    public async Task<Offer> AskAsync(Guid offerId, Guid me, string? note, CancellationToken ct = default)
    {
        var offer = await db.Offers.FindInvolvingAsync(offerId, me, ct);
        offer.AskForOtherTimes(me, note, clock.GetUtcNow(), options.Value.AnswerWithin);
        notifier.Notify(offer.TeacherId, $"{await db.PersonNameAsync(me, ct)} asks for other times to learn {await db.SkillNameAsync(offer.SkillId, ct)}.", OfferNotices.Link, urgent: true);
        await db.SaveChangesAsync(ct);
        await reminders.OffersExpiringAsync(offer.OrganisationId, offer.CycleId, offer.ExpiresAt, ct);
        return offer;
    }
}
