using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Features.Cycles;

public sealed record EnrolmentRow(Guid ManagerId, string Name, string Department, DateTimeOffset InvitedAt, DateTimeOffset? RespondedAt,
    bool? Supports, string ExpectedBarriers);

/// <summary>
/// Step 1 of a cycle: the managers of the people taking part are asked to support it. Starting enrolment invites
/// every active manager of at least one participant (email and in-app) in the same transaction as the state change.
/// </summary>
public sealed class Enrolment(TacitDbContext db, Notifier notifier, Audit.AuditLog audit, TimeProvider clock)
{
    /// <summary>The active managers of the cycle's participants: the people starting enrolment emails.</summary>
    private IQueryable<Guid> ManagersOf(Cycle cycle) =>
        Participants.Of(db, cycle).Where(p => p.ManagerId != null).Select(p => p.ManagerId!.Value).Distinct()
            .Where(id => db.People.Any(m => m.Id == id && m.IsActive));

    /// <summary>How many managers starting enrolment would email, for the confirmation.</summary>
    public Task<int> ManagersToInviteAsync(Cycle cycle, CancellationToken ct = default) => ManagersOf(cycle).CountAsync(ct);

    public async Task<int> StartAsync(Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        cycle.StartEnrolment();
        var managerIds = await ManagersOf(cycle).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var managerId in managerIds.Order())
            db.ManagerEnrolments.Add(new ManagerEnrolment(cycle.OrganisationId, cycle.Id, managerId, now));
        notifier.Notify(managerIds,
            $"Some of your people can take part in the learning cycle \"{cycle.Name}\". Please say whether you support it and what might get in their way.",
            $"/cycles/{cycle.Id}/support");
        audit.Record("cycle.enrolment-started", cycle.Name, $"{managerIds.Count} managers asked");
        await db.SaveChangesAsync(ct);
        return managerIds.Count;
    }

    public async Task<ManagerEnrolment?> FindAsync(Guid cycleId, Guid managerId, CancellationToken ct = default) =>
        await db.ManagerEnrolments.SingleOrDefaultAsync(m => m.CycleId == cycleId && m.ManagerId == managerId, ct);

    public async Task RespondAsync(Guid cycleId, Guid managerId, bool supports, string? expectedBarriers, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var enrolment = await FindAsync(cycleId, managerId, ct)
            ?? throw new ForbiddenException("You were not asked to support this cycle: only managers of people taking part are.");
        enrolment.Respond(cycle, supports, expectedBarriers, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>For facilitators: every invited manager with their answer, attributed (managers speak openly).</summary>
    public async Task<List<EnrolmentRow>> ListAsync(Guid cycleId, CancellationToken ct = default)
    {
        await CycleLookup.FindAsync(db, cycleId, ct);
        return await Rows(cycleId, answer: null).ToListAsync(ct);
    }

    /// <summary>
    /// For the managers page: how many managers gave each answer, and one page of those with <paramref name="answer"/>
    /// (all when null), by name. A large organisation invites thousands of managers.
    /// </summary>
    public async Task<EnrolmentPage> PageAsync(Guid cycleId, EnrolmentAnswer? answer, int page, int pageSize, CancellationToken ct = default)
    {
        await CycleLookup.FindAsync(db, cycleId, ct);
        var counts = await db.ManagerEnrolments.Where(m => m.CycleId == cycleId)
            .GroupBy(m => m.Supports).Select(g => new { Supports = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(bool? supports) => counts.SingleOrDefault(c => c.Supports == supports)?.Count ?? 0;
        var tally = new EnrolmentTally(Count(true), Count(false), Count(null));
        int matching = answer switch
        {
            EnrolmentAnswer.Supports => tally.Supports,
            EnrolmentAnswer.DoesNotSupport => tally.DoesNotSupport,
            EnrolmentAnswer.NotAnswered => tally.NotAnswered,
            _ => tally.Invited,
        };
        int pages = Math.Max(1, (matching + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pages);
        var rows = await Rows(cycleId, answer).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new EnrolmentPage(tally, rows, page, pages);
    }

    private IQueryable<EnrolmentRow> Rows(Guid cycleId, EnrolmentAnswer? answer)
    {
        var enrolments = db.ManagerEnrolments.Where(m => m.CycleId == cycleId);
        enrolments = answer switch
        {
            EnrolmentAnswer.Supports => enrolments.Where(m => m.Supports == true),
            EnrolmentAnswer.DoesNotSupport => enrolments.Where(m => m.Supports == false),
            EnrolmentAnswer.NotAnswered => enrolments.Where(m => m.Supports == null),
            _ => enrolments,
        };
        // By name, then by id, so that pages never overlap when two managers share a name.
        return enrolments.Join(db.People, m => m.ManagerId, p => p.Id, (m, p) => new { m, p.DisplayName, p.Department })
            .OrderBy(r => r.DisplayName).ThenBy(r => r.m.ManagerId)
            .Select(r => new EnrolmentRow(r.m.ManagerId, r.DisplayName, r.Department, r.m.InvitedAt, r.m.RespondedAt, r.m.Supports, r.m.ExpectedBarriers));
    }
}

/// <summary>Which managers the managers page lists.</summary>
public enum EnrolmentAnswer { Supports, DoesNotSupport, NotAnswered }

public sealed record EnrolmentTally(int Supports, int DoesNotSupport, int NotAnswered)
{
    public int Invited => Supports + DoesNotSupport + NotAnswered;
}

public sealed record EnrolmentPage(EnrolmentTally Tally, List<EnrolmentRow> Rows, int Page, int Pages);
