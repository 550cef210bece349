using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Tacit.Web.Features.CompanySignIn;

/// <summary>
/// ASP.NET Core's OpenID Connect handler, given each request's organisation's options (<see cref="CompanySignInOptions"/>)
/// instead of one fixed set (docs/decisions/ADR-008).
/// </summary>
public sealed class CompanySignInHandler(CompanySignInOptions options, ILoggerFactory logger, HtmlEncoder htmlEncoder, UrlEncoder encoder)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    public const string SchemeName = "company";
}
