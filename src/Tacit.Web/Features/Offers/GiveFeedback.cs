using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Offers;

public sealed record FeedbackInput(bool Happened, int? Usefulness, string? Learned, string? WentWell, string? ThankYou, bool ThankYouIsPublic);

/// <summary>A session of one's own, the feedback one gave on it (if any), and the names the feedback page shows.</summary>
public sealed record FeedbackView(Session Session, SessionFeedback? Mine, string Skill, string Teacher);

/// <summary>Once a session has started (people may finish early), each person in it says whether it happened and how it went (and may thank the other side).</summary>
public sealed class GiveFeedback(TacitDbContext db, Evidence.EvidenceRecorder evidence, TimeProvider clock)
{
    public async Task<FeedbackView> ViewAsync(Guid sessionId, Guid me, CancellationToken ct = default)
    {
        var session = await db.Sessions.AsNoTracking().FindInvolvingAsync(sessionId, me, ct);
        var mine = await db.SessionFeedback.AsNoTracking().SingleOrDefaultAsync(f => f.SessionId == sessionId && f.PersonId == me, ct);
        var skill = await db.Skills.Where(s => s.Id == session.SkillId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? "the session";
        var teacher = await db.People.Where(p => p.Id == session.TeacherId).Select(p => p.DisplayName).SingleOrDefaultAsync(ct) ?? "a colleague";
        return new FeedbackView(session, mine, skill, teacher);
    }

    /// <summary>Gives (or changes) one's feedback on a session that is over.</summary>
    public async Task<SessionFeedback> GiveAsync(Guid sessionId, Guid me, FeedbackInput input, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        var feedback = await db.SessionFeedback.SingleOrDefaultAsync(f => f.SessionId == sessionId && f.PersonId == me, ct);
        if (feedback is null)
        {
            feedback = new SessionFeedback(session, me, clock.GetUtcNow());
            db.SessionFeedback.Add(feedback);
        }
        feedback.Give(session, input.Happened, input.Usefulness, input.Learned, input.WentWell, input.ThankYou, input.ThankYouIsPublic, clock.GetUtcNow());
        await RecordEvidenceAsync(session, feedback, ct);
        await db.SaveChangesAsync(ct);
        return feedback;
    }

    /// <summary>
    /// The xAPI evidence this feedback makes, saved with it: the feedback itself; the session held, the first time
    /// someone in it says it happened; and the teacher's skill validated by peers, when this rating is the one that does it.
    /// </summary>
    private async Task RecordEvidenceAsync(Session session, SessionFeedback feedback, CancellationToken ct)
    {
        await evidence.FeedbackGivenAsync(session, feedback, ct);
        if (feedback.Happened) await evidence.SessionHeldAsync(session, ct);
        if (feedback.AsTeacher || feedback.Usefulness < Recognition.GoodRating) return;
        var others = await db.SessionFeedback.AsNoTracking()
            .Where(f => f.TeacherId == session.TeacherId && f.SkillId == session.SkillId && f.PersonId != feedback.PersonId && !f.AsTeacher && f.Happened)
            .ToListAsync(ct);
        if (!Recognition.ValidatedSkills(session.TeacherId, [.. others, feedback]).Contains(session.SkillId)) return;
        var validators = others.Where(f => f.Usefulness >= Recognition.GoodRating).Select(f => f.PersonId).Append(feedback.PersonId).Distinct().ToList();
        await evidence.SkillValidatedAsync(session, validators, ct);
    }
}
