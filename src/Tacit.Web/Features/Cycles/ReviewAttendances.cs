using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;
using Tacit.Web.Features.Evidence;

namespace Tacit.Web.Features.Cycles;

public sealed record ReviewAttendeeDto(Guid PersonId, string Name, string Department, DateTimeOffset RecordedAt);
public sealed record ReviewAttendanceWrite(IReadOnlyList<Guid>? PersonIds);

/// <summary>
/// Who attended a cycle's review meeting, as the facilitator records it once the review has started. Each person newly
/// recorded gets one xAPI "attended" statement about the review (docs/xapi.md); taking someone off the list again removes
/// them from it but, as with sessions, does not void what was written.
/// </summary>
public sealed class ReviewAttendances(TacitDbContext db, EvidenceRecorder evidence, Audit.AuditLog audit, TimeProvider clock)
{
    /// <summary>More than any review meeting holds; a longer list is a mistake, refused before anything is written.</summary>
    public const int MaxAttendees = 2000;

    public async Task<List<ReviewAttendeeDto>> ListAsync(Guid cycleId, CancellationToken ct = default)
    {
        if (!await db.Cycles.AnyAsync(c => c.Id == cycleId, ct)) throw new NotFoundException("No such cycle.");
        return await db.ReviewAttendances.AsNoTracking().Where(a => a.CycleId == cycleId)
            .Join(db.People, a => a.PersonId, p => p.Id, (a, p) => new { p.Id, p.DisplayName, p.Department, a.RecordedAt })
            .OrderBy(a => a.DisplayName).ThenBy(a => a.Id)
            .Select(a => new ReviewAttendeeDto(a.Id, a.DisplayName, a.Department, a.RecordedAt)).ToListAsync(ct);
    }

    /// <summary>Replaces the list of who attended with <paramref name="personIds"/>; returns the new list.</summary>
    public async Task<List<ReviewAttendeeDto>> SetAsync(Guid cycleId, IReadOnlyCollection<Guid> personIds, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        if (cycle.State is not (CycleState.Review or CycleState.Closed))
            throw new ConflictException("Who attended the review is recorded once the review has started.");
        var wanted = personIds.ToHashSet();
        if (wanted.Count > MaxAttendees) throw new DomainException($"A review lists at most {MaxAttendees} people.", "personIds");
        // Only the organisation's people (the tenant filter hides everyone else, so another organisation's id is unknown here).
        var known = await db.People.Where(p => wanted.Contains(p.Id) && p.ErasedAt == null).Select(p => p.Id).ToListAsync(ct);
        if (known.Count < wanted.Count) throw new DomainException("Someone on the list is not a person of your organisation.", "personIds");

        var now = clock.GetUtcNow();
        var existing = await db.ReviewAttendances.Where(a => a.CycleId == cycleId).ToListAsync(ct);
        var removed = existing.Where(a => !wanted.Contains(a.PersonId)).ToList();
        db.ReviewAttendances.RemoveRange(removed);
        var added = wanted.Except(existing.Select(a => a.PersonId)).ToList();
        foreach (var personId in added)
        {
            db.ReviewAttendances.Add(new ReviewAttendance(cycle, personId, now));
            await evidence.ReviewAttendedAsync(cycle, personId, now, ct);
        }
        if (added.Count + removed.Count > 0)
        {
            audit.Record("cycle.review-attendance", cycle.Name, $"{added.Count} added, {removed.Count} removed, {wanted.Count} attended");
            await db.SaveChangesAsync(ct);
        }
        return await ListAsync(cycleId, ct);
    }
}
