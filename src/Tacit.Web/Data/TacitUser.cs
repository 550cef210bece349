using Microsoft.AspNetCore.Identity;

namespace Tacit.Web.Data;

/// <summary>A sign-in account. It belongs to one organisation and is the login of one person there.</summary>
public sealed class TacitUser : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
}
