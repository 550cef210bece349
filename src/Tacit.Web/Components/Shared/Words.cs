namespace Tacit.Web.Components.Shared;

/// <summary>Small pieces of page text.</summary>
public static class Words
{
    /// <summary>"1 row", "3 rows"; "1 person", "2 people" when the plural is irregular.</summary>
    public static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
