using System.Text;
using Tacit.Matching;

namespace Tacit.Cli.Tests;

/// <summary>`tacit match` and `tacit generate-instance` as an operator runs them: results on standard output, progress and errors on standard error, whole files or none.</summary>
public sealed class MatchingCommandsTests : IDisposable
{
    private readonly TacitFolder _folder = new();

    /// <summary>Writes a generated instance big enough that solving it would show (progress lines on standard error).</summary>
    private async Task<string> InstanceAsync(int people = 2000)
    {
        var run = await _folder.RunAsync("generate-instance", "--people", people.ToString(System.Globalization.CultureInfo.InvariantCulture), "--skills", "200", "--seed", "9", "--out", "org.json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Output);
        return _folder.File("org.json");
    }

    [Fact]
    public async Task Match_writes_the_plan_and_network_with_results_on_output_and_progress_on_error()
    {
        await InstanceAsync(50);
        var run = await _folder.RunAsync("match", "org.json", "--out", "plan.json", "--export-dimacs", "net.min", "--explain");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(50, PlanJson.Deserialize(File.ReadAllText(_folder.File("plan.json"))).Summary.People);
        Assert.StartsWith("c ", File.ReadAllText(_folder.File("net.min")), StringComparison.Ordinal);
        Assert.Contains("network:", run.Error, StringComparison.Ordinal);
        Assert.Contains("solved in", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("solved in", run.Output, StringComparison.Ordinal);
        Assert.Contains("learners served:", run.Output, StringComparison.Ordinal);
        Assert.Contains(" teaches ", run.Output, StringComparison.Ordinal);
        Assert.Equal(["net.min", "org.json", "plan.json"], _folder.Entries());
    }

    [Fact]
    public async Task The_plan_goes_next_to_the_instance_by_default()
    {
        await InstanceAsync(20);
        var run = await _folder.RunAsync("match", "org.json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["org.json", "org.plan.json"], _folder.Entries());
    }

    public static TheoryData<string, string, string> UnwritableOutputs => new()
    {
        { "--out", "/nonexistent/plan.json", "the directory /nonexistent does not exist" },
        { "--out", ".", "it is a directory" },
        { "--out", "/proc/tacit-plan.json", "cannot write --out /proc/tacit-plan.json: " },
        { "--export-dimacs", "/nonexistent/net.min", "the directory /nonexistent does not exist" },
        { "--export-dimacs", "/proc", "it is a directory" },
    };

    [Theory]
    [MemberData(nameof(UnwritableOutputs))]
    public async Task Match_checks_output_paths_before_solving(string option, string path, string message)
    {
        await InstanceAsync();
        var run = await _folder.RunAsync("match", "org.json", option, path);
        run.AssertRefused(message);
        Assert.Contains("cannot write " + option, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("network:", run.Error, StringComparison.Ordinal); // nothing was built or solved
        Assert.Equal(["org.json"], _folder.Entries()); // no plan, no temporary file
    }

    [Fact]
    public async Task Plan_and_network_may_not_share_a_path()
    {
        await InstanceAsync(20);
        var run = await _folder.RunAsync("match", "org.json", "--out", "x.json", "--export-dimacs", "x.json");
        run.AssertRefused("is also the plan's path");
        Assert.Equal(["org.json"], _folder.Entries());
    }

    [Theory]
    [InlineData("/nonexistent/org.json", "the directory /nonexistent does not exist")]
    [InlineData(".", "it is a directory")]
    public async Task Generate_instance_checks_its_output_path_before_generating(string path, string message)
    {
        var run = await _folder.RunAsync("generate-instance", "--people", "2000000", "--skills", "1000", "--out", path);
        run.AssertRefused($"cannot write --out {Path.GetFullPath(path, _folder.Path)}: {message}");
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(10), $"took {run.Elapsed}"); // 2,000,000 people would take far longer to generate
        Assert.Empty(_folder.Entries());
    }

    [Fact]
    public async Task Generate_instance_output_is_a_valid_instance_on_standard_output()
    {
        var run = await _folder.RunAsync("generate-instance", "--people", "30", "--skills", "5", "--soft-last-pairs", "--whole-chain");
        Assert.True(run.ExitCode == 0, run.Error);
        var instance = PlanJson.DeserializeInstance(Encoding.UTF8.GetBytes(run.Output));
        Assert.Equal(30, instance.People.Count);
        Assert.Equal(run.Output, PlanJson.Serialize(instance));
    }

    [Fact]
    public async Task Generate_instance_gives_availability_caps_and_an_authority_gap_when_asked()
    {
        var run = await _folder.RunAsync("generate-instance", "--people", "200", "--skills", "20", "--zones", "3", "--soft-availability", "--teacher-caps", "0.5", "--max-gap", "3");
        Assert.True(run.ExitCode == 0, run.Error);
        var instance = PlanJson.DeserializeInstance(Encoding.UTF8.GetBytes(run.Output));
        Assert.Contains(instance.People, p => p.Availability is { Length: > 0 });
        Assert.Contains(instance.People, p => p.MaxTeacherSessions is not null);
        Assert.Equal(3, instance.Settings.MaxAuthorityGap);
        Assert.Equal(AvailabilityRule.Soft, instance.Settings.Availability);
    }

    [Theory]
    [InlineData("--zones", "4", "--zones must be 0, 1, 2 or 3")]
    [InlineData("--teacher-caps", "1.5", "--teacher-caps must be between 0 and 1")]
    [InlineData("--max-gap", "-1", "--max-gap must not be negative")]
    public async Task Generate_instance_refuses_options_out_of_range(string option, string value, string message)
    {
        var run = await _folder.RunAsync("generate-instance", "--people", "20", "--skills", "5", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> InvalidInstances => new()
    {
        { "5, \"maxLearnerSessions\": 2 },", "5 },", "$.people[0].maxLearnerSessions: required" },
        { "\"priority\": \"medium\"", "\"priority\": \"Medium\"", "$.wants[0].priority: must be one of \"low\", \"medium\", \"high\"" },
        { "\"department\": \"Finance\"", "\"department\": null", "$.people[0].department: must not be null" },
        { "\"level\": 3", "\"level\": \"expert\"", "$.shares[0].level: must be an integer" },
        { "\"sessions\": 1", "\"sessions\": 1, \"hours\": 2", "$.shares[0].hours: unknown property" },
        { "\"department\": \"Finance\"", "\"department\": \"Fin\u00FFnce\"", "$.people[0].department: not valid UTF-8 (byte 0xFF" },
    };

    [Theory]
    [MemberData(nameof(InvalidInstances))]
    public async Task Invalid_instances_are_refused_naming_the_path_and_leave_the_previous_plan(string from, string to, string message)
    {
        const string Valid = """
            {
              "people": [ { "id": "a", "department": "Finance", "authorityLevel": 5, "maxLearnerSessions": 2 },
                          { "id": "b", "department": "Sales", "authorityLevel": 5, "maxLearnerSessions": 2 } ],
              "skills": [ { "id": "excel" } ],
              "shares": [ { "teacherId": "a", "skillId": "excel", "level": 3, "sessions": 1 } ],
              "wants": [ { "learnerId": "b", "skillId": "excel", "priority": "medium" } ]
            }
            """;
        File.WriteAllText(_folder.File("org.json"), Valid);
        var first = await _folder.RunAsync("match", "org.json", "--out", "plan.json");
        Assert.True(first.ExitCode == 0, first.Error);
        byte[] plan = File.ReadAllBytes(_folder.File("plan.json"));

        int at = Valid.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0);
        // \u00FF stands for the single invalid byte 0xFF (Latin-1 keeps every other character of this text as one byte).
        File.WriteAllBytes(_folder.File("org.json"), Encoding.Latin1.GetBytes(Valid[..at] + to + Valid[(at + from.Length)..]));
        var run = await _folder.RunAsync("match", "org.json", "--out", "plan.json");
        run.AssertRefused("invalid instance org.json: " + message);
        Assert.Equal(plan, File.ReadAllBytes(_folder.File("plan.json")));
        Assert.Equal(["org.json", "plan.json"], _folder.Entries());
    }

    [Fact]
    public async Task The_plan_is_written_as_it_is_serialized_byte_for_byte_as_the_plan_serialized_in_memory()
    {
        var instance = await InstanceAsync(300);
        var run = await _folder.RunAsync("match", "org.json", "--out", "plan.json");
        Assert.True(run.ExitCode == 0, run.Error);
        // The whole text built in memory, as the plan was written before it was streamed (issue 13), is the reference.
        var inMemory = Encoding.UTF8.GetBytes(PlanJson.Serialize(Matcher.Match(File.ReadAllBytes(instance)).Plan));
        Assert.Equal(inMemory, File.ReadAllBytes(_folder.File("plan.json")));
    }

    [Fact]
    public async Task An_instance_read_as_a_stream_names_an_invalid_byte_far_into_the_file_as_the_in_memory_check_does()
    {
        var instance = await InstanceAsync(2000);
        var text = File.ReadAllText(instance);
        // A valid two-byte character across the end of the first 64 KiB piece (the generated text is ASCII), and an
        // invalid byte in a later piece.
        var bytes = Encoding.UTF8.GetBytes(text[..65_535] + "é" + text[65_535..]);
        bytes[200_000] = 0xFF;
        File.WriteAllBytes(instance, [.. Encoding.UTF8.Preamble, .. bytes]);
        var expected = Assert.Throws<InstanceValidationException>(() => PlanJson.DeserializeInstance(File.ReadAllBytes(instance))).Message;
        Assert.Contains("not valid UTF-8", expected, StringComparison.Ordinal);
        var run = await _folder.RunAsync("match", "org.json", "--out", "plan.json");
        run.AssertRefused("invalid instance org.json: " + expected);
    }

    [Fact]
    public async Task Rule_violations_in_an_instance_exit_with_2()
    {
        File.WriteAllText(_folder.File("org.json"), """
            { "people": [ { "id": "a", "department": "F", "authorityLevel": 5, "maxLearnerSessions": 2 } ],
              "skills": [ { "id": "excel" } ], "shares": [], "wants": [ { "learnerId": "nobody", "skillId": "excel" } ] }
            """);
        var run = await _folder.RunAsync("match", "org.json");
        run.AssertRefused("unknown learnerId \"nobody\"");
        Assert.Equal(["org.json"], _folder.Entries());
    }

    [Fact]
    public async Task A_missing_instance_exits_with_2()
    {
        var run = await _folder.RunAsync("match", "missing.json");
        run.AssertRefused("cannot read " + _folder.File("missing.json"));
        Assert.Empty(_folder.Entries());
    }

    public void Dispose() => _folder.Dispose();
}
