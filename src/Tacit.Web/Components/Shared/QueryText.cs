using System.Globalization;

namespace Tacit.Web.Components.Shared;

/// <summary>
/// Typed values read from a page's query string. Pages take query values as text and read them here, because a typed
/// <c>[SupplyParameterFromQuery]</c> fails the whole request on <c>?page=abc</c>; a value that cannot be read is as if absent.
/// </summary>
public static class QueryText
{
    public const int MaxPage = 1_000_000;

    /// <summary>A page number from 1 to <see cref="MaxPage"/>; 1 otherwise.</summary>
    public static int Page(string? text) => Number(text) is { } n and >= 1 and <= MaxPage ? n : 1;

    public static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static Guid? Id(string? text) => Guid.TryParse(text, out var id) ? id : null;

    public static bool Flag(string? text) => text is not null && (bool.TryParse(text, out var on) ? on : text == "1");
}
