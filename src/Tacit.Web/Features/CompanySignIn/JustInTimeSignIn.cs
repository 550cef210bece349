using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.People;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>
/// Signs in the person a company's provider vouched for, once the handler has checked the provider's answer: the account
/// already linked to the provider's subject; else the person of the directory with that email (case aside), linked now so
/// that a later change of email at the provider still finds them; else, if the admin allows it, a new member.
/// </summary>
public sealed class JustInTimeSignIn(TacitDbContext db, UserManager<TacitUser> users, SignInManager<TacitUser> signIn, TenantContext tenant,
    PeopleAdministration people, Infrastructure.CurrentUser current)
{
    /// <summary>The method recorded in the sign-in cookie, which the sign-out page reads to offer the provider's sign-out.</summary>
    public const string AuthenticationMethod = "company";

    /// <summary>The login provider name of an organisation's company sign-in: a subject is only ever looked up under it.</summary>
    public static string LoginProvider(Guid organisationId) => "company:" + organisationId.ToString("N");

    public async Task<string> SignInAsync(CompanySignInRequest request, ClaimsPrincipal vouched, CancellationToken cancellationToken = default)
    {
        var subject = vouched.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject)) return CompanySignInOutcome.Refused;
        tenant.Use(request.OrganisationId);
        var loginProvider = LoginProvider(request.OrganisationId);

        var linked = await users.FindByLoginAsync(loginProvider, subject);
        if (linked is not null)
            return linked.OrganisationId == request.OrganisationId ? await SignInAsync(linked, cancellationToken) : CompanySignInOutcome.Refused;

        if (string.Equals(vouched.FindFirstValue("email_verified"), "false", StringComparison.OrdinalIgnoreCase)) return CompanySignInOutcome.Unverified;
        var email = vouched.FindFirstValue(request.Provider.EmailClaim);
        if (email is null || Guard.EmailProblem(email) is not null) return CompanySignInOutcome.NoEmail;
        email = email.Trim().ToLowerInvariant();
        if (!request.Provider.AllowsDomainOf(email)) return CompanySignInOutcome.OtherDomain;

        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        var person = await db.People.SingleOrDefaultAsync(p => p.Email == email, cancellationToken);
        if (person is null)
        {
            if (request.Provider.UnknownPeople != UnknownPeople.AddAsMembers) return CompanySignInOutcome.Unknown;
            current.ActAs("company sign-in");
            var name = vouched.FindFirstValue("name") is { Length: > 0 and <= Person.NameMaxLength } given && Guard.OptionalProblem(given, "Name", Person.NameMaxLength) is null
                ? given.Trim() : email[..email.IndexOf('@')];
            person = await people.CreateAsync(email, new ProfileInput(name, null, null, 5, null, null, null), null, Roles.Member, cancellationToken);
        }
        if (!person.IsActive) return CompanySignInOutcome.Deactivated;

        var user = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person.Id, cancellationToken);
        if (user is null)
        {
            // An account without a password: this person signs in through their company only (or sets a password from a
            // reset link, where the organisation allows passwords).
            user = new TacitUser { UserName = person.Email, Email = person.Email, EmailConfirmed = true, OrganisationId = person.OrganisationId, PersonId = person.Id };
            if (!(await users.CreateAsync(user)).Succeeded) return CompanySignInOutcome.Elsewhere;
        }
        else if ((await users.GetLoginsAsync(user)).Any(l => l.LoginProvider == loginProvider))
        {
            // Someone else at the provider now has this email (a reused address): they are not the person linked before.
            return CompanySignInOutcome.LinkedToAnother;
        }
        if (!(await users.AddLoginAsync(user, new UserLoginInfo(loginProvider, subject, "Company sign-in"))).Succeeded) return CompanySignInOutcome.Refused;
        await transaction.CommitAsync(cancellationToken);
        return await SignInAsync(user, cancellationToken);
    }

    private async Task<string> SignInAsync(TacitUser user, CancellationToken cancellationToken)
    {
        var person = await db.People.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == user.PersonId, cancellationToken);
        if (!person.IsActive) return CompanySignInOutcome.Deactivated;
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: AuthenticationMethod);
        return CompanySignInOutcome.SignedIn;
    }
}
