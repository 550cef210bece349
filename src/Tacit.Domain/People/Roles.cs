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

    /// <summary>
    /// What the roles allow: each role includes those below it (an admin may do what a facilitator may, a facilitator
    /// what a member may). The one rule, for people and API tokens alike.
    /// </summary>
    public static Roles Including(Roles roles) =>
        roles.HasFlag(Roles.Admin) ? Roles.Admin | Roles.Facilitator | Roles.Member
        : roles.HasFlag(Roles.Facilitator) ? Roles.Facilitator | Roles.Member
        : Roles.Member;

    public static IEnumerable<string> Of(Roles roles) =>
        Enum.GetValues<Roles>().Where(r => roles.HasFlag(r)).Select(r => r.ToString());

    public static bool TryParse(string? value, out Roles role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role);
}
