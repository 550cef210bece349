using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

public sealed record ProfileInput(string DisplayName, string? JobTitle, string? Department, int AuthorityLevel,
    string? Location, string? TimeZone, string? Bio);

/// <summary>
/// What an admin's save did: the person as saved, and, when their sign-in address is to move to their new email, the
/// address they sign in with until they confirm the new one from the link mailed there (ADR-007); null otherwise.
/// </summary>
public sealed record AdministrativeChange(Person Person, string? SignsInWithUntilConfirmed);

/// <summary>
/// Creating and changing people. Anyone edits their own profile; only admins change someone else's, their
/// manager, email or roles, and deactivate them (which keeps everything of theirs and stops their sign-in).
/// </summary>
public sealed class PeopleAdministration(TacitDbContext db, UserManager<TacitUser> users, Offers.LeaverOffers leaverOffers,
    Account.SignInAddressChange addressChange, TimeProvider clock, Audit.AuditLog audit)
{
    public async Task<Person> CreateAsync(string email, ProfileInput profile, Guid? managerId, Roles roles, CancellationToken cancellationToken = default)
    {
        var person = new Person(db.CurrentOrganisationId, email, profile.DisplayName, clock.GetUtcNow());
        if (await db.People.AnyAsync(p => p.Email == person.Email, cancellationToken))
            throw new ConflictException($"{person.Email} is already in this organisation.", nameof(Person.Email));
        person.UpdateProfile(profile.DisplayName, profile.JobTitle, profile.Department, profile.AuthorityLevel, profile.Location, profile.TimeZone, profile.Bio);
        person.SetRoles(roles);
        await SetManagerAsync(person, managerId, cancellationToken);
        db.People.Add(person);
        audit.Record("person.added", person.DisplayName, string.Join(", ", RoleNames.Of(person.Roles)));
        await db.SaveChangesAsync(cancellationToken);
        return person;
    }

    public async Task<Person> UpdateProfileAsync(Actor actor, Guid personId, ProfileInput profile, CancellationToken cancellationToken = default)
    {
        var person = await FindAsync(personId, cancellationToken);
        actor.EnsureMayActFor("profile", personId);
        person.UpdateProfile(profile.DisplayName, profile.JobTitle, profile.Department, profile.AuthorityLevel, profile.Location, profile.TimeZone, profile.Bio);
        await db.SaveChangesAsync(cancellationToken);
        return person;
    }

    /// <summary>Replaces profile and administrative details together, or neither.</summary>
    public async Task<Person> ReplaceAsync(Actor actor, Guid personId, ProfileInput profile, string email, Guid? managerId, Roles roles,
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        await UpdateProfileAsync(actor, personId, profile, cancellationToken);
        var change = await UpdateAdministrativeAsync(personId, email, managerId, roles, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return change.Person;
    }

    public async Task<AdministrativeChange> UpdateAdministrativeAsync(Guid personId, string email, Guid? managerId, Roles roles, CancellationToken cancellationToken = default)
    {
        var person = await FindAsync(personId, cancellationToken);
        var normalised = Guard.Email(email);
        if (normalised != person.Email && await db.People.AnyAsync(p => p.Email == normalised, cancellationToken))
            throw new ConflictException($"{normalised} is already in this organisation.", nameof(Person.Email));
        if (person.HasRole(Roles.Admin) && !roles.HasFlag(Roles.Admin) && await IsLastAdminAsync(person, cancellationToken))
            throw new ConflictException("This is the organisation's only admin; make someone else admin first.", nameof(Person.Roles));
        await SetManagerAsync(person, managerId, cancellationToken);
        var rolesChanged = person.Roles != (roles | Roles.Member);
        if (rolesChanged)
            audit.Record("person.roles-changed", person.DisplayName, $"{string.Join(", ", RoleNames.Of(person.Roles))} → {string.Join(", ", RoleNames.Of(roles | Roles.Member))}");
        var emailChanged = normalised != person.Email;
        person.ChangeEmail(normalised);
        person.SetRoles(roles);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // The account follows the person's email once its owner confirms from the new address; until then each save
        // mails a fresh link there. Nothing here depends on whether the address has an account elsewhere (ADR-007).
        var account = await users.Users.SingleOrDefaultAsync(u => u.PersonId == person.Id, cancellationToken);
        var signsInWith = account is not null && account.Email != normalised ? account.Email : null;
        if (signsInWith is not null) await addressChange.AskAsync(account!, person);
        // Neither address goes into the log: it is kept for good, and the person's record says their email today.
        if (emailChanged)
            audit.Record("person.email-changed", person.DisplayName,
                account is null ? "no sign-in yet" : signsInWith is null ? "back to their sign-in address" : "confirmation link mailed to the new address");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (rolesChanged) await RefreshSignInAsync(person.Id);
        return new AdministrativeChange(person, signsInWith);
    }

    /// <summary>The person with this email, for a form that names a manager by email; null for none.</summary>
    public async Task<Guid?> ManagerByEmailAsync(string? email, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var normalised = Guard.Email(email, nameof(Person.ManagerId));
        return await db.People.Where(p => p.Email == normalised).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"Nobody in this organisation has the email {normalised}.", nameof(Person.ManagerId));
    }

    public Task DeactivateAsync(Guid personId, CancellationToken cancellationToken = default) => LeaveAsync(personId, audited: true, cancellationToken);

    /// <summary>
    /// Deactivates the person, by whatever door (a page, the API, SCIM): sign-in stops, open offers go back to the engine,
    /// upcoming sessions are cancelled (or go on without them) with the invitations sent, and skills only they shared
    /// show as at risk (<see cref="Knowledge.KnowledgeContinuity"/>). <paramref name="audited"/> is false only for an
    /// erasure, whose own audit entry must not name the person (<see cref="PersonErasure"/>).
    /// </summary>
    /// <returns>The upcoming sessions they left.</returns>
    internal async Task<IReadOnlyList<Tacit.Domain.Offers.Session>> LeaveAsync(Guid personId, bool audited, CancellationToken cancellationToken = default)
    {
        var person = await FindAsync(personId, cancellationToken);
        if (person.HasRole(Roles.Admin) && await IsLastAdminAsync(person, cancellationToken))
            throw new ConflictException("This is the organisation's only admin; make someone else admin first.");
        person.Deactivate();
        if (audited) audit.Record("person.deactivated", person.DisplayName);
        // Leaving closes their account and hands their open offers back, in the same save.
        var withdrawn = await leaverOffers.WithdrawAsync(person.Id, cancellationToken);
        var dropped = await leaverOffers.DropUpcomingSessionsAsync(person.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await RefreshSignInAsync(person.Id);
        await leaverOffers.RescheduleRemindersAsync(dropped, cancellationToken);
        await leaverOffers.RematchAsync(withdrawn, cancellationToken);
        return dropped;
    }

    public async Task<DateOnly?> LeavingOnAsync(Guid personId, CancellationToken cancellationToken = default) =>
        (await FindAsync(personId, cancellationToken)).LeavingOn;

    /// <summary>How far ahead a leaving date may be: further is more likely a typing slip than a plan.</summary>
    public static readonly int LeavingYearsAhead = 3;

    /// <summary>
    /// Records (or, with null, clears) the day an active person leaves, so that skills only leavers share show as at risk
    /// before they go (docs/insight.md). Only from today up to <see cref="LeavingYearsAhead"/> years ahead: someone who
    /// has left is deactivated instead.
    /// </summary>
    public async Task<DateOnly?> SetLeavingOnAsync(Guid personId, DateOnly? lastDay, CancellationToken cancellationToken = default)
    {
        var person = await FindAsync(personId, cancellationToken);
        if (!person.IsActive) throw new ConflictException("This person has left already (deactivated).");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (lastDay is { } day && (day < today || day > today.AddYears(LeavingYearsAhead)))
            throw new DomainException($"Give a last day from today to {LeavingYearsAhead} years ahead; someone who has left is deactivated instead.", nameof(Person.LeavingOn));
        if (person.LeavingOn == lastDay) return lastDay;
        person.SetLeavingOn(lastDay);
        audit.Record("person.leaving-changed", person.DisplayName, lastDay?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "cleared");
        await db.SaveChangesAsync(cancellationToken);
        return lastDay;
    }

    public async Task ReactivateAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        var person = await FindAsync(personId, cancellationToken);
        person.Reactivate();
        audit.Record("person.reactivated", person.DisplayName);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Person> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.People.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new NotFoundException("No such person.");

    private async Task<bool> IsLastAdminAsync(Person person, CancellationToken cancellationToken) =>
        !await db.People.AnyAsync(p => p.Id != person.Id && p.IsActive && ((int)p.Roles & (int)Roles.Admin) != 0, cancellationToken);

    private async Task SetManagerAsync(Person person, Guid? managerId, CancellationToken cancellationToken)
    {
        if (managerId is { } id)
        {
            if (!await db.People.AnyAsync(p => p.Id == id, cancellationToken))
                throw new DomainException("The manager must be someone in this organisation.", nameof(Person.ManagerId));
            var managerOf = await db.People.AsNoTracking().Select(p => new { p.Id, p.ManagerId }).ToDictionaryAsync(p => p.Id, p => p.ManagerId, cancellationToken);
            if (ManagerChain.WouldCreateCycle(person.Id, id, managerOf))
                throw new DomainException("That manager reports (directly or indirectly) to this person; it would make a reporting loop.", nameof(Person.ManagerId));
        }
        person.AssignManager(managerId);
    }

    /// <summary>A changed role or a deactivation takes effect at the next cookie check, not at the next sign-in.</summary>
    private async Task RefreshSignInAsync(Guid personId)
    {
        var user = await users.Users.SingleOrDefaultAsync(u => u.PersonId == personId);
        if (user is not null) await users.UpdateSecurityStampAsync(user);
    }
}
