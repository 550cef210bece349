using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Tacit.Domain;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Account;

/// <summary>What the sign-up form asks: the organisation, and who becomes its first admin.</summary>
public sealed record SignUpRequest(string Name, string Slug, string AdminName, string AdminEmail);

/// <summary>
/// Creating an organisation, in two steps so that the form never tells whether an account uses the email. The form is
/// checked and answered "check your email" at once; after the answer (<see cref="AccountMailer"/>) the address gets
/// a link to finish, valid for a day and carrying the form sealed by data protection, or, when an account uses the
/// address already, a note to its owner that someone tried (one address signs in to one organisation, ADR-007). The
/// link's page asks for the password, creates the organisation and signs its admin in. Nothing is stored before.
/// </summary>
public sealed class OrganisationSignUp(UserManager<TacitUser> users, CreateOrganisationHandler create, SignInManager<TacitUser> signIn,
    TrustedBrowsers browsers, AccountMailer queue, Mailer mailer, LinkBuilder links, IDataProtectionProvider protection, TimeProvider clock)
{
    private static readonly TimeSpan LinkValidFor = TimeSpan.FromDays(1);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Tacit.Account.SignUp").ToTimeLimitedDataProtector();

    /// <summary>Checks the form; the mail is written after the answer.</summary>
    /// <exception cref="DomainException">A field is refused, or the URL name is taken: the field says which.</exception>
    public async Task RequestAsync(SignUpRequest form, CancellationToken cancellationToken = default)
    {
        var organisation = new Organisation(form.Name, form.Slug, clock.GetUtcNow());
        var request = new SignUpRequest(organisation.Name, organisation.Slug,
            Guard.Required(form.AdminName, nameof(SignUpRequest.AdminName), "Your name", Person.NameMaxLength),
            Guard.Email(form.AdminEmail, nameof(SignUpRequest.AdminEmail)));
        await create.EnsureSlugIsFreeAsync(organisation.Slug, cancellationToken);
        queue.Enqueue((services, token) => services.GetRequiredService<OrganisationSignUp>().MailAsync(request, token));
    }

    /// <summary>The form a link carries, or null when the link is not (or no longer) valid.</summary>
    public SignUpRequest? Read(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try
        {
            return JsonSerializer.Deserialize<SignUpRequest>(_protector.Unprotect(code));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Creates the organisation the link carries with the chosen password, and signs its admin in.</summary>
    /// <exception cref="DomainException">The link is not valid any more, the password or the URL name is refused, or the address has an account by now.</exception>
    public async Task CompleteAsync(string code, string password, CancellationToken cancellationToken = default)
    {
        var request = Read(code) ?? throw new DomainException("This link is not valid any more: it works for one day.");
        // Only the address's owner has the link, so telling them is telling no one else.
        if (await users.FindByEmailAsync(request.AdminEmail) is not null)
            throw new ConflictException("This address signs in to Tacit already.");
        var created = await create.HandleAsync(new CreateOrganisation(request.Name, request.Slug, request.AdminName, request.AdminEmail, password), cancellationToken);
        browsers.Remember(created.AdminUser.Id);
        await signIn.SignInAsync(created.AdminUser, isPersistent: false);
    }

    private async Task MailAsync(SignUpRequest request, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(request.AdminEmail) is { } owner)
        {
            await mailer.TrySendAsync(owner.Email!, owner.Email!, "Someone tried to create a Tacit organisation with your address", $"""
                Someone asked to create an organisation on Tacit with this address, which signs in to Tacit already.
                One address signs in to one organisation, so nothing was created.

                If it was you, sign in here:
                {links.To("/signin")}

                Forgotten your password? Ask for a link to choose a new one here:
                {links.To("/forgot-password")}

                If it was not you, ignore this message.
                """, cancellationToken);
            return;
        }
        var code = _protector.Protect(JsonSerializer.Serialize(request), LinkValidFor);
        await mailer.TrySendAsync(request.AdminEmail, request.AdminName, $"Finish creating {request.Name} on Tacit", $"""
            Hello {request.AdminName},

            To finish creating {request.Name} on Tacit, and become its first admin, choose your password here
            (the link works for one day):
            {links.To($"/signup/confirm?code={code}")}

            If it was not you who asked, ignore this message: nothing is created without it.
            """, cancellationToken);
    }
}
