using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

/// <summary>An admin invites one person, and sees at once whether the mail went (many at once: <see cref="Invitations"/>).</summary>
public sealed class InvitePersonHandler(TacitDbContext db, UserManager<TacitUser> users, Invitations invitations, Mailer mailer)
{
    /// <summary>Invites the person to the organisation of this request, by its name.</summary>
    /// <returns>The invitation link, and whether it could be emailed.</returns>
    public async Task<(string Link, bool Mailed)> InviteAsync(Guid personId, CancellationToken cancellationToken = default) =>
        await InviteAsync(personId, await db.Organisations.Where(o => o.Id == db.CurrentOrganisationId).Select(o => o.Name).SingleAsync(cancellationToken),
            cancellationToken);

    /// <returns>The invitation link, and whether it could be emailed.</returns>
    public async Task<(string Link, bool Mailed)> InviteAsync(Guid personId, string organisationName, CancellationToken cancellationToken = default)
    {
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId, cancellationToken)
            ?? throw new NotFoundException("No such person.");
        if (!person.IsActive) throw new ConflictException($"{person.DisplayName} is deactivated; reactivate them before inviting.");
        var existing = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person.Id, cancellationToken);
        if (existing is not null && await users.HasPasswordAsync(existing))
            throw new ConflictException($"{person.DisplayName} already has an account.");

        var link = invitations.Mint(person, replaceOlder: true);
        await db.SaveChangesAsync(cancellationToken);
        var (subject, body) = Invitations.Letter(person, organisationName, link);
        var mailed = await mailer.TrySendAsync(person.Email, person.DisplayName, subject, body, cancellationToken);
        return (link, mailed);
    }
}
