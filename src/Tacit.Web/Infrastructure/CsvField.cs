namespace Tacit.Web.Infrastructure;

/// <summary>Writes one CSV field for files people open in a spreadsheet.</summary>
public static class CsvField
{
    /// <summary>
    /// Quotes the field when needed, and defuses spreadsheet formulas: a cell that starts with = + - @ (or a tab or
    /// carriage return, which some spreadsheets skip before reading one) gets a leading quote, so "=HYPERLINK(…)" stays text.
    /// </summary>
    public static string Safe(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
