using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Notifications;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Account;

/// <summary>
/// An admin changed the email of someone who can sign in: the person's email changes at once, their account's only
/// once they confirm from the new address (ADR-007). Until then they sign in with the old one. The admin never learns
/// whether the new address has an account elsewhere: that fails at confirmation, where only its owner sees it.
/// </summary>
public sealed class SignInAddressChange(TacitDbContext db, UserManager<TacitUser> users, LinkBuilder links, TimeProvider clock)
{
    private const string OutOfDate = "This link is not valid any more: it works for one day, and only for the address your admin set last.";

    /// <summary>Adds, to the caller's unit of work, a mail to the person's new address with a link to confirm it.</summary>
    public async Task AskAsync(TacitUser account, Person person)
    {
        var code = await users.GenerateChangeEmailTokenAsync(account, person.Email);
        var link = links.To($"/confirm-email?account={account.Id}&email={Uri.EscapeDataString(person.Email)}&code={Uri.EscapeDataString(code)}");
        db.OutgoingMail.Add(new OutgoingMail(person.OrganisationId, person.Email, person.DisplayName, "Confirm your new Tacit sign-in address", $"""
            Hello {person.DisplayName},

            An admin of your organisation changed your email on Tacit to this address. You sign in with
            {account.Email} until you confirm it here (the link works for one day):
            {link}

            If you did not expect this, ignore this message and tell your admin.
            """, null, null, clock.GetUtcNow()));
    }

    /// <summary>Moves the account to the address the link names, if it is still the person's.</summary>
    /// <exception cref="DomainException">The link is out of date, or another account signs in with the address.</exception>
    public async Task ConfirmAsync(string accountId, string email, string code, CancellationToken cancellationToken = default)
    {
        var account = (Guid.TryParse(accountId, out var id) ? await users.FindByIdAsync(id.ToString()) : null) ?? throw new DomainException(OutOfDate);
        // Nobody needs to be signed in: the account says which organisation.
        var current = await db.People.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.Id == account.PersonId && p.IsActive).Select(p => p.Email).SingleOrDefaultAsync(cancellationToken);
        if (current != email) throw new DomainException(OutOfDate);
        var old = account.Email;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.ChangeEmailAsync(account, email, code);
        if (result.Succeeded) result = await users.SetUserNameAsync(account, email);
        if (!result.Succeeded)
            throw new DomainException(result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                ? $"{email} signs in to another organisation on Tacit already, so your account keeps signing in with {old}. Ask your admin to use another address for you."
                : OutOfDate);
        await transaction.CommitAsync(cancellationToken);
    }
}
