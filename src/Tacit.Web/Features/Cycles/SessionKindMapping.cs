namespace Tacit.Web.Features.Cycles;

/// <summary>The domain and the engine each have their session kinds (neither references the other); they are mapped here only.</summary>
public static class SessionKindMapping
{
    public static Matching.SessionKind ToEngine(this Domain.Cycles.SessionKind kind) =>
        kind == Domain.Cycles.SessionKind.Group ? Matching.SessionKind.Group : Matching.SessionKind.OneToOne;

    public static Domain.Cycles.SessionKind ToDomain(this Matching.SessionKind kind) =>
        kind == Matching.SessionKind.Group ? Domain.Cycles.SessionKind.Group : Domain.Cycles.SessionKind.OneToOne;
}
