using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Account;

/// <summary>
/// Signing in with email and password. A refusal says the same, in the same time, whether or not an account uses the
/// email; failures slow further attempts down (<see cref="SignInThrottle"/>) and never lock the owner out.
/// </summary>
public sealed class PasswordSignIn(TacitDbContext db, UserManager<TacitUser> users, SignInManager<TacitUser> signIn,
    SignInThrottle throttle, TrustedBrowsers browsers, IHttpContextAccessor http, CompanySignIn.CompanySignInLookup companySignIn)
{
    private const string NotRight = "The email or password is not right.";

    public const string CompanySignInRequired =
        "Your organisation signs in with its company account: type your work email or your organisation's URL name and leave the password empty.";

    /// <summary>A hash of a password nobody knows, made by the app's own hasher on first use (a race makes two, either serves).</summary>
    private static string? s_nobodysHash;

    /// <exception cref="DomainException">Refused: the message says why, in words for the person.</exception>
    public async Task SignInAsync(string email, string password, bool remember, CancellationToken cancellationToken = default)
    {
        // What no address holds (NUL, which PostgreSQL cannot even look up) is refused as such, before any lookup.
        if (Guard.OptionalProblem(email, "Email", Guard.EmailMaxLength) is { } problem) throw new DomainException(problem, "Email");
        var user = await users.FindByEmailAsync(email.Trim());
        // Nobody is signed in yet, so no organisation filters the person: the account says which organisation.
        var person = user is null ? null
            : await db.People.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(p => p.Id == user.PersonId, cancellationToken);
        var keys = user is not null && browsers.IdFor(user.Id) is { } browser
            ? SignInKeys.Trusted(browser)
            : SignInKeys.Untrusted(users.NormalizeEmail(email.Trim()), http.HttpContext?.Connection.RemoteIpAddress);
        if (throttle.Begin(keys) is var wait && wait > TimeSpan.Zero)
            throw new DomainException($"Too many sign-in attempts. Try again in {Words(wait)}, or choose a new password with a link by email.");

        var verified = user?.PasswordHash is not null && person is not null
            ? await users.CheckPasswordAsync(user, password)
            : NobodysPasswordIs(password);
        if (!verified)
        {
            throttle.Failed(keys);
            throw new DomainException(NotRight);
        }
        throttle.Succeeded(keys);
        if (!person!.IsActive) throw new DomainException("Your account has been deactivated. Ask an admin of your organisation.");
        // Said only to whoever knows the password, so it tells nobody else which organisation the address is in.
        if (await companySignIn.RequiredForAsync(person.OrganisationId, person.Id, cancellationToken))
            throw new DomainException(CompanySignInRequired);
        browsers.Remember(user!.Id);
        await signIn.SignInAsync(user, remember, authenticationMethod: "pwd");
    }

    /// <summary>
    /// Checks the password against a hash of nothing, with the same hasher: an unknown email, or an account with no
    /// password yet, costs what a real account costs, so the time taken says nothing about who has an account.
    /// </summary>
    private bool NobodysPasswordIs(string password)
    {
        var nobody = new TacitUser();
        s_nobodysHash ??= users.PasswordHasher.HashPassword(nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        users.PasswordHasher.VerifyHashedPassword(nobody, s_nobodysHash, password);
        return false;
    }

    private static string Words(TimeSpan wait) => Math.Ceiling(wait.TotalSeconds) switch
    {
        1 => "1 second",
        < 120 and var seconds => $"{seconds} seconds",
        _ => $"{Math.Ceiling(wait.TotalMinutes)} minutes",
    };
}
