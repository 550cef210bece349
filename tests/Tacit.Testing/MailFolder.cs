namespace Tacit.Testing;

/// <summary>
/// The mails the app wrote to its pickup folder (<c>Smtp:PickupFolder</c>), as text with quoted-printable soft line
/// breaks and "=3D" undone, so an address or a link can be looked for whole.
/// </summary>
/// <param name="serverLog">What the server logged, told when a wait fails (the Web tests' app passes its errors).</param>
public sealed class MailFolder(string path, Func<string>? serverLog = null)
{
    /// <summary>Every mail written so far, newest first; one the mailer is still writing reads as "".</summary>
    public IReadOnlyList<string> All() => Directory.Exists(path)
        ? [.. Directory.EnumerateFiles(path, "*.eml").OrderByDescending(f => f, StringComparer.Ordinal).Select(Read)]
        : [];

    /// <summary>The newest mail that mentions a text (an address, say), written already.</summary>
    public string Latest(string containing) => All().First(m => m.Contains(containing, StringComparison.OrdinalIgnoreCase));

    /// <summary>The newest mail that matches, once the background mailer has written it.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string what)
    {
        string? found = null;
        try
        {
            await Poll.UntilAsync(() => (found = All().FirstOrDefault(match)) is not null, $"A mail {what}");
        }
        catch (TimeoutException e)
        {
            // A wait that fails once in many runs has to say why from that run's output: what was written instead, and
            // what the server logged.
            var log = serverLog?.Invoke() ?? "";
            if (log.Length > 8000) log = "…" + log[^8000..];
            throw new TimeoutException($"{e.Message}\nThe newest mails written: {Headlines(20)}"
                + (log.Length > 0 ? $"\nWhat the server logged:\n{log}" : "\nThe server logged no error."), e);
        }
        return found!;
    }

    /// <summary>The To and Subject lines of the newest mails, one mail a line.</summary>
    private string Headlines(int count) =>
        string.Join("", All().Take(count).Select(m => "\n  " + string.Join(" | ", m.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("To:", StringComparison.Ordinal) || l.StartsWith("Subject:", StringComparison.Ordinal)))));

    /// <summary>The newest mail to someone that contains a text.</summary>
    public Task<string> WaitForMailToAsync(string email, string containing) =>
        WaitForAsync(m => IsTo(m, email) && m.Contains(containing, StringComparison.Ordinal), $"to {email} containing '{containing}'");

    public static bool IsTo(string mail, string email) =>
        mail.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase) || mail.Contains($"<{email}>", StringComparison.OrdinalIgnoreCase);

    private static string Read(string file)
    {
        try { return File.ReadAllText(file).Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal); }
        catch (IOException) { return ""; }
    }
}
