using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// What one person sees of a cycle: whether they take part and have answered the intake, whether they were asked to
/// support it as a manager, and, once the matches are published, what they teach, what they learn and what was not matched.
/// </summary>
public sealed record ParticipantOverviewRead(Cycle Cycle, bool TakesPart, bool Answered, bool IsManager, bool SupportAnswered,
    IReadOnlyList<Offer> Teaching, IReadOnlyList<Offer> Learning, IReadOnlyList<UnmetWant> Unmet,
    IReadOnlyDictionary<Guid, string> Names, IReadOnlyDictionary<Guid, string> Skills);

/// <summary>The "my cycle" page's read, for the person signed in only.</summary>
public sealed class ParticipantOverview(TacitDbContext db, CycleLifecycle cycles, Intake intake, Enrolment enrolment)
{
    /// <summary>Null when the organisation has no such cycle.</summary>
    public async Task<ParticipantOverviewRead?> ReadAsync(Guid cycleId, Guid me, CancellationToken ct = default)
    {
        if (await cycles.FindAsync(cycleId, ct) is not { } cycle) return null;
        var takesPart = await intake.TakesPartAsync(cycle, me, ct);
        var answered = await intake.MineAsync(cycleId, me, ct) is not null;
        var asManager = await enrolment.FindAsync(cycleId, me, ct);
        var read = new ParticipantOverviewRead(cycle, takesPart, answered, asManager is not null, asManager?.RespondedAt is not null,
            [], [], [], new Dictionary<Guid, string>(), new Dictionary<Guid, string>());
        if (cycle.PublishedRunId is not { } published) return read;
        var teaching = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycleId && o.TeacherId == me).ToListAsync(ct);
        var learning = await db.Offers.AsNoTracking().Where(o => o.CycleId == cycleId && o.LearnerIds.Contains(me)).ToListAsync(ct);
        var unmet = await db.UnmetWants.AsNoTracking().Where(u => u.RunId == published && u.LearnerId == me).ToListAsync(ct);
        return read with
        {
            Teaching = teaching,
            Learning = learning,
            Unmet = unmet,
            Names = await db.PersonNamesAsync(teaching.SelectMany(o => o.LearnerIds).Concat(learning.Where(o => o.Status != OfferStatus.Declined).Select(o => o.TeacherId)), ct),
            Skills = await db.SkillNamesAsync(teaching.Concat(learning).Select(o => o.SkillId).Concat(unmet.Select(u => u.SkillId)), ct),
        };
    }
}
