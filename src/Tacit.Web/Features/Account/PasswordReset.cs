using Microsoft.AspNetCore.Identity;
using Tacit.Domain;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Account;

/// <summary>A forgotten password: a link by email, valid for a day, with which the person chooses a new one.</summary>
public sealed class PasswordReset(UserManager<TacitUser> users, Mailer mailer, LinkBuilder links, AccountMailer queue, TrustedBrowsers browsers)
{
    /// <summary>
    /// Emails a link to the account that uses the email, if any, after the page has answered: the page says the same,
    /// in the same time, whether or not one does, so that emails cannot be probed.
    /// </summary>
    /// <exception cref="DomainException">The email holds a control character or is too long: no address does.</exception>
    public void SendLink(string email)
    {
        if (Guard.OptionalProblem(email, "Email", Guard.EmailMaxLength) is { } problem) throw new DomainException(problem, "Email");
        queue.Enqueue((services, cancellationToken) => services.GetRequiredService<PasswordReset>().MailLinkAsync(email, cancellationToken));
    }

    private async Task MailLinkAsync(string email, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null) return;
        // A new stamp voids every reset link sent before this one (and any session elsewhere).
        await users.UpdateSecurityStampAsync(user);
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var link = links.To($"/reset-password?email={Uri.EscapeDataString(user.Email!)}&code={Uri.EscapeDataString(code)}");
        await mailer.TrySendAsync(user.Email!, user.Email!, "Choose a new Tacit password",
            $"Someone asked to reset the password of this Tacit account. If it was you, choose a new password here:\n{link}\n\nIf it was not you, ignore this message.",
            cancellationToken);
    }

    /// <summary>
    /// Sets the new password. The browser the link was opened in is the owner's from now on, so failed sign-ins
    /// elsewhere do not slow them down there (<see cref="TrustedBrowsers"/>).
    /// </summary>
    /// <exception cref="DomainException">The password is refused, or the link is not valid (any more).</exception>
    public async Task ResetAsync(string email, string code, string password)
    {
        // The address comes back from the link's page: one that no link holds is out of date like any other.
        var user = string.IsNullOrEmpty(email) || Guard.OptionalProblem(email, "Email", Guard.EmailMaxLength) is not null ? null : await users.FindByEmailAsync(email);
        var result = user is null ? null : await users.ResetPasswordAsync(user, code, password);
        if (result is null || !result.Succeeded)
            throw new DomainException(result?.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) == true
                ? string.Join(" ", result.Errors.Select(e => e.Description))
                : "This link is not valid any more. Ask for a new one on the forgotten password page.");
        browsers.Remember(user!.Id);
    }
}
