using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Features.Offers;

/// <summary>Either side moves or cancels a session; everyone in it gets the updated invitation or the cancellation.</summary>
public sealed class ChangeSession(TacitDbContext db, SessionInvitations invitations, ReminderScheduler reminders, TimeProvider clock)
{
    public async Task<Session> RescheduleAsync(Guid sessionId, Guid me, DateTimeOffset startsAt, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        session.Reschedule(me, startsAt, clock.GetUtcNow());
        return await SaveAsync(session, ct);
    }

    public async Task<Session> CancelAsync(Guid sessionId, Guid me, string? reason, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        session.Cancel(me, reason, clock.GetUtcNow());
        return await SaveAsync(session, ct);
    }

    private async Task<Session> SaveAsync(Session session, CancellationToken ct)
    {
        await invitations.QueueAsync(session, ct);
        await db.SaveChangesAsync(ct);
        await reminders.SessionAsync(session, ct);
        return session;
    }
}
