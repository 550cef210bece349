using Tacit.Domain.Cycles;

namespace Tacit.Domain.Offers;

/// <summary>How long each kind of session lasts, and how it is named to people: written here once.</summary>
public static class SessionKinds
{
    /// <summary>30 minutes one-to-one, an hour for a group.</summary>
    public static int Minutes(this SessionKind kind) => kind == SessionKind.Group ? 60 : 30;

    /// <summary>"a 30-minute one-to-one" or "a one-hour group session".</summary>
    public static string Describe(this SessionKind kind) => kind == SessionKind.Group ? "a one-hour group session" : "a 30-minute one-to-one";
}
