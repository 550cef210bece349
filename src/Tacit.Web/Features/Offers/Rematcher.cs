using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Matching;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Notifications;
using static Tacit.Web.Features.Cycles.MatchInputReader;

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
        var run = await db.MatchRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        var offers = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycleId).OrderBy(o => o.Id).ToListAsync(ct);
        var declined = offers.Where(o => o.Status is OfferStatus.Declined or OfferStatus.Expired)
            .SelectMany(o => o.LearnerIds.Select(l => new AssignmentRef(Key(l), Key(o.TeacherId), Key(o.SkillId)))).Distinct().ToList();
        if (declined.Count == 0) return 0;

        var input = await reader.ReadAsync(cycle, run.Weights, applyPins: false, ct);
        // Someone who left since publishing is no longer a participant, yet their offers are in the plan; they stay in the
        // instance with nothing to teach or learn, so that the learners of a teacher who left can be matched again.
        var known = input.Instance.People.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in offers.SelectMany(o => o.LearnerIds.Append(o.TeacherId)).Select(Key).Where(id => !known.Contains(id)).Distinct().ToList())
            input.Instance.People.Add(new PersonRecord { Id = gone, Department = Domain.People.Person.NoDepartment, AuthorityLevel = Domain.People.Person.MinLevel, MaxLearnerSessions = 0 });
        // The facilitator's exclusions hold here too: as hard pairs, like last cycle's.
        input.Instance.LastCyclePairs.AddRange(input.Excluded.Select(e => new PairRecord { LearnerId = e.LearnerId, TeacherId = e.TeacherId }));
        var current = new MatchPlan
        {
            Summary = new PlanSummary(),
            UnmetWants = [],
            Sessions = [.. offers.Select(o => new PlannedSession
            {
                TeacherId = Key(o.TeacherId), SkillId = Key(o.SkillId),
                Kind = o.Kind == Domain.Cycles.SessionKind.Group ? Matching.SessionKind.Group : Matching.SessionKind.OneToOne,
                Learners = [.. o.LearnerIds.Select(l => new PlannedAssignment { LearnerId = Key(l), Reasons = [] })],
            })],
        };
        var result = Matcher.Rematch(input.Instance, current, declined);

        var now = clock.GetUtcNow();
        var skills = await db.Skills.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        string Name(Guid id) => input.Names.GetValueOrDefault(id, "a colleague");
        var link = OfferActions.Link;
        var publishedRun = await db.MatchRuns.SingleAsync(r => r.Id == runId, ct);
        foreach (var session in result.NewSessions)
        {
            var teacher = Guid.Parse(session.TeacherId);
            var skillId = Guid.Parse(session.SkillId);
            var learners = session.Learners.Select(l => Guid.Parse(l.LearnerId)).ToList();
            var proposal = new Proposal(publishedRun, teacher, skillId,
                session.Kind == Matching.SessionKind.Group ? Domain.Cycles.SessionKind.Group : Domain.Cycles.SessionKind.OneToOne,
                learners, string.Join('\n', session.Learners.Select(l => string.Join("; ", l.Reasons.Append("re-matched after an offer did not go ahead")))), pinned: false);
            db.Proposals.Add(proposal);
            db.Offers.Add(new Offer(proposal, now, offerOptions.Value.AnswerWithin));
            var skill = skills.GetValueOrDefault(skillId, "a skill");
            notifier.Notify(teacher, $"You have been asked to share {skill} with {string.Join(", ", learners.Select(Name))} in \"{cycle.Name}\". Offer them a time that suits you both.", link);
            notifier.Notify(learners, $"You have been matched to learn {skill} from {Name(teacher)} in \"{cycle.Name}\". They will offer you a time.", link);
        }
        foreach (var unmet in result.UnmetWants.Where(u => learnersToTell.Contains(Guid.Parse(u.LearnerId))))
        {
            notifier.Notify(Guid.Parse(unmet.LearnerId),
                $"We could not find another colleague for {skills.GetValueOrDefault(Guid.Parse(unmet.SkillId), "a skill")} in \"{cycle.Name}\": {MatchJob.Explain(unmet.ReasonCode)}", link);
        }
        await db.SaveChangesAsync(ct);
        if (result.NewSessions.Count > 0) await reminders.OffersExpiringAsync(cycle.OrganisationId, cycle.Id, now + offerOptions.Value.AnswerWithin, ct);
        return result.NewSessions.Count;
    }
}
