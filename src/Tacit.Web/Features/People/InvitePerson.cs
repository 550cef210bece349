using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Integrations;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

/// <summary>
/// Invitations: an emailed link with which a person sets their password and signs in for the first time.
/// Only the link's hash is stored; a new invitation replaces an older one that was not used.
/// </summary>
public sealed class InvitePersonHandler(TacitDbContext db, UserManager<TacitUser> users, Mailer mailer, LinkBuilder links, TimeProvider clock)
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(14);

    /// <returns>The invitation link, and whether it could be emailed.</returns>
    public async Task<(string Link, bool Mailed)> InviteAsync(Guid personId, string organisationName, CancellationToken cancellationToken = default)
    {
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId, cancellationToken)
            ?? throw new NotFoundException("No such person.");
        if (!person.IsActive) throw new ConflictException($"{person.DisplayName} is deactivated; reactivate them before inviting.");
        var existing = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person.Id, cancellationToken);
        if (existing is not null && await users.HasPasswordAsync(existing))
            throw new ConflictException($"{person.DisplayName} already has an account.");

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = clock.GetUtcNow();
        db.Invitations.RemoveRange(db.Invitations.Where(i => i.PersonId == person.Id && i.AcceptedAt == null));
        db.Invitations.Add(new Invitation
        {
            OrganisationId = person.OrganisationId, PersonId = person.Id, TokenHash = ApiToken.HashOf(secret),
            CreatedAt = now, ExpiresAt = now + ValidFor,
        });
        await db.SaveChangesAsync(cancellationToken);

        var link = links.To($"/invitation/{secret}");
        var mailed = await mailer.TrySendAsync(person.Email, person.DisplayName, $"You are invited to {organisationName} on Tacit",
            $"""
            Hello {person.DisplayName},

            You have been invited to join {organisationName} on Tacit, where colleagues share what they know
            and learn from each other.

            Set your password and sign in here (the link works for {ValidFor.Days} days):
            {link}
            """, cancellationToken);
        return (link, mailed);
    }
}
