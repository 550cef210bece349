using Tacit.Matching;
using static Tacit.Matching.Tests.TestInstances;

namespace Tacit.Matching.Tests;

public sealed class ValidationTests
{
    private static InstanceDocument Valid() => new()
    {
        People = [Person("a"), Person("b", manager: "a")],
        Skills = Skills("excel"),
        Shares = [Share("a", "excel")],
        Wants = [Want("b", "excel")],
    };

    [Fact]
    public void Unknown_skill_is_rejected_naming_the_record()
    {
        var instance = Valid();
        instance.Wants.Add(Want("a", "cobol"));
        var error = Assert.Throws<InstanceValidationException>(() => Matcher.Match(instance));
        Assert.Equal("wants[1] (learnerId \"a\", skillId \"cobol\"): unknown skillId \"cobol\"", error.Message);
    }

    [Fact]
    public void Unknown_person_is_rejected()
    {
        var instance = Valid();
        instance.Shares.Add(Share("ghost", "excel"));
        Assert.Contains("unknown teacherId \"ghost\"", Assert.Throws<InstanceValidationException>(() => Matcher.Match(instance)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        var instance = Valid();
        instance.People.Add(Person("a"));
        Assert.Contains("people[2] (id \"a\"): duplicate person id", Assert.Throws<InstanceValidationException>(() => Matcher.Match(instance)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_capacities_are_rejected()
    {
        var instance = Valid();
        instance.Shares[0].Sessions = -1;
        Assert.Contains("sessions -1 is negative", Assert.Throws<InstanceValidationException>(() => Matcher.Match(instance)).Message, StringComparison.Ordinal);
        instance = Valid();
        instance.People[1].MaxLearnerSessions = -2;
        Assert.Contains("maxLearnerSessions -2 is negative", Assert.Throws<InstanceValidationException>(() => Matcher.Match(instance)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cyclic_management_is_rejected_naming_the_cycle()
    {
        var instance = Valid();
        instance.People.Add(Person("x", manager: "y"));
        instance.People.Add(Person("y", manager: "x"));
        var message = Assert.Throws<InstanceValidationException>(() => Matcher.Match(instance)).Message;
        Assert.Contains("cyclic management", message, StringComparison.Ordinal);
        Assert.Contains("x → y → x", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_type_errors_name_the_path()
    {
        var message = Assert.Throws<InstanceValidationException>(() => Matcher.Match("{\"people\":[{\"id\":\"a\",\"authorityLevel\":\"high\"}]}")).Message;
        Assert.Contains("$.people[0].authorityLevel", message, StringComparison.Ordinal);
    }
}
