using Microsoft.EntityFrameworkCore;

namespace Tacit.Web.Api;

/// <summary>One page of a list, and how many items the whole list has. Pages start at 1; a page size above 200 is treated as 200.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;

    /// <summary>"1 person", "6,250 people".</summary>
    public string Describe(string one, string many) => Total == 1 ? $"1 {one}" : $"{Total:N0} {many}";

    /// <summary>The same page with each item mapped, as a read model's page becomes the API's.</summary>
    public Page<TResult> Map<TResult>(Func<T, TResult> map) => new([.. Items.Select(map)], PageNumber, PageSize, Total);
}

public readonly record struct Paging(int PageNumber, int PageSize)
{
    public const int MaxPageSize = 200;

    /// <summary>The home page's count of colleagues stops here: "1,000+ colleagues" reads well and costs little.</summary>
    public const int CountCap = 1000;

    /// <summary>Far beyond any real list, and small enough that the offset never overflows.</summary>
    public const int MaxPageNumber = 1_000_000;

    public static Paging From(int? page, int? pageSize, int defaultSize = 25) =>
        new(Math.Clamp(page ?? 1, 1, MaxPageNumber), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public int Skip => (PageNumber - 1) * PageSize;
}

public static class PagingQueries
{
    /// <summary>Counts the query, reads one page of it in its given order, and maps the rows.</summary>
    public static async Task<Page<TResult>> ToPageAsync<TRow, TResult>(this IQueryable<TRow> ordered, Paging paging, Func<TRow, TResult> map,
        CancellationToken cancellationToken = default)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var rows = await ordered.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        return new Page<TResult>(rows.Select(map).ToList(), paging.PageNumber, paging.PageSize, total);
    }
}
