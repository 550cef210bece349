namespace Tacit.Web.Infrastructure;

/// <summary>The authorisation policies, one per role (registered in <see cref="WebServices"/>).</summary>
public static class Policies
{
    public const string Member = "Member";
    public const string Facilitator = "Facilitator";
    public const string Admin = "Admin";
    /// <summary>The default authentication scheme: a bearer token when the request carries one, else the sign-in cookie.</summary>
    public const string CookieOrToken = "CookieOrToken";
}
