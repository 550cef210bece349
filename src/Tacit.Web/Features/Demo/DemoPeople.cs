using Tacit.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Demo;

/// <summary>One of the demo's people, as the "try as" switch lists them.</summary>
public sealed record DemoPerson(Guid Id, string Name, string JobTitle, string Department, Roles Roles, int Reports);

/// <summary>
/// "Try as": while the demo is offered, a visitor can sign in as any of the demo organisation's people, without a
/// password, to live a cycle as facilitator, manager, learner, teacher and partner. Never anyone of another organisation.
/// </summary>
public sealed class DemoPeople(TacitDbContext db, DemoAvailability availability, TenantContext tenant,
    UserManager<TacitUser> users, SignInManager<TacitUser> signIn)
{
    public const int PageSize = 20;

    public async Task<(IReadOnlyList<DemoPerson> People, int Total)> ListAsync(string? search, int page, CancellationToken cancellationToken = default)
    {
        await availability.RequireOfferedAsync(cancellationToken);
        var demo = await DemoOrganisationAsync(cancellationToken);
        if (demo is null) return ([], 0);
        var people = db.People.IgnoreQueryFilters().AsNoTracking().Where(p => p.OrganisationId == demo && p.IsActive);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            people = people.Where(p => p.DisplayName.ToLower().Contains(term) || p.Department.ToLower().Contains(term) || p.JobTitle.ToLower().Contains(term));
        }
        var total = await people.CountAsync(cancellationToken);
        // Facilitators and admins first, then managers, so that every role is one click away.
        var listed = await people
            .Select(p => new
            {
                p.Id, p.DisplayName, p.JobTitle, p.Department, p.Roles,
                Reports = db.People.IgnoreQueryFilters().Count(r => r.OrganisationId == demo && r.ManagerId == p.Id && r.IsActive),
            })
            .OrderByDescending(p => p.Roles).ThenByDescending(p => p.Reports > 0).ThenBy(p => p.DisplayName)
            .Skip((Math.Max(page, 1) - 1) * PageSize).Take(PageSize)
            .ToListAsync(cancellationToken);
        return (listed.Select(p => new DemoPerson(p.Id, p.DisplayName, p.JobTitle, p.Department, p.Roles, p.Reports)).ToList(), total);
    }

    /// <summary>Signs the visitor in as one of the demo's people, giving them an account without a password if they have none.</summary>
    public async Task SignInAsAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await availability.RequireOfferedAsync(cancellationToken);
        var demo = await DemoOrganisationAsync(cancellationToken);
        var person = await db.People.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == personId && p.OrganisationId == demo && p.IsActive, cancellationToken)
            ?? throw new NotFoundException("That person is not in the demo organisation.");
        tenant.Use(person.OrganisationId);
        var user = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person.Id, cancellationToken);
        if (user is null)
        {
            user = new TacitUser { UserName = person.Email, Email = person.Email, OrganisationId = person.OrganisationId, PersonId = person.Id, EmailConfirmed = true };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        await signIn.SignInAsync(user, isPersistent: false);
    }

    private async Task<Guid?> DemoOrganisationAsync(CancellationToken cancellationToken) =>
        await db.Organisations.Where(o => o.IsDemo).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
}
