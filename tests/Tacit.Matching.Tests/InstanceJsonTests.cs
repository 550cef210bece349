using System.Text;

namespace Tacit.Matching.Tests;

/// <summary>Instance JSON is read strictly, and every refusal names its JSON path (docs/matching.md, "Instance format").</summary>
public sealed class InstanceJsonTests
{
    private const string Valid = """
        {
          "people": [
            { "id": "a", "department": "Finance", "authorityLevel": 5, "maxLearnerSessions": 2 },
            { "id": "b", "department": "Finance", "managerId": "a", "authorityLevel": 4, "maxLearnerSessions": 2 }
          ],
          "skills": [ { "id": "excel", "name": null } ],
          "shares": [ { "teacherId": "a", "skillId": "excel", "level": 3, "sessions": 1 } ],
          "wants": [ { "learnerId": "b", "skillId": "excel", "priority": "high" } ],
          "lastCyclePairs": [],
          "settings": { "lastCyclePairs": "soft", "weights": { "highPriority": 4 } }
        }
        """;

    private static string Refusal(string json) =>
        Assert.Throws<InstanceValidationException>(() => PlanJson.DeserializeInstance(Encoding.UTF8.GetBytes(json))).Message;

    private static string Refusal(byte[] utf8) =>
        Assert.Throws<InstanceValidationException>(() => PlanJson.DeserializeInstance(utf8)).Message;

