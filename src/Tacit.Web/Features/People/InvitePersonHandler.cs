using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.People;

/// <summary>
/// An admin invites one person (many at once: <see cref="Invitations"/>). The mail goes through the outbox like every
/// invitation, so its link reaches the person's mailbox and never the admin's screen: what the link's page says about
/// the address (ADR-007) is for its owner alone.
/// </summary>
public sealed class InvitePersonHandler(TacitDbContext db, UserManager<TacitUser> users, Invitations invitations)
{
    /// <returns>The link, for the operator's <c>tacit org create</c> only: pages never show it.</returns>
    /// <exception cref="ConflictException">The person is deactivated, or can sign in already.</exception>
    public async Task<string> InviteAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId, cancellationToken)
            ?? throw new NotFoundException("No such person.");
        if (!person.IsActive) throw new ConflictException($"{person.DisplayName} is deactivated; reactivate them before inviting.");
        var existing = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person.Id, cancellationToken);
        if (existing is not null && await users.HasPasswordAsync(existing))
            throw new ConflictException($"{person.DisplayName} already has an account.");
        var organisationName = await db.Organisations.Where(o => o.Id == person.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var link = invitations.Queue(person, organisationName);
        await db.SaveChangesAsync(cancellationToken);
        return link;
    }
}
