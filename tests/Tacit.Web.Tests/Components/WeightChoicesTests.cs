using Tacit.Domain.Cycles;
using Tacit.Web.Components.Shared;

namespace Tacit.Web.Tests.Components;

public class WeightChoicesTests
{
    [Fact]
    public void Every_weight_of_the_engine_is_offered_once_with_its_usual_value()
    {
        var fields = typeof(MatchWeights).GetProperties().Where(p => p.PropertyType == typeof(int)).Select(p => p.Name).Order().ToList();
        Assert.Equal(fields, WeightChoices.All.Select(w => w.Field).Order());
        foreach (var weight in WeightChoices.All)
            Assert.Equal((int)typeof(MatchWeights).GetProperty(weight.Field)!.GetValue(new MatchWeights())!, weight.Usual);
    }

    [Theory]
    [InlineData(nameof(MatchWeights.CrossDepartment), 6, new[] { 0, 3, 6, 12, 24, 60 }, "As usual")]
    [InlineData(nameof(MatchWeights.CrossDepartment), 7, new[] { 0, 3, 6, 7, 12, 24, 60 }, "Custom")]
    [InlineData(nameof(MatchWeights.LowPriority), 1, new[] { 1, 2, 4, 10 }, "As usual")]
    [InlineData(nameof(MatchWeights.HighPriority), 1000, new[] { 1, 3, 6, 12, 30, 1000 }, "Custom")]
    public void Choices_are_ordered_distinct_within_the_engine_s_range_and_keep_the_current_value(string field, int current, int[] values, string currentName)
    {
        var weight = WeightChoices.All.Single(w => w.Field == field);
        var choices = weight.Choices(current);
        Assert.Equal(values, choices.Select(c => c.Value));
        Assert.Equal(currentName, choices.Single(c => c.Value == current).Name);
        Assert.All(choices, c => Assert.InRange(c.Value, weight.Least, MatchWeights.Max));
    }
}
