using Microsoft.EntityFrameworkCore;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.People;

public sealed record PersonSummary(Guid Id, string DisplayName, string JobTitle, string Department, string Location, bool IsActive);

public sealed record DirectoryFilter(string? Query, string? Department, Guid? SkillId, bool IncludeInactive = false);

/// <summary>The directory's search, shared by the page and the API, on the organisation's directory from <see cref="DirectoryIndex"/>.</summary>
public static class PeopleQueries
{
    public static async Task<Page<PersonSummary>> SearchAsync(TacitDbContext db, DirectorySnapshot snapshot, DirectoryFilter filter, Paging paging,
        CancellationToken cancellationToken = default)
    {
        IReadOnlySet<Guid>? sharers = null;
        if (filter.SkillId is { } skillId)
            sharers = (await db.Shares.AsNoTracking().Where(s => s.SkillId == skillId).Select(s => s.PersonId).ToListAsync(cancellationToken)).ToHashSet();
        var (people, total) = snapshot.Search(new DirectorySearch(filter.Query, filter.Department, sharers, filter.IncludeInactive), paging.Skip, paging.PageSize);
        return new Page<PersonSummary>([.. people.Select(p => p.Summary())], paging.PageNumber, paging.PageSize, total);
    }
}