    [Fact]
    public void A_complete_instance_is_read_with_its_defaults()
    {
        var instance = PlanJson.DeserializeInstance(Encoding.UTF8.GetBytes(Valid));
        Assert.Equal(Priority.High, instance.Wants[0].Priority);
        Assert.Equal(LastCyclePairsRule.Soft, instance.Settings.LastCyclePairs);
        Assert.Equal(4, instance.Settings.Weights.HighPriority);
        Assert.Equal(2, instance.Settings.Weights.MediumPriority);
        Assert.Equal(1, instance.Shares[0].MaxGroupSize);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted_and_the_string_overload_reads_the_same()
    {
        byte[] withBom = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Valid)];
        Assert.Equal(2, PlanJson.DeserializeInstance(withBom).People.Count);
        Assert.Equal(2, PlanJson.DeserializeInstance(Valid).People.Count);
    }

    [Theory]
    [InlineData("""{ "id": "b", "department": "Finance", "managerId": "a", "authorityLevel": 4, "maxLearnerSessions": 2 }""", """{ "id": "b", "department": "Finance", "managerId": "a", "authorityLevel": 4 }""", "$.people[1].maxLearnerSessions: required")]
    [InlineData("""{ "id": "b", "department": "Finance", "managerId": "a", "authorityLevel": 4, "maxLearnerSessions": 2 }""", """{ "department": "Finance", "managerId": "a", "authorityLevel": 4, "maxLearnerSessions": 2 }""", "$.people[1].id: required")]
    [InlineData(", \"sessions\": 1", "", "$.shares[0].sessions: required")]
    [InlineData("\"level\": 3, ", "", "$.shares[0].level: required")]
    [InlineData("\"skillId\": \"excel\", \"priority\"", "\"priority\"", "$.wants[0].skillId: required")]
    [InlineData("""{ "id": "excel", "name": null }""", """{ "name": "Excel" }""", "$.skills[0].id: required")]
    [InlineData("\"wants\": [ { \"learnerId\": \"b\", \"skillId\": \"excel\", \"priority\": \"high\" } ],", "", "$.wants: required")]
    public void Missing_required_fields_are_refused_naming_the_path(string from, string to, string expected) =>
        Assert.StartsWith(expected, Refusal(Replace(from, to)), StringComparison.Ordinal);

    [Fact]
    public void Every_missing_field_of_an_object_is_named()
    {
        var message = Refusal(Replace("""{ "id": "a", "department": "Finance", "authorityLevel": 5, "maxLearnerSessions": 2 }""", """{ "id": "a" }"""));
        Assert.Contains("$.people[0].department: required", message, StringComparison.Ordinal);
        Assert.Contains("$.people[0].authorityLevel: required", message, StringComparison.Ordinal);
        Assert.Contains("$.people[0].maxLearnerSessions: required", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"priority\": \"high\"", "\"priority\": \"High\"", "$.wants[0].priority: must be one of \"low\", \"medium\", \"high\" (spelled exactly)")]
    [InlineData("\"priority\": \"high\"", "\"priority\": \"hihg\"", "$.wants[0].priority: must be one of")]
    [InlineData("\"priority\": \"high\"", "\"priority\": 2", "$.wants[0].priority: must be one of")]
    [InlineData("\"priority\": \"high\"", "\"priority\": \"2\"", "$.wants[0].priority: must be one of")]
    [InlineData("\"priority\": \"high\"", "\"priority\": \"low, high\"", "$.wants[0].priority: must be one of")]
    [InlineData("\"lastCyclePairs\": \"soft\"", "\"lastCyclePairs\": \"SOFT\"", "$.settings.lastCyclePairs: must be one of \"hard\", \"soft\"")]
    public void Enums_must_be_spelled_exactly(string from, string to, string expected) =>
        Assert.StartsWith(expected, Refusal(Replace(from, to)), StringComparison.Ordinal);

    [Theory]
    [InlineData("\"id\": \"a\"", "\"id\": null", "$.people[0].id: must not be null")]
    [InlineData("\"maxLearnerSessions\": 2 }\n", "\"maxLearnerSessions\": null }\n", "$.people[1].maxLearnerSessions: must be an integer")]
    [InlineData("\"priority\": \"high\"", "\"priority\": null", "$.wants[0].priority: must be one of")]
    [InlineData("\"lastCyclePairs\": []", "\"lastCyclePairs\": null", "$.lastCyclePairs: must not be null")]
    [InlineData("\"weights\": { \"highPriority\": 4 }", "\"weights\": null", "$.settings.weights: must not be null")]
    [InlineData("\"skills\": [ { \"id\": \"excel\", \"name\": null } ]", "\"skills\": [ null ]", "$.skills[0]: must be an object, not null")]
    public void Null_is_refused_where_a_value_is_required(string from, string to, string expected) =>
        Assert.StartsWith(expected, Refusal(Replace(from, to)), StringComparison.Ordinal);

    [Fact]
    public void Null_is_accepted_where_the_schema_allows_it()
    {
        var instance = PlanJson.DeserializeInstance(Replace("\"managerId\": \"a\"", "\"managerId\": null"));
        Assert.Null(instance.People[1].ManagerId);
        Assert.Null(instance.Skills[0].Name);
    }

    [Theory]
    [InlineData("\"level\": 3", "\"level\": \"3\"", "$.shares[0].level: must be an integer")]
    [InlineData("\"level\": 3", "\"level\": 3.5", "$.shares[0].level: must be an integer")]
    [InlineData("\"id\": \"a\"", "\"id\": 7", "$.people[0].id: must be a string")]
    [InlineData("\"lastCyclePairs\": []", "\"lastCyclePairs\": {}", "$.lastCyclePairs: must be an array")]
    [InlineData("\"settings\": {", "\"settings\": [], \"x\": {", "$.settings: must be an object")]
    [InlineData("\"sessions\": 1", "\"sessions\": 1, \"acceptsGroups\": \"yes\"", "$.shares[0].acceptsGroups: must be true or false")]
    public void Wrong_types_are_refused_naming_the_path(string from, string to, string expected) =>
        Assert.StartsWith(expected, Refusal(Replace(from, to)), StringComparison.Ordinal);

    [Theory]
    [InlineData("\"sessions\": 1", "\"sessions\": 1, \"session\": 2", "$.shares[0].session: unknown property")]
    [InlineData("\"lastCyclePairs\": [],", "\"lastCyclePairs\": [], \"comment\": \"x\",", "$.comment: unknown property")]
    [InlineData("\"level\": 3", "\"level\": 3, \"level\": 4", "$.shares[0]")]
    public void Unknown_and_repeated_properties_are_refused(string from, string to, string expected)
    {
        var message = Refusal(Replace(from, to));
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        if (from == "\"level\": 3") Assert.Contains("property given twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused_naming_the_path_and_the_byte()
    {
        byte[] json = Encoding.UTF8.GetBytes(Replace("\"department\": \"Finance\", \"managerId\"", "\"department\": \"Fin#nce\", \"managerId\""));
        int at = Array.IndexOf(json, (byte)'#');
        json[at] = 0xFF;
        var message = Refusal(json);
        Assert.StartsWith("$.people[1].department: not valid UTF-8 (byte 0xFF at offset " + at, message, StringComparison.Ordinal);
        Assert.Contains("line 4", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_errors_name_the_path_and_line()
    {
        var message = Refusal(Replace("\"level\": 3", "\"level\": 3,,"));
        Assert.StartsWith("$.shares[0]", message, StringComparison.Ordinal);
        Assert.Contains("(line 7", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_instances_round_trip()
    {
        var generated = InstanceGenerator.Generate(new GeneratorOptions(200, 20, 3) { LastCyclePairs = LastCyclePairsRule.Soft, WholeChain = true });
        string json = PlanJson.Serialize(generated);
        var read = PlanJson.DeserializeInstance(Encoding.UTF8.GetBytes(json));
        Assert.Equal(json, PlanJson.Serialize(read));
    }

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        return Valid.Replace(from, to, StringComparison.Ordinal);
    }
}
