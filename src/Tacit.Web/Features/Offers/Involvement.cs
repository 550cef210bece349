using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Offers;

namespace Tacit.Web.Features.Offers;

/// <summary>The offers, sessions and commitments a person is part of: as the teacher or a learner (a commitment: as its learner or partner).</summary>
public static class Involvement
{
    public static IQueryable<Offer> Involving(this IQueryable<Offer> offers, Guid personId) =>
        offers.Where(o => o.TeacherId == personId || o.LearnerIds.Contains(personId));

    public static IQueryable<Session> Involving(this IQueryable<Session> sessions, Guid personId) =>
        sessions.Where(s => s.TeacherId == personId || s.LearnerIds.Contains(personId));

    public static IQueryable<Commitment> Involving(this IQueryable<Commitment> commitments, Guid personId) =>
        commitments.Where(c => c.LearnerId == personId || c.PartnerId == personId);

    /// <summary>An offer the person is part of; anyone else's is "not found", so its existence is not revealed.</summary>
    public static async Task<Offer> FindInvolvingAsync(this IQueryable<Offer> offers, Guid offerId, Guid personId, CancellationToken ct) =>
        await offers.Involving(personId).SingleOrDefaultAsync(o => o.Id == offerId, ct) ?? throw new NotFoundException("No such offer.");

    /// <summary>A session the person is part of; anyone else's is "not found".</summary>
    public static async Task<Session> FindInvolvingAsync(this IQueryable<Session> sessions, Guid sessionId, Guid personId, CancellationToken ct) =>
        await sessions.Involving(personId).SingleOrDefaultAsync(s => s.Id == sessionId, ct) ?? throw new NotFoundException("No such session.");
}
