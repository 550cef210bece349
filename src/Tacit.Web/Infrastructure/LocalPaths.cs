namespace Tacit.Web.Infrastructure;

public static class LocalPaths
{
    /// <summary>Only paths of this site: no scheme, no host, and no control characters a browser would drop.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(c => char.IsControl(c) || c == '\\');
}
