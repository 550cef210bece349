namespace Tacit.Web.Api;

/// <summary>One page of a list. Pages start at 1; a page size above 200 is treated as 200.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

public readonly record struct Paging(int PageNumber, int PageSize)
{
    public const int MaxPageSize = 200;

    public static Paging From(int? page, int? pageSize, int defaultSize = 25) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public int Skip => (PageNumber - 1) * PageSize;
}
