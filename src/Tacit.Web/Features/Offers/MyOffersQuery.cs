using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Offers;

/// <summary>What the offers page shows a person, each list as the API gives it, with the names and the time zone to show them in.</summary>
public sealed record MyOffersView(TimeZoneInfo Zone, IReadOnlyList<Offer> Teaching, IReadOnlyList<Offer> Learning, IReadOnlyList<Offer> Joinable,
    IReadOnlyList<Session> Sessions, IReadOnlyList<SessionQuestions> Questions, IReadOnlyList<FollowUp> FollowUps, IReadOnlyList<Commitment> Commitments,
    IReadOnlyDictionary<Guid, string> Names, IReadOnlyDictionary<Guid, string> Skills, IReadOnlyDictionary<Guid, DateOnly?> ReviewDates)
{
    /// <summary>When the offer's people are all free, in this person's zone, with times to propose before the cycle's review; null when nobody said.</summary>
    public CommonFreeTime? FreeTogether(Offer offer, DateTimeOffset now) =>
        CommonFreeTime.Of(offer.CommonHours, offer.DurationMinutes, Zone, now, ReviewDates.GetValueOrDefault(offer.CycleId));
}

/// <summary>A person's offers, sessions and commitments, for the offers page and for <c>GET /api/offers</c>, <c>/api/sessions</c> and <c>/api/commitments</c>.</summary>
public sealed class MyOffersQuery(TacitDbContext db)
{
    /// <summary>Each list holds at most this many: the newest offers, the first sessions, the commitments due first.</summary>
    public const int Limit = 100;

    /// <summary>
    /// A learner never learns who declined (docs/cycles.md): an offer its teacher declined, or left, is gone from the
    /// learners' lists; they were told only that Tacit looks for someone else.
    /// </summary>
    public Task<List<Offer>> OffersAsync(Guid me, CancellationToken ct = default) =>
        db.Offers.AsNoTracking().Involving(me).Where(o => o.TeacherId == me || o.Status != OfferStatus.Declined)
            .OrderByDescending(o => o.CreatedAt).Take(Limit).ToListAsync(ct);

    public Task<List<Session>> SessionsAsync(Guid me, CancellationToken ct = default) =>
        db.Sessions.AsNoTracking().Involving(me).OrderBy(s => s.StartsAt).Take(Limit).ToListAsync(ct);

    /// <summary>The person's own commitments and those they are accountability partner for, soonest due first.</summary>
    public Task<List<Commitment>> CommitmentsAsync(Guid me, CancellationToken ct = default) =>
        db.Commitments.AsNoTracking().Involving(me).OrderBy(c => c.DueOn).Take(Limit).ToListAsync(ct);

    public async Task<MyOffersView> ViewAsync(Guid me, CancellationToken ct = default)
    {
        var zoneId = await db.People.Where(p => p.Id == me).Select(p => p.TimeZone).SingleOrDefaultAsync(ct) ?? "UTC";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        var offers = await OffersAsync(me, ct);
        var sessions = await SessionsAsync(me, ct);
        var sessionIds = sessions.Select(s => s.Id).ToList();
        var questions = await db.SessionQuestions.AsNoTracking().Where(q => sessionIds.Contains(q.SessionId)).ToListAsync(ct);
        // Follow-up conversations either side logged: both people see them (once only the API returned them).
        var followUps = await db.FollowUps.AsNoTracking().Where(f => sessionIds.Contains(f.SessionId)).OrderBy(f => f.HeldOn).ThenBy(f => f.CreatedAt).ToListAsync(ct);
        var commitments = await CommitmentsAsync(me, ct);
        var people = offers.SelectMany(o => o.LearnerIds.Append(o.TeacherId)).Concat(sessions.SelectMany(s => s.LearnerIds.Append(s.TeacherId)))
            .Concat(commitments.Select(c => c.LearnerId)).Concat(commitments.Where(c => c.PartnerId != null).Select(c => c.PartnerId!.Value)).Distinct().ToList();
        var names = await db.People.AsNoTracking().Where(p => people.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var skillIds = offers.Select(o => o.SkillId).Concat(sessions.Select(s => s.SkillId)).Distinct().ToList();
        var skills = await db.Skills.AsNoTracking().Where(s => skillIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var cycleIds = offers.Select(o => o.CycleId).Distinct().ToList();
        var reviewDates = await db.Cycles.AsNoTracking().Where(c => cycleIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ReviewDate, ct);
        return new MyOffersView(zone,
            Teaching: [.. offers.Where(o => o.TeacherId == me && o.Status != OfferStatus.Accepted)],
            Learning: [.. offers.Where(o => o.LearnerIds.Contains(me) && o.Status != OfferStatus.Accepted)],
            // A group offer someone else accepted, whose session this learner has not joined yet.
            Joinable: [.. offers.Where(o => o.Kind == SessionKind.Group && o.Status == OfferStatus.Accepted && o.LearnerIds.Contains(me)
                && sessions.All(s => s.OfferId != o.Id || !s.LearnerIds.Contains(me)))],
            sessions, questions, followUps, commitments, names, skills, reviewDates);
    }
}
