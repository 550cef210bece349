using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Cycles;

public sealed record OfferFigures(int Proposed, int Offered, int Accepted, int Declined, int Expired, int Open);
public sealed record SessionFigures(int Booked, int Held, int DidNotHappen, int Cancelled, int AwaitingFeedback, int Upcoming);
public sealed record UsefulnessFigures(int Ratings, double? Average, IReadOnlyList<int> CountsOneToFive);
public sealed record CommitmentFigures(int Made, int Done, int InProgress, int Open, int Dropped);
public sealed record ThemeDto(string Word, int Mentions);
public sealed record AcknowledgementDto(Guid PersonId, string Name, string Department, int SessionsLearned, int SessionsTaught);
public sealed record CycleReviewDto(Guid CycleId, string Name, CycleState State, DateOnly? ReviewDate, OfferFigures Offers, SessionFigures Sessions,
    UsefulnessFigures Usefulness, CommitmentFigures Commitments, IReadOnlyList<ThemeDto> Themes, IReadOnlyList<AcknowledgementDto> Acknowledgements,
    int UnmetWants, Guid? NextCycleId);
public sealed record NextCycleWrite(string Name, DateOnly IntakeOpens, DateOnly IntakeCloses, DateOnly MatchingDate);
public sealed record NextCycleDto(CycleDto Cycle, int CarriedWants);

