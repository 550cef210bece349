using Tacit.Domain;

namespace Tacit.Web.Infrastructure;

/// <summary>Who is acting, as use cases take it: a person (who may act for themselves, or for anyone when admin) or an admin token.</summary>
public sealed record Actor(Guid? PersonId, bool IsAdmin)
{
    public void EnsureMayActFor(string what, Guid personId)
    {
        if (!IsAdmin && PersonId != personId) throw new ForbiddenException($"You can change only your own {what}.");
    }
}
