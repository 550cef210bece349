using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Account;

/// <summary>Signing in with email and password. A refusal never tells whether an account uses the email.</summary>
public sealed class PasswordSignIn(TacitDbContext db, UserManager<TacitUser> users, SignInManager<TacitUser> signIn)
{
    private const string NotRight = "The email or password is not right.";

    /// <exception cref="DomainException">Refused: the message says why, in words for the person.</exception>
    public async Task SignInAsync(string email, string password, bool remember, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        // Nobody is signed in yet, so no organisation filters the person: the account says which organisation.
        var person = user is null ? null
            : await db.People.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(p => p.Id == user.PersonId, cancellationToken);
        if (user is null || person is null) throw new DomainException(NotRight);
        var result = await signIn.PasswordSignInAsync(user, password, remember, lockoutOnFailure: true);
        if (result.IsLockedOut)
            throw new DomainException("Too many failed attempts: this account is locked for 15 minutes. You can reset your password meanwhile.");
        if (!result.Succeeded) throw new DomainException(NotRight);
        if (!person.IsActive)
        {
            await signIn.SignOutAsync();
            throw new DomainException("Your account has been deactivated. Ask an admin of your organisation.");
        }
    }
}
