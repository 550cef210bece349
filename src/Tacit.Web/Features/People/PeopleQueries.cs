using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NpgsqlTypes;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.People;

public sealed record PersonSummary(Guid Id, string DisplayName, string JobTitle, string Department, string Location, bool IsActive);

public sealed record DirectoryFilter(string? Query, string? Department, Guid? SkillId, bool IncludeInactive = false);

/// <summary>The directory's search, shared by the page and the API.</summary>
public static class PeopleQueries
{
    public static async Task<Page<PersonSummary>> SearchAsync(TacitDbContext db, DirectoryFilter filter, Paging paging, CancellationToken cancellationToken = default)
    {
        if (db is PostgresTacitDbContext && filter.Department is null && filter.SkillId is null && SearchWords(filter.Query) is { Count: > 0 } words)
            return await SearchByNameWordsAsync(db, words, filter.IncludeInactive, paging, cancellationToken);
        IQueryable<Person> people = db.People.AsNoTracking();
        if (!filter.IncludeInactive) people = people.Where(p => p.IsActive);
        if (!string.IsNullOrWhiteSpace(filter.Query)) people = Matching(db, people, filter.Query);
        if (!string.IsNullOrWhiteSpace(filter.Department))
            people = people.Where(p => p.Department == filter.Department);
        if (filter.SkillId is { } skillId)
            people = people.Where(p => db.Shares.Any(s => s.PersonId == p.Id && s.SkillId == skillId));

        // Counting stops past the cap: "1,000+ people" reads well and costs little in a large organisation.
        var total = await people.Take(Paging.CountCap + 1).CountAsync(cancellationToken);
        var items = await people.OrderBy(p => p.DisplayName).ThenBy(p => p.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(p => new PersonSummary(p.Id, p.DisplayName, p.JobTitle, p.Department, p.Location, p.IsActive))
            .ToListAsync(cancellationToken);
        return new Page<PersonSummary>(items, paging.PageNumber, paging.PageSize, total);
    }

    /// <summary>The words of a name search, or none when the term is part of an email (it has "@" or ".") or empty.</summary>
    private static List<string> SearchWords(string? query)
    {
        var term = query?.Trim().ToLowerInvariant() ?? "";
        if (term.Length == 0 || term.Contains('@', StringComparison.Ordinal) || term.Contains('.', StringComparison.Ordinal)) return [];
        return [.. System.Text.RegularExpressions.Regex.Split(term, @"[^\p{L}\p{N}]+").Where(w => w.Length > 0).Distinct()];
    }

    /// <summary>
    /// The name search on PostgreSQL without other filters, on the <c>PersonWords</c> index (see the RemindersReviewAndOutbox migration): the
    /// first word's prefix range gives the candidates already carrying the name they sort by, every further word must
    /// start another of the person's words, and only the page's people are read from the people table. A common prefix
    /// (6 % of 100,000 people) thus costs an index-only scan and a sort of its entries, not thousands of row reads.
    /// </summary>
    private static async Task<Page<PersonSummary>> SearchByNameWordsAsync(TacitDbContext db, List<string> words, bool includeInactive,
        Paging paging, CancellationToken cancellationToken)
    {
        // Words hold only letters and digits, so they need no escaping inside LIKE patterns.
        var parameters = new List<object> { new Npgsql.NpgsqlParameter("organisation", db.CurrentOrganisationId) };
        var from = new System.Text.StringBuilder("""FROM "PersonWords" w WHERE w."OrganisationId" = @organisation AND w."Word" LIKE @w0""");
        parameters.Add(new Npgsql.NpgsqlParameter("w0", words[0] + "%"));
        if (!includeInactive) from.Append(""" AND w."IsActive" """);
        for (int i = 1; i < words.Count; i++)
        {
            from.Append($"""
                 AND EXISTS (SELECT 1 FROM "PersonWords" o WHERE o."PersonId" = w."PersonId" AND o."Word" LIKE @w{i})
                """);
            parameters.Add(new Npgsql.NpgsqlParameter($"w{i}", words[i] + "%"));
        }
        parameters.Add(new Npgsql.NpgsqlParameter("cap", Paging.CountCap + 1));
        parameters.Add(new Npgsql.NpgsqlParameter("skip", paging.Skip));
        parameters.Add(new Npgsql.NpgsqlParameter("take", paging.PageSize));
        // Only parameter names and fixed SQL are put together here; every value is a parameter.
        var countSql = """SELECT count(*)::int AS "Value" FROM (SELECT DISTINCT w."PersonId" """ + from + """ LIMIT @cap) AS matches""";
        var pageSql = """SELECT w."PersonId" AS "Value" """ + from
            + """ GROUP BY w."DisplayName", w."PersonId" ORDER BY w."DisplayName", w."PersonId" OFFSET @skip LIMIT @take""";
        var total = await db.Database.SqlQueryRaw<int>(countSql, [.. parameters.Select(Clone)]).SingleAsync(cancellationToken);
        var ids = await db.Database.SqlQueryRaw<Guid>(pageSql, [.. parameters.Select(Clone)]).ToListAsync(cancellationToken);
        var found = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new PersonSummary(p.Id, p.DisplayName, p.JobTitle, p.Department, p.Location, p.IsActive))
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        return new Page<PersonSummary>([.. ids.Where(found.ContainsKey).Select(id => found[id])], paging.PageNumber, paging.PageSize, total);

        // A parameter belongs to one command; each query gets its own copies.
        static object Clone(object parameter) => ((Npgsql.NpgsqlParameter)parameter).Clone();
    }

