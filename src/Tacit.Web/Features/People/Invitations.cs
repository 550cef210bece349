using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Integrations;
using Tacit.Domain.Notifications;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

/// <summary>Where a person stands on the way to signing in.</summary>
public enum AccountState
{
    /// <summary>Never invited.</summary>
    NotInvited,
    /// <summary>Invited; the link still works and has not been used.</summary>
    Invited,
    /// <summary>Every invitation they were sent has expired.</summary>
    Expired,
    /// <summary>Has a password and can sign in.</summary>
    CanSignIn,
}

/// <summary>Who is asked to join, in one action.</summary>
public enum InvitationAudience
{
    /// <summary>Everyone active who cannot sign in and was never invited.</summary>
    NotInvited,
    /// <summary>Everyone invited whose invitation was not accepted (waiting or expired): a new link replaces the old.</summary>
    NotAccepted,
    /// <summary>Everyone in one department who cannot sign in yet.</summary>
    Department,
    /// <summary>Everyone added to the directory at or after a moment (the people an import just added) who cannot sign in yet.</summary>
    AddedSince,
    /// <summary>The people chosen one by one who cannot sign in yet.</summary>
    Selection,
}

public sealed record InvitationChoice(InvitationAudience Audience, string? Department = null, DateTimeOffset? AddedSince = null, IReadOnlyCollection<Guid>? Selection = null);

public sealed record InvitationSummary(int People, int CanSignIn, int Invited, int Expired, int NotInvited);

public sealed record InvitationRow(Guid PersonId, string Name, string Email, string Department, AccountState State, DateTimeOffset? InvitedAt);

