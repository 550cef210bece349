using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Tacit.Web.Features.Account;

/// <summary>
/// The browser an account last signed in from, or proved its owner's mailbox in (a reset, an invitation, a sign-up):
/// a cookie sealed by data protection that names the account and a random id of the browser. A sign-in from it is
/// counted on that browser alone (<see cref="SignInThrottle"/>): someone guessing elsewhere, even behind the same
/// office address, never slows the owner down where they usually sign in. Nothing is kept on the server.
/// </summary>
public sealed class TrustedBrowsers(IHttpContextAccessor http, IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "Tacit.Browser";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);
    private readonly IDataProtector _protector = protection.CreateProtector("Tacit.Account.TrustedBrowser");

    /// <summary>This browser's id, when the account signed in from it before; null otherwise.</summary>
    public string? IdFor(Guid userId) => Read() is { } cookie && cookie.UserId == userId ? cookie.BrowserId : null;

    public void Remember(Guid userId)
    {
        if (http.HttpContext is not { } context) return;
        var browserId = IdFor(userId) ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(CookieName, _protector.Protect($"{userId:N}:{browserId}"), new CookieOptions
        {
            HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Strict, IsEssential = true,
            Expires = clock.GetUtcNow() + Lifetime,
        });
    }

    private (Guid UserId, string BrowserId)? Read()
    {
        if (http.HttpContext?.Request.Cookies[CookieName] is not { } value) return null;
        try
        {
            var parts = _protector.Unprotect(value).Split(':');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var userId) ? (userId, parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
