namespace Tacit.Domain.People;

/// <summary>What a person may do in their organisation. Everyone is a member; the others add to it.</summary>
[Flags]
public enum Roles
{
    Member = 1,
    Facilitator = 2,
    Admin = 4,
}

public static class RoleNames
{
    public const string Member = nameof(Roles.Member);
    public const string Facilitator = nameof(Roles.Facilitator);
    public const string Admin = nameof(Roles.Admin);

    public static IEnumerable<string> Of(Roles roles) =>
        Enum.GetValues<Roles>().Where(r => roles.HasFlag(r)).Select(r => r.ToString());

    public static bool TryParse(string? value, out Roles role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role);
}