/// <summary>
/// Invitations: an emailed link with which a person sets their password and signs in for the first time. Only the link's
/// hash is stored. An admin invites one person or many at once; the mails go through the outbox, so inviting thousands
/// never waits for the mail server, a server that is down loses none, and no link is ever shown to the admin. A cycle's email to someone without an account
/// carries a link of its own that lands them, once their password is set, on the page the email is about.
/// </summary>
public sealed class Invitations(TacitDbContext db, LinkBuilder links, Audit.AuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(14);

    /// <summary>
    /// A new invitation for the person, added to the unit of work (the caller saves it); returns the link. An admin's
    /// invitation replaces the person's older unused ones; a cycle email's link leaves earlier links working.
    /// </summary>
    public string Mint(Person person, bool replaceOlder, string? thenPath = null)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = clock.GetUtcNow();
        if (replaceOlder) db.Invitations.RemoveRange(db.Invitations.Where(i => i.PersonId == person.Id && i.AcceptedAt == null));
        db.Invitations.Add(new Invitation
        {
            OrganisationId = person.OrganisationId, PersonId = person.Id, TokenHash = ApiToken.HashOf(secret),
            CreatedAt = now, ExpiresAt = now + ValidFor,
        });
        var link = links.To($"/invitation/{secret}");
        return thenPath is null ? link : $"{link}?then={Uri.EscapeDataString(thenPath)}";
    }

    /// <summary>
    /// A new invitation for the person, replacing their older unused ones, and its mail in the outbox, both added to the
    /// unit of work (the caller saves them); returns the link.
    /// </summary>
    public string Queue(Person person, string organisationName)
    {
        var link = Mint(person, replaceOlder: true);
        var (subject, body) = Letter(person, organisationName, link);
        db.OutgoingMail.Add(new OutgoingMail(person.OrganisationId, person.Email, person.DisplayName, subject, body, null, null, clock.GetUtcNow()));
        audit.Record("person.invited", person.DisplayName);
        return link;
    }

    public static (string Subject, string Body) Letter(Person person, string organisationName, string link) =>
        ($"You are invited to {organisationName} on Tacit",
        $"""
        Hello {person.DisplayName},

        You have been invited to join {organisationName} on Tacit, where colleagues share what they know
        and learn from each other.

        Set your password and sign in here (the link works for {ValidFor.Days} days):
        {link}
        """);

    /// <summary>The active people and where each stands: the query every figure and list of this page is read from.</summary>
    private IQueryable<StateRow> States()
    {
        var now = clock.GetUtcNow();
        return db.People.Where(p => p.IsActive).Select(p => new StateRow
        {
            Person = p,
            CanSignIn = db.Users.Any(u => u.PersonId == p.Id && u.OrganisationId == p.OrganisationId && u.PasswordHash != null),
            Waiting = db.Invitations.Any(i => i.PersonId == p.Id && i.AcceptedAt == null && i.ExpiresAt > now),
            EverInvited = db.Invitations.Any(i => i.PersonId == p.Id),
            InvitedAt = db.Invitations.Where(i => i.PersonId == p.Id).Max(i => (DateTimeOffset?)i.CreatedAt),
        });
    }

    private sealed class StateRow
    {
        public required Person Person { get; init; }
        public bool CanSignIn { get; init; }
        public bool Waiting { get; init; }
        public bool EverInvited { get; init; }
        public DateTimeOffset? InvitedAt { get; init; }
    }

    public async Task<InvitationSummary> SummaryAsync(CancellationToken ct = default)
    {
        var figures = await States().GroupBy(_ => 1).Select(g => new
        {
            People = g.Count(),
            CanSignIn = g.Count(r => r.CanSignIn),
            Invited = g.Count(r => !r.CanSignIn && r.Waiting),
            Expired = g.Count(r => !r.CanSignIn && !r.Waiting && r.EverInvited),
        }).SingleOrDefaultAsync(ct);
        return figures is null ? new InvitationSummary(0, 0, 0, 0, 0)
            : new InvitationSummary(figures.People, figures.CanSignIn, figures.Invited, figures.Expired,
                figures.People - figures.CanSignIn - figures.Invited - figures.Expired);
    }

    /// <summary>The people who cannot sign in yet, for choosing whom to invite; by name, in pages.</summary>
    public async Task<(IReadOnlyList<InvitationRow> Rows, int Total)> NotSignedInAsync(string? department, int page, int pageSize, CancellationToken ct = default)
    {
        var rows = States().Where(r => !r.CanSignIn);
        if (!string.IsNullOrEmpty(department)) rows = rows.Where(r => r.Person.Department == department);
        var total = await rows.CountAsync(ct);
        var listed = await rows.OrderBy(r => r.Person.DisplayName).ThenBy(r => r.Person.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(r => new { r.Person.Id, r.Person.DisplayName, r.Person.Email, r.Person.Department, r.Waiting, r.EverInvited, r.InvitedAt })
            .ToListAsync(ct);
        return (listed.Select(r => new InvitationRow(r.Id, r.DisplayName, r.Email, r.Department,
            r.Waiting ? AccountState.Invited : r.EverInvited ? AccountState.Expired : AccountState.NotInvited, r.InvitedAt)).ToList(), total);
    }

    public async Task<IReadOnlyList<string>> DepartmentsAsync(CancellationToken ct = default) =>
        await db.People.Where(p => p.IsActive && p.Department != "").Select(p => p.Department).Distinct().OrderBy(d => d).ToListAsync(ct);

    /// <summary>How many people the choice would email, for the confirmation.</summary>
    public Task<int> CountAsync(InvitationChoice choice, CancellationToken ct = default) => Audience(choice).CountAsync(ct);

    /// <summary>Invites everyone the choice names, in one transaction: their invitations and the mails to send them.</summary>
    /// <returns>How many were invited.</returns>
    public async Task<int> SendAsync(InvitationChoice choice, CancellationToken ct = default)
    {
        if (choice.Audience == InvitationAudience.Department && string.IsNullOrWhiteSpace(choice.Department))
            throw new DomainException("Choose a department.", nameof(InvitationChoice.Department));
        if (choice.Audience == InvitationAudience.AddedSince && choice.AddedSince is null)
            throw new DomainException("Say since when people were added.", nameof(InvitationChoice.AddedSince));
        if (choice.Audience == InvitationAudience.Selection && (choice.Selection is null || choice.Selection.Count == 0))
            throw new DomainException("Choose at least one person.", nameof(InvitationChoice.Selection));
        var people = await Audience(choice).ToListAsync(ct);
        if (people.Count == 0) return 0;
        var organisationName = await db.Organisations.Where(o => o.Id == db.CurrentOrganisationId).Select(o => o.Name).SingleAsync(ct);
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        foreach (var person in people) Queue(person, organisationName);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return people.Count;
    }

    private IQueryable<Person> Audience(InvitationChoice choice)
    {
        var rows = States().Where(r => !r.CanSignIn);
        rows = choice.Audience switch
        {
            InvitationAudience.NotInvited => rows.Where(r => !r.EverInvited),
            InvitationAudience.NotAccepted => rows.Where(r => r.EverInvited),
            InvitationAudience.Department => rows.Where(r => r.Person.Department == (choice.Department ?? "")),
            InvitationAudience.AddedSince when choice.AddedSince is { } since => rows.Where(r => r.Person.CreatedAt >= since),
            InvitationAudience.Selection => rows.Where(r => (choice.Selection ?? Array.Empty<Guid>()).Contains(r.Person.Id)),
            _ => rows.Where(_ => false),
        };
        return rows.Select(r => r.Person);
    }
}
