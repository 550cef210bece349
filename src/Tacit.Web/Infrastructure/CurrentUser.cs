using System.Security.Claims;
using Tacit.Domain;
using Tacit.Domain.People;

namespace Tacit.Web.Infrastructure;

/// <summary>
/// Who is acting in this request: the organisation, the person (none for an API token, which acts for the
/// organisation) and their roles. Filled once per request by <see cref="CurrentUserMiddleware"/>, right after
/// authentication; pages and endpoints take it from the services instead of reading claims themselves.
/// </summary>
public sealed class CurrentUser
{
    public Guid OrganisationId { get; private set; }

    /// <summary>The person signed in; null for an API token or when nobody is signed in.</summary>
    public Guid? PersonId { get; private set; }

    /// <summary>The API token acting; null for a person or when nobody is signed in.</summary>
    public Guid? TokenId { get; private set; }

    /// <summary>What the person or token may do, each role with those it includes (<see cref="RoleNames.Including"/>).</summary>
    public Roles Roles { get; private set; }

    /// <summary>The signed-in person's name as they gave it; empty for a token.</summary>
    public string DisplayName { get; private set; } = "";

    /// <summary>Who is acting, in words for a log: the person's name, the token's, or the operator's command.</summary>
    public string ActorName { get; private set; } = "the tacit command";

    public bool IsSignedIn => OrganisationId != Guid.Empty;

    /// <summary>A SCIM token (docs/scim.md): it may provision people at /scim/v2 and do nothing else.</summary>
    public bool IsScim { get; private set; }

    public bool Is(Roles role) => Roles.HasFlag(role);

    /// <summary>The person acting, for what only a person can do ("my" skills, offers, answers).</summary>
    public Guid RequirePerson() => PersonId ?? throw new ForbiddenException(
        "This acts for a person: sign in, or use it from the app. API tokens act for the organisation, not for a person.");

    /// <summary>The person (if any) and whether they may act for others, as the skills use cases take it.</summary>
    public Actor Actor => new(PersonId, Is(Roles.Admin));

    /// <summary>Names who acts in a request nobody is signed in to (company sign-in adding a member), for the audit log.</summary>
    internal void ActAs(string actorName)
    {
        if (!IsSignedIn) ActorName = actorName;
    }

    internal void Fill(ClaimsPrincipal user)
    {
        OrganisationId = user.OrganisationId();
        PersonId = user.PersonId() is var id && id != Guid.Empty ? id : null;
        TokenId = user.TokenId() is var token && token != Guid.Empty ? token : null;
        IsScim = TokenId is not null && user.HasClaim(TacitClaims.Scim, "true");
        Roles = Enum.GetValues<Roles>().Where(user.Is).Aggregate(default(Roles), (all, role) => all | role);
        DisplayName = PersonId is null ? "" : user.FindFirstValue(ClaimTypes.GivenName) ?? "";
        if (PersonId is not null) ActorName = DisplayName;
        else if (user.FindFirstValue(ClaimTypes.Name) is { } tokenName) ActorName = $"API token “{tokenName.Replace("token:", "", StringComparison.Ordinal)}”";
    }
}
