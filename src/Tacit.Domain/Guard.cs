namespace Tacit.Domain;

/// <summary>Input checks shared by the entities, each failing with a message a person can act on.</summary>
public static class Guard
{
    public static string Required(string? value, string field, string label, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) throw new DomainException($"{label} is required.", field);
        if (trimmed.Length > maxLength) throw new DomainException($"{label} must be at most {maxLength} characters.", field);
        return trimmed;
    }

    public static string Optional(string? value, string field, string label, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length > maxLength) throw new DomainException($"{label} must be at most {maxLength} characters.", field);
        return trimmed;
    }

    public static int InRange(int value, int min, int max, string field, string label)
    {
        if (value < min || value > max) throw new DomainException($"{label} must be between {min} and {max}.", field);
        return value;
    }

    public static string Email(string? value, string field = "Email")
    {
        var email = Required(value, field, "Email", 254).ToLowerInvariant();
        if (!IsEmail(email)) throw new DomainException($"'{email}' is not a valid email address.", field);
        return email;
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
