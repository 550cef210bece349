using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Organisations;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Skills;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Organisations;

public sealed record CreateOrganisation(string Name, string Slug, string AdminName, string AdminEmail, string? AdminPassword, bool IsDemo = false);

public sealed record CreatedOrganisation(Organisation Organisation, Person Admin, TacitUser AdminUser);

/// <summary>
/// Sign-up: a new organisation, its starter skill catalogue and its first admin, all or nothing.
/// Without a password the admin gets an account with none set, to be completed from an invitation link.
/// </summary>
public sealed class CreateOrganisationHandler(TacitDbContext db, UserManager<TacitUser> users, TenantContext tenant,
    StarterCatalogue catalogue, TimeProvider clock)
{
    public async Task<CreatedOrganisation> HandleAsync(CreateOrganisation command, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var organisation = new Organisation(command.Name, command.Slug, now, command.IsDemo);
        var email = Guard.Email(command.AdminEmail, nameof(CreateOrganisation.AdminEmail));
        await EnsureSlugIsFreeAsync(organisation.Slug, cancellationToken);
        if (await users.FindByEmailAsync(email) is not null)
            throw new ConflictException("An account with this email already exists; sign in instead.", nameof(CreateOrganisation.AdminEmail));

        if (tenant.HasOrganisation)
            throw new ConflictException("You are signed in to an organisation already; sign out to create another one.");
        tenant.Use(organisation.Id);
        // Joins the caller's transaction when there is one (the demo loader adds to the same unit of work).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        db.Organisations.Add(organisation);
        var admin = new Person(organisation.Id, email, command.AdminName, now);
        admin.SetRoles(Roles.Member | Roles.Facilitator | Roles.Admin);
        db.People.Add(admin);
        catalogue.AddTo(organisation.Id);
        await db.SaveChangesAsync(cancellationToken);

        var user = new TacitUser { UserName = email, Email = email, OrganisationId = organisation.Id, PersonId = admin.Id, EmailConfirmed = true };
        var result = command.AdminPassword is null ? await users.CreateAsync(user) : await users.CreateAsync(user, command.AdminPassword);
        if (!result.Succeeded)
            throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)), nameof(CreateOrganisation.AdminPassword));
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        return new CreatedOrganisation(organisation, admin, user);
    }

    /// <exception cref="ConflictException">Another organisation has the URL name.</exception>
    public async Task EnsureSlugIsFreeAsync(string slug, CancellationToken cancellationToken = default)
    {
        if (await db.Organisations.AnyAsync(o => o.Slug == slug, cancellationToken))
            throw new ConflictException($"The URL name '{slug}' is taken; choose another.", nameof(Organisation.Slug));
    }
}
