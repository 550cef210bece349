using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Offers;

/// <summary>Before a session, each learner writes the questions they want to ask; the teacher reads them.</summary>
public sealed class LearnerQuestions(TacitDbContext db, Notifier notifier, TimeProvider clock)
{
    /// <summary>A learner writes (or rewrites) their questions; the teacher is told.</summary>
    public async Task<SessionQuestions> WriteAsync(Guid sessionId, Guid me, string? text, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        var questions = await db.SessionQuestions.SingleOrDefaultAsync(q => q.SessionId == sessionId && q.LearnerId == me, ct);
        if (questions is null)
        {
            questions = new SessionQuestions(session, me, clock.GetUtcNow());
            db.SessionQuestions.Add(questions);
        }
        questions.Write(session, text, clock.GetUtcNow());
        notifier.Notify(session.TeacherId, $"{await db.PersonNameAsync(me, ct)} wrote the questions they want to ask in your session on {await db.SkillNameAsync(session.SkillId, ct)}.",
            OfferNotices.Link, email: false);
        await db.SaveChangesAsync(ct);
        return questions;
    }

    /// <summary>The learners' questions for a session, for the people in it.</summary>
    public async Task<List<SessionQuestions>> OfSessionAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        await db.Sessions.AsNoTracking().FindInvolvingAsync(sessionId, me, ct);
        return await db.SessionQuestions.AsNoTracking().Where(q => q.SessionId == sessionId && q.Text != "").ToListAsync(ct);
    }
}
