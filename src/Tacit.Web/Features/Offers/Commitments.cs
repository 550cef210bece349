using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Reminders;

namespace Tacit.Web.Features.Offers;

/// <summary>After a session a learner commits to what they will do, by when, with an optional accountability partner who is asked to check in.</summary>
public sealed class Commitments(TacitDbContext db, Notifier notifier, ReminderScheduler reminders, Evidence.EvidenceRecorder evidence, TimeProvider clock)
{
    /// <summary>The partner is named by email and must be an active colleague; they are told at once and reminded on the day.</summary>
    public async Task<Commitment> CommitAsync(Guid sessionId, Guid me, string? text, DateOnly dueOn, string? partnerEmail, CancellationToken ct = default)
    {
        var session = await db.Sessions.FindInvolvingAsync(sessionId, me, ct);
        (Guid Id, string TimeZone)? partner = null;
        if (!string.IsNullOrWhiteSpace(partnerEmail))
        {
            var email = Guard.Email(partnerEmail, nameof(Commitment.PartnerId));
            partner = (await db.People.Where(p => p.Email == email && p.IsActive).Select(p => new { p.Id, p.TimeZone }).SingleOrDefaultAsync(ct)
                is { } found ? (found.Id, found.TimeZone)
                : throw new DomainException($"Nobody active in your organisation has the email '{email}'.", nameof(Commitment.PartnerId)));
        }
        var partnerId = partner?.Id;
        var commitment = new Commitment(session, me, text, dueOn, partnerId, clock.GetUtcNow());
        db.Commitments.Add(commitment);
        if (partnerId is { } partnerToAsk)
            notifier.Notify(partnerToAsk, $"{await db.PersonNameAsync(me, ct)} chose you as accountability partner for \"{commitment.Text}\", due {dueOn:d MMMM yyyy}. You will be asked to check in then.", OfferNotices.Link);
        await db.SaveChangesAsync(ct);
        await reminders.CheckInAsync(commitment, partner?.TimeZone ?? "UTC", ct);
        return commitment;
    }

    /// <summary>The partner checks in; the learner is told how they said it is going.</summary>
    public async Task<Commitment> CheckInAsync(Guid commitmentId, Guid me, CheckInAnswer answer, string? note, CancellationToken ct = default)
    {
        var commitment = await db.Commitments.Involving(me).SingleOrDefaultAsync(c => c.Id == commitmentId, ct)
            ?? throw new NotFoundException("No such commitment.");
        commitment.CheckIn(me, answer, note, clock.GetUtcNow());
        var said = commitment.PartnerNote.Length > 0 ? $": \"{commitment.PartnerNote}\"" : ".";
        notifier.Notify(commitment.LearnerId, $"{await db.PersonNameAsync(me, ct)} checked in on \"{commitment.Text}\" — {answer.Describe()}{said}", OfferNotices.Link);
        await db.SaveChangesAsync(ct);
        return commitment;
    }

    public async Task<Commitment> MarkAsync(Guid commitmentId, Guid me, CommitmentStatus status, CancellationToken ct = default)
    {
        var commitment = await db.Commitments.Involving(me).SingleOrDefaultAsync(c => c.Id == commitmentId, ct)
            ?? throw new NotFoundException("No such commitment.");
        commitment.Mark(me, status, clock.GetUtcNow());
        if (status == CommitmentStatus.Done)
            await evidence.CommitmentKeptAsync(await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == commitment.SessionId, ct), commitment, ct);
        await db.SaveChangesAsync(ct);
        return commitment;
    }
}
