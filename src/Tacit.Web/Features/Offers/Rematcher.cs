using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Matching;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// Sends the learners of declined or expired offers back to the engine (<see cref="Matcher.Rematch"/>): every other
/// offer and session of the cycle stays as it is, teachers' capacity is what those leave free, and the declined
/// (learner, teacher) pairs are excluded. New matches become new pending offers, added to the published run.
/// </summary>
public sealed class Rematcher(TacitDbContext db, MatchInputReader reader, Notifier notifier, Reminders.ReminderScheduler reminders,
    Microsoft.Extensions.Options.IOptions<OfferOptions> offerOptions, TimeProvider clock, ILogger<Rematcher> logger)
{
    /// <summary>Re-matches and never fails the action that caused it: a problem is logged, and the facilitator can run it again.</summary>
    public async Task<int> TryRematchAsync(Guid cycleId, IReadOnlyCollection<Guid> learnersToTell, CancellationToken ct)
    {
        try
        {
            return await RematchAsync(cycleId, learnersToTell, ct);
        }
        catch (Exception e) when (e is InstanceValidationException or Domain.DomainException or DbUpdateException)
        {
            logger.LogError(e, "Re-matching cycle {Cycle} failed", cycleId);
            return 0;
        }
    }

    /// <returns>How many new offers were made.</returns>
    public async Task<int> RematchAsync(Guid cycleId, IReadOnlyCollection<Guid> learnersToTell, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().SingleAsync(c => c.Id == cycleId, ct);
        if (cycle.PublishedRunId is not { } runId || cycle.State != CycleState.Published) return 0;
        var offers = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycleId).OrderBy(o => o.Id).ToListAsync(ct);
        if (!offers.Any(o => o.Status is OfferStatus.Declined or OfferStatus.Expired && o.LearnerIds.Count > 0)) return 0;
        var run = await db.MatchRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);

        var input = await reader.ReadForRematchAsync(cycle, run.Weights, offers, ct);
        var result = Matcher.Rematch(input.Instance, input.Current, input.Declined, input.Read.Excluded);

        var now = clock.GetUtcNow();
        var skills = await db.Skills.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        string Name(Guid id) => input.Names.GetValueOrDefault(id, "a colleague");
        foreach (var session in result.NewSessions)
        {
            var teacher = Guid.Parse(session.TeacherId);
            var skillId = Guid.Parse(session.SkillId);
            var learners = session.Learners.Select(l => Guid.Parse(l.LearnerId)).ToList();
            var proposal = new Proposal(run, teacher, skillId, session.Kind.ToDomain(), learners,
                string.Join('\n', session.Learners.Select(l => string.Join("; ", l.Reasons.Append("re-matched after an offer did not go ahead")))), pinned: false,
                input.Read.CommonHours(session));
            db.Proposals.Add(proposal);
            db.Offers.Add(new Offer(proposal, now, offerOptions.Value.AnswerWithin));
            var skill = skills.GetValueOrDefault(skillId, "a skill");
            notifier.Notify(teacher, OfferNotices.AskedToShare(skill, string.Join(", ", learners.Select(Name)), cycle.Name), OfferNotices.Link);
            notifier.Notify(learners, OfferNotices.MatchedToLearn(skill, Name(teacher), cycle.Name), OfferNotices.Link);
        }
        string SkillName(string id) => skills.GetValueOrDefault(Guid.Parse(id), "a skill");
        // A want newly left unmet joins the published run's unmet wants, so the learner's page says why, as the notification
        // does. A want unmet since publishing, or since an earlier rematch, keeps its row and was explained then.
        var affected = result.UnmetWants.Select(u => Guid.Parse(u.LearnerId)).Distinct().ToList();
        var recorded = (await db.UnmetWants.AsNoTracking().Where(u => u.RunId == runId && affected.Contains(u.LearnerId))
            .Select(u => new { u.LearnerId, u.SkillId }).ToListAsync(ct)).Select(u => (u.LearnerId, u.SkillId)).ToHashSet();
        var wentAway = input.Declined.Select(d => (d.LearnerId, d.SkillId)).ToHashSet();
        foreach (var unmet in result.UnmetWants)
        {
            var (learner, skillId) = (Guid.Parse(unmet.LearnerId), Guid.Parse(unmet.SkillId));
            if (recorded.Contains((learner, skillId))) continue;
            string why = OfferNotices.WhyUnmatched(unmet, SkillName);
            db.UnmetWants.Add(new Domain.Cycles.UnmetWant(run, learner, skillId, MatchJob.Code(unmet.ReasonCode), why));
            if (learnersToTell.Contains(learner) && wentAway.Contains((unmet.LearnerId, unmet.SkillId)))
                notifier.Notify(learner, $"We could not find another colleague for {SkillName(unmet.SkillId)} in \"{cycle.Name}\": {why}", OfferNotices.Link);
        }
        await db.SaveChangesAsync(ct);
        if (result.NewSessions.Count > 0) await reminders.OffersExpiringAsync(cycle.OrganisationId, cycle.Id, now + offerOptions.Value.AnswerWithin, ct);
        return result.NewSessions.Count;
    }
}
