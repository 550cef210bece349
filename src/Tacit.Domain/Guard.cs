namespace Tacit.Domain;

/// <summary>
/// Input checks shared by the entities, each failing with a message a person can act on. The <c>…Problem</c>
/// forms return that same message instead of throwing, for callers that check many rows at once (an import).
/// </summary>
public static class Guard
{
    public static string Required(string? value, string field, string label, int maxLength) =>
        RequiredProblem(value, label, maxLength) is { } problem ? throw new DomainException(problem, field) : value!.Trim();

    public static string? RequiredProblem(string? value, string label, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) return $"{label} is required.";
        return OptionalProblem(trimmed, label, maxLength);
    }

    public static string Optional(string? value, string field, string label, int maxLength) =>
        OptionalProblem(value, label, maxLength) is { } problem ? throw new DomainException(problem, field) : value?.Trim() ?? "";

    public static string? OptionalProblem(string? value, string label, int maxLength) =>
        (value?.Trim().Length ?? 0) > maxLength ? $"{label} must be at most {maxLength} characters."
        : HasControlCharacter(value) ? $"{label} contains a control character (such as NUL); remove it and try again."
        : null;

    /// <summary>Control characters other than tab and line breaks: PostgreSQL cannot store NUL, and none of them is text a person means.</summary>
    public static bool HasControlCharacter(string? value) =>
        value is not null && value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    /// <summary>
    /// How far from now Tacit plans, either way: a date beyond is a slip of the keyboard (9999 for 2026), refused before
    /// it reaches date arithmetic at the calendar's ends.
    /// </summary>
    public const int HorizonYears = 2;

    public static bool IsWithinHorizon(DateTimeOffset moment, DateTimeOffset now) =>
        moment >= now.AddYears(-HorizonYears) && moment <= now.AddYears(HorizonYears);

    public static bool IsWithinHorizon(DateOnly date, DateOnly today) =>
        date >= today.AddYears(-HorizonYears) && date <= today.AddYears(HorizonYears);

    public static int InRange(int value, int min, int max, string field, string label) =>
        InRangeProblem(value, min, max, label) is { } problem ? throw new DomainException(problem, field) : value;

    public static string? InRangeProblem(int value, int min, int max, string label) =>
        value < min || value > max ? $"{label} must be between {min} and {max}." : null;

    /// <summary>The longest address mail can carry (RFC 5321).</summary>
    public const int EmailMaxLength = 254;

    public static string Email(string? value, string field = "Email") =>
        EmailProblem(value) is { } problem ? throw new DomainException(problem, field) : value!.Trim().ToLowerInvariant();

    public static string? EmailProblem(string? value)
    {
        if (RequiredProblem(value, "Email", EmailMaxLength) is { } problem) return problem;
        var email = value!.Trim().ToLowerInvariant();
        return IsEmail(email) ? null : $"'{email}' is not a valid email address.";
    }

    public static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1) return false;
        var domain = value[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.')
            && !value.Any(char.IsWhiteSpace) && !value.Contains(',', StringComparison.Ordinal);
    }
}
