using Tacit.Domain.Cycles;

namespace Tacit.Web.Components.Shared;

/// <summary>
/// A match weight offered as named choices around its usual value, with what it does in words: a facilitator decides
/// "crossing departments counts much more", not "12". The engine still takes the numbers (docs/matching.md).
/// </summary>
public sealed record WeightChoices(string Field, string Label, string Explanation, int Usual, int Least)
{
    public static readonly IReadOnlyList<WeightChoices> All =
    [
        new(nameof(MatchWeights.HighPriority), "A learner's high-priority wants",
            "How much meeting a want the learner marked high counts, against their medium and low ones. Everyone gets one session before anyone gets two, whatever you choose.", new MatchWeights().HighPriority, 1),
        new(nameof(MatchWeights.MediumPriority), "Medium-priority wants", "How much meeting a medium-priority want counts.", new MatchWeights().MediumPriority, 1),
        new(nameof(MatchWeights.LowPriority), "Low-priority wants", "How much meeting a low-priority want counts.", new MatchWeights().LowPriority, 1),
        new(nameof(MatchWeights.CrossDepartment), "Crossing departments",
            "A pair from two departments spreads knowledge between silos; more makes the engine prefer such pairs over pairs from one department.", new MatchWeights().CrossDepartment, 0),
        new(nameof(MatchWeights.PeerCloseness), "Peers of similar authority",
            "Prefers a teacher close to the learner in authority level, counted per level of closeness.", new MatchWeights().PeerCloseness, 0),
        new(nameof(MatchWeights.PreferredTeacher), "The teacher the learner asked for",
            "How much it counts to give a learner the colleague they named.", new MatchWeights().PreferredTeacher, 0),
        new(nameof(MatchWeights.TeacherLevel), "The teacher's level in the skill",
            "Prefers teachers who rate themselves higher in the skill, counted per level.", new MatchWeights().TeacherLevel, 0),
        new(nameof(MatchWeights.RepeatPairPenalty), "Avoiding last cycle's pairs",
            "When last cycle's pairs are allowed at all, how much a repeat of one counts against it.", new MatchWeights().RepeatPairPenalty, 0),
        new(nameof(MatchWeights.GroupPenalty), "Keeping sessions one-to-one",
            "How much each learner placed in a group instead of a one-to-one counts against it.", new MatchWeights().GroupPenalty, 0),
        new(nameof(MatchWeights.NoCommonHourPenalty), "Sessions without a common free hour",
            "When a common free hour is preferred rather than required, how much a session whose people share no free hour in their intake answers counts against it.", new MatchWeights().NoCommonHourPenalty, 0),
    ];

    /// <summary>The named choices, each with its number, and the current value as "Custom" when it is none of them.</summary>
    public IReadOnlyList<(string Name, int Value)> Choices(int current)
    {
        List<(string Name, int Value)> choices = [];
        void Add(string name, int value)
        {
            value = Math.Clamp(value, Least, MatchWeights.Max);
            if (!choices.Exists(c => c.Value == value)) choices.Add((name, value));
        }
        // The usual value first, so a choice that would land on it ("Less" than 1 is still 1) does not rename it.
        Add("As usual", Usual);
        if (Least == 0) Add("Not at all", 0);
        Add("Less", Usual / 2);
        Add("More", Usual * 2);
        Add("Much more", Usual * 4);
        Add("Above all", Usual * 10);
        if (!choices.Exists(c => c.Value == current)) choices.Add(("Custom", current));
        return [.. choices.OrderBy(c => c.Value)];
    }
}
