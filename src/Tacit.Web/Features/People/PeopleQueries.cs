using Microsoft.EntityFrameworkCore;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Features.People;

public sealed record PersonSummary(Guid Id, string DisplayName, string JobTitle, string Department, string Location, bool IsActive);

public sealed record DirectoryFilter(string? Query, string? Department, Guid? SkillId, bool IncludeInactive = false);

/// <summary>A person named on someone's profile: their manager or one of their reports.</summary>
public sealed record PersonLink(Guid Id, string DisplayName);

public sealed record ProfileShare(string Skill, int Level, int SessionsPerCycle, bool AcceptsGroups, int MaxGroupSize);

public sealed record ProfileWant(string Skill, Priority Priority);

/// <summary>What a person's profile shows: their details, manager and reports, what they share and want, and their recognition.</summary>
public sealed record PersonProfile(Person Person, PersonLink? Manager, bool HasAccount, IReadOnlyList<ProfileShare> Shares,
    IReadOnlyList<ProfileWant> Wants, IReadOnlyList<PersonLink> Reports, PersonRecognition Recognition);

/// <summary>
/// Reading people, for the people pages and the API alike: the directory's search on the organisation's directory
/// from <see cref="DirectoryIndex"/>, its departments, one person, and a profile.
/// </summary>
public sealed class PeopleQueries(TacitDbContext db, DirectoryIndex directory, TimeProvider clock, CurrentUser current)
{
    public async Task<Page<PersonSummary>> SearchAsync(DirectoryFilter filter, Paging paging, CancellationToken cancellationToken = default)
    {
        IReadOnlySet<Guid>? sharers = null;
        if (filter.SkillId is { } skillId)
            sharers = (await db.Shares.AsNoTracking().Where(s => s.SkillId == skillId).Select(s => s.PersonId).ToListAsync(cancellationToken)).ToHashSet();
        var snapshot = await directory.CurrentAsync(db, cancellationToken);
        var (people, total) = snapshot.Search(new DirectorySearch(filter.Query, filter.Department, sharers, filter.IncludeInactive), paging.Skip, paging.PageSize);
        return new Page<PersonSummary>([.. people.Select(p => p.Summary())], paging.PageNumber, paging.PageSize, total);
    }

    /// <summary>Every department someone is in, in order.</summary>
    public async Task<IReadOnlyList<string>> DepartmentsAsync(CancellationToken cancellationToken = default) =>
        (await directory.CurrentAsync(db, cancellationToken)).Departments;

    public Task<Person?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);

    public Task<string?> EmailOfAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.People.Where(p => p.Id == id).Select(p => p.Email).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The profile, in <see cref="ProfileQuery"/>'s one query; recognition is read only for someone who has held sessions.</summary>
    public async Task<PersonProfile?> ProfileAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (await ProfileQuery.ReadAsync(db, id, now, cancellationToken) is not { } found) return null;
        var person = found.Person;
        var items = found.Items;
        return new PersonProfile(person,
            person.ManagerId is { } managerId && found.ManagerName is { } managerName ? new PersonLink(managerId, managerName) : null,
            found.HasAccount,
            [.. items.Where(x => x.Kind == ProfileItem.Share).OrderBy(x => x.Name, StringComparer.Ordinal)
                .Select(x => new ProfileShare(x.Name!, x.Level ?? 0, x.SessionsPerCycle ?? 0, x.AcceptsGroups ?? false, x.MaxGroupSize ?? 0))],
            [.. items.Where(x => x.Kind == ProfileItem.Want).OrderByDescending(x => x.Priority).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Select(x => new ProfileWant(x.Name!, x.Priority ?? Priority.Low))],
            [.. items.Where(x => x.Kind == ProfileItem.Report).OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => new PersonLink(x.ReportId!.Value, x.Name!))],
            // Recognition counts only as the person allows (docs/security.md, "Evidence shared by consent").
            found.HasSessions && person.ShowsRecognitionTo(current.PersonId) ? await RecognitionQueries.ForAsync(db, person.Id, now, cancellationToken) : RecognitionQueries.None);
    }
}
