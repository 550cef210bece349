using System.Text.Json;
using Tacit.Domain.Cycles;
using Tacit.Matching;
using EngineSkippedPin = Tacit.Matching.SkippedPin;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// A pin that is not honoured: the engine's <see cref="PinRefusal"/> (camelCase) or one of the two reasons found before the
/// engine (<see cref="LeftOrganisation"/>, <see cref="NotTakingPart"/>), with the people the reason names beyond the pair.
/// </summary>
public sealed record PinSkip(PairRule Rule, string ReasonCode, IReadOnlyList<Guid> Named)
{
    public const string LeftOrganisation = "leftOrganisation";
    public const string NotTakingPart = "notTakingPart";

    public static PinSkip FromEngine(PairRule rule, EngineSkippedPin skipped) =>
        new(rule, Code(skipped.Reason), [.. skipped.Chain.Select(Guid.Parse)]);

    public static string Code(PinRefusal refusal) => JsonNamingPolicy.CamelCase.ConvertName(refusal.ToString());

    /// <summary>The reason in words, with people and skills named through the given look-ups.</summary>
    public static string Describe(Guid learnerId, Guid teacherId, Guid skillId, string reasonCode, IReadOnlyList<Guid> named,
        Func<Guid, string> personName, Func<Guid, string> skillName)
    {
        string Named() => named.Count > 0 ? personName(named[0]) : "someone";
        if (reasonCode == LeftOrganisation) return $"{Named()} has left the organisation";
        if (reasonCode == NotTakingPart) return $"{Named()} is not taking part in this cycle";
        var refusals = Enum.GetValues<PinRefusal>().Where(r => Code(r) == reasonCode).ToList();
        if (refusals.Count == 0) return "it broke a matching rule";
        var refusal = refusals[0];
        var pin = new PinnedPair(MatchInputReader.Key(learnerId), MatchInputReader.Key(teacherId), MatchInputReader.Key(skillId));
        return new EngineSkippedPin(pin, refusal, [.. named.Select(MatchInputReader.Key)])
            .Describe(id => personName(Guid.Parse(id)), id => skillName(Guid.Parse(id)));
    }

    public static string Describe(Domain.Cycles.SkippedPin row, Func<Guid, string> personName, Func<Guid, string> skillName) =>
        Describe(row.LearnerId, row.TeacherId, row.SkillId, row.ReasonCode, row.Named, personName, skillName);
}