/// <summary>
/// The review a month after publishing: what was proposed, offered, held and cancelled; how useful learners found it;
/// which commitments were kept; the words that come back in the feedback; everyone who learned or taught, by name and
/// in alphabetical order (nothing ranks people); and "start the next cycle", which carries the unmet wants over.
/// </summary>
public sealed partial class CycleReview(TacitDbContext db, Notifier notifier, Audit.AuditLog audit, TimeProvider clock)
{
    /// <summary>Words too common to be a theme, in the languages feedback is written in here (English).</summary>
    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "about", "after", "also", "been", "before", "being", "better", "could", "does", "doing", "done", "each", "even", "from",
        "good", "great", "have", "here", "into", "just", "know", "learned", "learnt", "like", "made", "make", "many", "more",
        "most", "much", "need", "next", "only", "other", "over", "really", "same", "session", "should", "show", "showed",
        "some", "such", "than", "thank", "thanks", "that", "their", "them", "then", "there", "these", "they", "thing", "things",
        "this", "time", "very", "want", "well", "went", "were", "what", "when", "where", "which", "while", "will", "with",
        "would", "your",
    };

    public async Task<CycleReviewDto> ReviewAsync(Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var now = clock.GetUtcNow();
        var offers = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycleId)
            .Select(o => new { o.Status, o.OfferedAt }).ToListAsync(ct);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.CycleId == cycleId).ToListAsync(ct);
        var feedback = await db.SessionFeedback.AsNoTracking()
            .Where(f => db.Sessions.Any(s => s.Id == f.SessionId && s.CycleId == cycleId) && f.GivenAt != null).ToListAsync(ct);
        var commitments = await db.Commitments.AsNoTracking()
            .Where(c => db.Sessions.Any(s => s.Id == c.SessionId && s.CycleId == cycleId)).Select(c => c.Status).ToListAsync(ct);

        var happened = feedback.GroupBy(f => f.SessionId).ToDictionary(g => g.Key, g => g.Any(f => f.Happened));
        var live = sessions.Where(s => s.Status != SessionStatus.Cancelled).ToList();
        var held = live.Where(s => happened.GetValueOrDefault(s.Id)).ToList();
        var sessionFigures = new SessionFigures(
            Booked: sessions.Count,
            Held: held.Count,
            DidNotHappen: live.Count(s => happened.TryGetValue(s.Id, out var yes) && !yes),
            Cancelled: sessions.Count - live.Count,
            AwaitingFeedback: live.Count(s => s.EndsAt <= now && !happened.ContainsKey(s.Id)),
            Upcoming: live.Count(s => s.EndsAt > now));

        var ratings = feedback.Where(f => !f.AsTeacher && f.Happened && f.Usefulness is not null).Select(f => f.Usefulness!.Value).ToList();
        var usefulness = new UsefulnessFigures(ratings.Count, ratings.Count == 0 ? null : Math.Round(ratings.Average(), 1),
            [.. Enumerable.Range(1, 5).Select(r => ratings.Count(x => x == r))]);

        var unmet = await UnmetWantsAsync(cycle, ct);
        var nextCycleId = await db.Cycles.Where(c => c.PreviousCycleId == cycleId).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        return new CycleReviewDto(cycle.Id, cycle.Name, cycle.State, cycle.ReviewDate,
            new OfferFigures(offers.Count, offers.Count(o => o.OfferedAt != null), offers.Count(o => o.Status == OfferStatus.Accepted),
                offers.Count(o => o.Status == OfferStatus.Declined), offers.Count(o => o.Status == OfferStatus.Expired),
                offers.Count(o => o.Status is OfferStatus.Pending or OfferStatus.Offered)),
            sessionFigures,
            usefulness,
            new CommitmentFigures(commitments.Count, commitments.Count(c => c == CommitmentStatus.Done), commitments.Count(c => c == CommitmentStatus.InProgress),
                commitments.Count(c => c == CommitmentStatus.Open), commitments.Count(c => c == CommitmentStatus.Dropped)),
            Themes(feedback.Select(f => $"{f.Learned} {f.WentWell}")),
            await AcknowledgementsAsync(held, ct),
            unmet.Count,
            nextCycleId);
    }

    /// <summary>
    /// The words that recur across feedback (what learners learned, what teachers say went well): each counted once per
    /// piece of feedback, shown when at least two people used it. Only words, never whose.
    /// </summary>
    public static IReadOnlyList<ThemeDto> Themes(IEnumerable<string> texts, int most = 12) =>
        [.. texts.SelectMany(text => Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 4 && !CommonWords.Contains(w)).Distinct())
            .GroupBy(w => w)
            .Select(g => new ThemeDto(g.Key, g.Count()))
            .Where(t => t.Mentions >= 2)
            .OrderByDescending(t => t.Mentions).ThenBy(t => t.Word, StringComparer.Ordinal)
            .Take(most)];

    [GeneratedRegex(@"\p{L}[\p{L}'-]*\p{L}")]
    private static partial Regex Word();

    private async Task<List<AcknowledgementDto>> AcknowledgementsAsync(List<Session> held, CancellationToken ct)
    {
        var learned = held.SelectMany(s => s.LearnerIds).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var taught = held.GroupBy(s => s.TeacherId).ToDictionary(g => g.Key, g => g.Count());
        var ids = learned.Keys.Union(taught.Keys).ToList();
        var people = new List<AcknowledgementDto>();
        foreach (var chunk in ids.Chunk(1000))
            people.AddRange(await db.People.AsNoTracking().Where(p => chunk.Contains(p.Id))
                .Select(p => new AcknowledgementDto(p.Id, p.DisplayName, p.Department, 0, 0)).ToListAsync(ct));
        return [.. people.Select(p => p with { SessionsLearned = learned.GetValueOrDefault(p.PersonId), SessionsTaught = taught.GetValueOrDefault(p.PersonId) })
            .OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(p => p.PersonId)];
    }

    /// <summary>
    /// The (learner, skill) wants the cycle's match covered or left unmet that no session kept: unmet at publishing,
    /// or whose offer was declined or expired without a booked session in their place. Only wants the learner still has.
    /// </summary>
    private async Task<HashSet<(Guid Learner, Guid Skill)>> UnmetWantsAsync(Cycle cycle, CancellationToken ct)
    {
        if (cycle.PublishedRunId is not { } runId) return [];
        var wanted = (await db.UnmetWants.AsNoTracking().Where(u => u.RunId == runId).Select(u => new { u.LearnerId, u.SkillId }).ToListAsync(ct))
            .Select(u => (u.LearnerId, u.SkillId)).ToHashSet();
        // Declined or expired offers carry their wants; an offer still open, or a session, means the want is being met.
        var offers = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycle.Id).Select(o => new { o.LearnerIds, o.SkillId, o.Status }).ToListAsync(ct);
        foreach (var offer in offers.Where(o => o.Status is OfferStatus.Declined or OfferStatus.Expired))
            foreach (var learner in offer.LearnerIds) wanted.Add((learner, offer.SkillId));
        foreach (var offer in offers.Where(o => o.Status is OfferStatus.Pending or OfferStatus.Offered))
            foreach (var learner in offer.LearnerIds) wanted.Remove((learner, offer.SkillId));
        foreach (var session in await db.Sessions.AsNoTracking().Where(s => s.CycleId == cycle.Id && s.Status != SessionStatus.Cancelled)
                     .Select(s => new { s.LearnerIds, s.SkillId }).ToListAsync(ct))
            foreach (var learner in session.LearnerIds) wanted.Remove((learner, session.SkillId));
        // Only the wants of these learners, in chunks: not every want of the organisation.
        var stillWanted = new HashSet<(Guid, Guid)>();
        foreach (var learners in wanted.Select(w => w.LearnerId).Distinct().Chunk(1000))
            foreach (var want in await db.Wants.AsNoTracking().Where(w => learners.Contains(w.PersonId)).Select(w => new { w.PersonId, w.SkillId }).ToListAsync(ct))
                stillWanted.Add((want.PersonId, want.SkillId));
        wanted.IntersectWith(stillWanted);
        return wanted;
    }

    /// <summary>
    /// Starts the next cycle from this one's review: same departments, the given schedule, and every want left unmet
    /// carried over; the learners are told their want is on the new cycle's list.
    /// </summary>
    public async Task<(Cycle Next, int Carried)> StartNextAsync(Guid cycleId, NextCycleWrite write, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var now = clock.GetUtcNow();
        var next = cycle.Next(write.Name, write.IntakeOpens, write.IntakeCloses, write.MatchingDate, now);
        if (await db.Cycles.AnyAsync(c => c.PreviousCycleId == cycleId, ct))
            throw new ConflictException("The next cycle has already been started from this one.");
        var unmet = await UnmetWantsAsync(cycle, ct);
        var skills = await db.Skills.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        db.Cycles.Add(next);
        audit.Record("cycle.created", next.Name, $"{CycleAudit.Schedule(next)}; next of “{cycle.Name}”, {unmet.Count} unmet wants carried over");
        foreach (var (learner, skill) in unmet.OrderBy(u => u.Learner).ThenBy(u => u.Skill))
        {
            db.CarriedWants.Add(new CarriedWant(next, learner, skill, now));
            notifier.Notify(learner, $"You did not get to learn {skills.GetValueOrDefault(skill, "a skill")} in \"{cycle.Name}\": it is carried over to \"{next.Name}\".",
                $"/cycles/{next.Id}/me", email: false);
        }
        await db.SaveChangesAsync(ct);
        return (next, unmet.Count);
    }
}