    /// <summary>
    /// People whose name, job title or email has words starting with every word typed ("ben sa" finds Ben Saunders,
    /// not Reuben). On PostgreSQL the words come from a stored tsvector with a GIN index, so a short, common prefix
    /// stays quick at 100,000 people. A term with "@" or "." is looked for as it is, anywhere (part of an email).
    /// </summary>
    private static IQueryable<Person> Matching(TacitDbContext db, IQueryable<Person> people, string query)
    {
        var term = query.Trim().ToLowerInvariant();
        var words = System.Text.RegularExpressions.Regex.Split(term, @"[^\p{L}\p{N}]+").Where(w => w.Length > 0).ToList();
        if (words.Count == 0 || term.Contains('@', StringComparison.Ordinal) || term.Contains('.', StringComparison.Ordinal))
            return people.Where(p => p.SearchText.Contains(term));
        if (db is PostgresTacitDbContext)
        {
            var prefixes = string.Join(" & ", words.Select(w => w + ":*"));
            return people.Where(p => EF.Property<NpgsqlTsVector>(p, PostgresTacitDbContext.SearchVector).Matches(EF.Functions.ToTsQuery("simple", prefixes)));
        }
        // Elsewhere (SQLite) a word starts the text or follows a space, hyphen or apostrophe (Anne-Marie, O'Brien).
        foreach (var word in words)
        {
            var (afterSpace, afterHyphen, afterApostrophe) = (" " + word, "-" + word, "'" + word);
            people = people.Where(p => (" " + p.SearchText).Contains(afterSpace) || p.SearchText.Contains(afterHyphen) || p.SearchText.Contains(afterApostrophe));
        }
        return people;
    }

    /// <summary>
    /// The organisation's departments, for the directory's filter. Listing them reads every person, so the
    /// list is kept for a minute (a new department shows in the filter a little later), and when it runs
    /// out only one request reads it again while the others wait for that result.
    /// </summary>
    public static async Task<List<string>> DepartmentsAsync(TacitDbContext db, IMemoryCache cache)
    {
        var key = ("departments", db.CurrentOrganisationId);
        var shared = cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            return new Lazy<Task<List<string>>>(() => db.People.AsNoTracking().Where(p => p.Department != "")
                .Select(p => p.Department).Distinct().OrderBy(d => d).ToListAsync());
        })!;
        try
        {
            return await shared.Value;
        }
        catch
        {
            cache.Remove(key);
            throw;
        }
    }
}
