using System.Text.RegularExpressions;

namespace Tacit.Domain.People;

/// <summary>
/// The words an erased person's data is replaced with (GDPR article 17): what stays for the organisation's figures keeps
/// its shape, and nothing in it names or describes the person (docs/security.md, "Erasing a person").
/// </summary>
public static class Erasure
{
    /// <summary>The name an erased person is shown under wherever their past sessions and answers are still counted.</summary>
    public const string ErasedName = "Erased person";

    /// <summary>What stands in for a text the person wrote, where a count depends on the text being there.</summary>
    public const string RemovedText = "(removed at the person's request)";

    /// <summary>The placeholder address an erased person keeps: unique, never deliverable (RFC 2606 reserves .invalid).</summary>
    public static string ErasedEmail(Guid personId) => $"erased-{personId:N}@erased.invalid";

    /// <summary>
    /// Replaces the person's name and email in a text written about them for someone else, such as a mail. The name is
    /// replaced as a whole word only (a hyphen joins words), so erasing "Ann" leaves "Annual" and "Ann-Marie" alone and makes
    /// "Ann's" "Erased person's".
    /// </summary>
    public static string Redact(string text, string name, string email)
    {
        var redacted = email.Length == 0 ? text : text.Replace(email, "(address removed)", StringComparison.OrdinalIgnoreCase);
        return name.Length == 0 ? redacted
            : Regex.Replace(redacted, $@"(?<![\w-]){Regex.Escape(name)}(?![\w-])", ErasedName, RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
