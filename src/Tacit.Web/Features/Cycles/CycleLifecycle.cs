using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Features.Audit;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// A cycle itself: listed and found, created in draft, renamed and rescheduled, and moved on by the steps that need no
/// use case of their own (publish the map, start the review, close). Enrolment, the intake, match runs and the review
/// are <see cref="Enrolment"/>, <see cref="Intake"/>, <see cref="MatchRuns"/> and <see cref="CycleReview"/>.
/// </summary>
public sealed class CycleLifecycle(TacitDbContext db, Notifications.Notifier notifier, TimeProvider clock, AuditLog audit)
{
    /// <summary>One page of the organisation's cycles, newest first.</summary>
    public Task<Page<Cycle>> ListAsync(Paging paging, CancellationToken ct = default) => NewestFirst().ToPageAsync(paging, c => c, ct);

    /// <summary>All of the organisation's cycles, newest first: a few a year, so the page lists them all.</summary>
    public Task<List<Cycle>> ListAsync(CancellationToken ct = default) => NewestFirst().ToListAsync(ct);

    private IQueryable<Cycle> NewestFirst() => db.Cycles.AsNoTracking().OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id);

    /// <summary>The cycle as it is saved, or null when the organisation has none by that id.</summary>
    public Task<Cycle?> FindAsync(Guid id, CancellationToken ct = default) => db.Cycles.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>The cycle as it is saved; "No such cycle." (404) when there is none.</summary>
    public async Task<Cycle> GetAsync(Guid id, CancellationToken ct = default) =>
        await FindAsync(id, ct) ?? throw new NotFoundException("No such cycle.");

    public async Task<Cycle> CreateAsync(CycleWrite write, CancellationToken ct = default)
    {
        var cycle = new Cycle(db.CurrentOrganisationId, write.Name, write.IntakeOpens, write.IntakeCloses, write.MatchingDate, write.ReviewDate,
            write.Departments, clock.GetUtcNow());
        db.Cycles.Add(cycle);
        audit.Record("cycle.created", cycle.Name, CycleAudit.Schedule(cycle));
        await db.SaveChangesAsync(ct);
        return cycle;
    }

    /// <summary>Renames and reschedules; who takes part changes only when departments are given.</summary>
    public Task<Cycle> ChangeAsync(Guid id, CycleWrite write, CancellationToken ct = default) => UpdateAsync(id, cycle =>
    {
        var before = CycleAudit.Described(cycle);
        cycle.Rename(write.Name);
        cycle.Schedule(write.IntakeOpens, write.IntakeCloses, write.MatchingDate, write.ReviewDate, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (write.Departments is not null) cycle.SetParticipants(write.Departments);
        if (CycleAudit.Described(cycle) is var after && after != before) audit.Record("cycle.changed", cycle.Name, $"{before} → {after}");
    }, ct);

    public Task<Cycle> PublishMapAsync(Guid id, CancellationToken ct = default) =>
        UpdateAsync(id, cycle => Step(cycle, "cycle.map-published", () => cycle.PublishMap(clock.GetUtcNow())), ct);

    public Task<Cycle> StartReviewAsync(Guid id, CancellationToken ct = default) => StartReviewAsync(id, beforeItsDate: false, ct);

    /// <summary>Starts the review; before its planned date only when <paramref name="beforeItsDate"/> says so.</summary>
    public Task<Cycle> StartReviewAsync(Guid id, bool beforeItsDate, CancellationToken ct = default) => UpdateAsync(id, cycle =>
    {
        var planned = cycle.ReviewDate;
        cycle.StartReview(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), beforeItsDate);
        audit.Record("cycle.review-started", cycle.Name, planned != cycle.ReviewDate ? $"before its date ({planned:yyyy-MM-dd})" : "");
    }, ct);

    /// <summary>Closes the cycle; nothing of it stays open: its unanswered offers end, and both sides are told.</summary>
    public async Task<Cycle> CloseAsync(Guid id, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, id, ct);
        var now = clock.GetUtcNow();
        cycle.Close(now);
        audit.Record("cycle.closed", cycle.Name);
        var open = await db.Offers.Where(o => o.CycleId == id && (o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered)).ToListAsync(ct);
        var skills = await db.SkillNamesAsync(open.Select(o => o.SkillId), ct);
        foreach (var offer in open.Where(o => o.EndWithCycle(now)))
        {
            var skill = skills.GetValueOrDefault(offer.SkillId, "a skill");
            notifier.Notify(offer.TeacherId, $"\"{cycle.Name}\" has closed, so your offer to share {skill} has ended.", Offers.OfferNotices.Link);
            notifier.Notify(offer.LearnerIds, $"\"{cycle.Name}\" has closed, so your match to learn {skill} has ended without a time.", Offers.OfferNotices.Link);
        }
        await db.SaveChangesAsync(ct);
        return cycle;
    }

    private void Step(Cycle cycle, string action, Action step)
    {
        step();
        audit.Record(action, cycle.Name);
    }

    private async Task<Cycle> UpdateAsync(Guid id, Action<Cycle> change, CancellationToken ct)
    {
        var cycle = await CycleLookup.FindAsync(db, id, ct);
        change(cycle);
        await db.SaveChangesAsync(ct);
        return cycle;
    }
}
