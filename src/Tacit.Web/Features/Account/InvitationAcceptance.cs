using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Integrations;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Account;

/// <summary>Where an invitation link stands when it is opened.</summary>
public enum InvitationState
{
    /// <summary>Unknown, expired, or its person has left.</summary>
    Invalid,
    /// <summary>Someone is signed in already, to whichever organisation.</summary>
    SignedInElsewhere,
    /// <summary>The person has set a password already (with this link or another): they sign in instead.</summary>
    AlreadyJoined,
    /// <summary>
    /// The address signs in to another organisation already, and one address signs in to one organisation (ADR-007).
    /// Only the address's owner has the link, so only they learn it.
    /// </summary>
    AddressInUse,
    /// <summary>The person may choose their password.</summary>
    Open,
}

/// <summary>An opened invitation: where it stands, and whose it is while it is <see cref="InvitationState.Open"/> (or its address is in use).</summary>
public sealed record InvitationCheck(InvitationState State, string Name = "", string Email = "");

/// <summary>
/// Joining through an invitation (<see cref="People.Invitations"/>): the person chooses a password, which makes their
/// account (or completes the one a demo or an earlier attempt made), the link counts as used, and they are signed in
/// (and this browser is theirs, <see cref="TrustedBrowsers"/>). The link is read before anyone is signed in, so it
/// chooses the organisation.
/// </summary>
public sealed class InvitationAcceptance(TacitDbContext db, UserManager<TacitUser> users, SignInManager<TacitUser> signIn,
    TrustedBrowsers browsers, CurrentUser current, TenantContext tenant, TimeProvider clock, CompanySignIn.CompanySignInLookup companySignIn)
{
    public async Task<InvitationCheck> CheckAsync(string secret, CancellationToken cancellationToken = default) =>
        (await OpenAsync(secret, cancellationToken)).Check;

    /// <summary>Sets the person's password, marks the link used and signs them in, all or nothing.</summary>
    /// <exception cref="DomainException">The link is not open, or the password is refused (the message says why).</exception>
    public async Task AcceptAsync(string secret, string password, CancellationToken cancellationToken = default)
    {
        var (check, invitation, person) = await OpenAsync(secret, cancellationToken);
        if (check.State != InvitationState.Open) throw new ConflictException("This invitation link cannot be used to join any more.");
        if (await companySignIn.RequiredForAsync(person!.OrganisationId, person.Id, cancellationToken))
            throw new DomainException(PasswordSignIn.CompanySignInRequired);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        var user = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person!.Id, cancellationToken);
        IdentityResult result;
        if (user is null)
        {
            user = new TacitUser { UserName = person!.Email, Email = person.Email, EmailConfirmed = true, OrganisationId = person.OrganisationId, PersonId = person.Id };
            result = await users.CreateAsync(user, password);
        }
        else
        {
            // An account made without a password (the demo's) has the address it was made with; it takes the one this
            // invitation was mailed to, the person's as the admin last set it, which opening the link confirms.
            result = user.Email == person!.Email ? IdentityResult.Success : await users.SetEmailAsync(user, person.Email);
            if (result.Succeeded && user.UserName != person.Email) result = await users.SetUserNameAsync(user, person.Email);
            user.EmailConfirmed = true;
            if (result.Succeeded) result = await users.AddPasswordAsync(user, password);
        }
        if (!result.Succeeded) throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)));
        invitation!.AcceptedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        browsers.Remember(user.Id);
        await signIn.SignInAsync(user, isPersistent: false);
    }

    private async Task<(InvitationCheck Check, Invitation? Invitation, Person? Person)> OpenAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = ApiToken.HashOf(secret);
        var invitation = await db.Invitations.IgnoreQueryFilters().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null || invitation.AcceptedAt is null && invitation.ExpiresAt < clock.GetUtcNow()) return (new(InvitationState.Invalid), null, null);
        if (current.IsSignedIn) return (new(InvitationState.SignedInElsewhere), null, null);
        tenant.Use(invitation.OrganisationId);
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == invitation.PersonId && p.IsActive, cancellationToken);
        if (person is null) return (new(InvitationState.Invalid), null, null);
        // One of several links they were sent was used already: the others lead to signing in, not to a second password.
        if (invitation.AcceptedAt is not null || await users.Users.AnyAsync(u => u.PersonId == person.Id && u.PasswordHash != null, cancellationToken))
            return (new(InvitationState.AlreadyJoined), null, null);
        if (await users.FindByEmailAsync(person.Email) is { } other && other.PersonId != person.Id)
            return (new(InvitationState.AddressInUse, person.DisplayName, person.Email), null, null);
        return (new(InvitationState.Open, person.DisplayName, person.Email), invitation, person);
    }
}
