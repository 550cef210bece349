using Microsoft.Extensions.Options;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Features.Offers;

/// <summary>The teacher offers one to three times (again, after a learner asked for others); the learners are told.</summary>
public sealed class MakeOffer(TacitDbContext db, Notifier notifier, ReminderScheduler reminders, IOptions<OfferOptions> options, TimeProvider clock)
{
    public async Task<Offer> MakeAsync(Guid offerId, Guid me, IReadOnlyList<DateTimeOffset> times, string? message, string? place = null, CancellationToken ct = default)
    {
        var offer = await db.Offers.FindInvolvingAsync(offerId, me, ct);
        offer.MakeOffer(me, times, message, clock.GetUtcNow(), options.Value.AnswerWithin, place);
        var (teacher, skill) = (await db.PersonNameAsync(offer.TeacherId, ct), await db.SkillNameAsync(offer.SkillId, ct));
        notifier.Notify(offer.LearnerIds, $"{teacher} offers you {(offer.Times.Count == 1 ? "a time" : $"{offer.Times.Count} times")} to learn {skill}. Choose one, or ask for others.", OfferNotices.Link, urgent: true);
        await db.SaveChangesAsync(ct);
        await reminders.OffersExpiringAsync(offer.OrganisationId, offer.CycleId, offer.ExpiresAt, ct);
        return offer;
    }
}
