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
        var rows = await db.ManagerEnrolments.Where(m => m.CycleId == cycleId)
            .Join(db.People, m => m.ManagerId, p => p.Id, (m, p) => new { m, p.DisplayName, p.Department })
            .OrderBy(r => r.DisplayName).ToListAsync(ct);
        return [.. rows.Select(r => new EnrolmentRow(r.m.ManagerId, r.DisplayName, r.Department, r.m.InvitedAt, r.m.RespondedAt, r.m.Supports, r.m.ExpectedBarriers))];
    }
}
