using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tacit.Matching.Tests;

/// <summary>
/// The fast instance reader and plan writer (issue 13, point 6) against the serializer they replace: the reader never
/// accepts what the strict reading refuses and reads what it accepts the same; the writer writes the serializer's bytes.
/// </summary>
public sealed class FastJsonTests
{
    // Every feature of the format once: nulls where allowed, defaults left out, comments, trailing commas, escapes in
    // values, non-ASCII text (two-, three- and four-byte UTF-8), settings with weights.
    private const string Rich = """
        {
          // people first
          "people": [
            { "id": "a", "department": "Fin\u00e4nce ü → 🎓", "managerId": null, "authorityLevel": 5, "maxLearnerSessions": 2, "availability": [9, 10, 33], "maxTeacherSessions": 3 },
            { "id": "b\"q", "department": "Ops", "managerId": "a", "authorityLevel": 4, "maxLearnerSessions": 1, "availability": null, "maxTeacherSessions": null },
            { "id": "c", "department": "Ops", "authorityLevel": 4, "maxLearnerSessions": 0, "availability": [], },
          ],
          "skills": [ { "id": "excel", "name": null }, { "id": "sql", "name": "SQL \\ 🎓" }, { "id": "go" } ],
          "shares": [
            { "teacherId": "a", "skillId": "excel", "level": 3, "sessions": 1 },
            { "teacherId": "a", "skillId": "sql", "level": 5, "sessions": 2, "acceptsGroups": true, "maxGroupSize": 4 }
          ],
          "wants": [
            { "learnerId": "b\"q", "skillId": "excel", "priority": "high", "preferredTeacherId": "a" },
            { "learnerId": "c", "skillId": "sql", "preferredTeacherId": null },
            { "learnerId": "c", "skillId": "go", "priority": "low" }
          ],
          "lastCyclePairs": [ { "learnerId": "c", "teacherId": "a" } ],
          "settings": { "lastCyclePairs": "soft", "availability": "soft", "maxAuthorityGap": null, "excludeWholeReportingChain": true,
                        "weights": { "highPriority": 4, "crossDepartment": 0, "noCommonHourPenalty": 7 } } /* the end */
        }
        """;

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    private static string Written(InstanceDocument document) => PlanJson.Serialize(document);

    public static TheoryData<int> BufferSizes => [1, 7, 64, 1 << 20];

    [Theory]
    [MemberData(nameof(BufferSizes))]
    public void The_reader_reads_every_feature_as_the_strict_reading_does(int bufferSize)
    {
        var strict = InstanceJson.Strict(Bytes(Rich));
        Assert.Equal(Written(strict), Written(InstanceReader.Read(Bytes(Rich)) ?? throw new Xunit.Sdk.XunitException("gave up on a valid instance")));
        var streamed = InstanceReader.Read(new MemoryStream(Bytes(Rich)), bufferSize) ?? throw new Xunit.Sdk.XunitException("gave up on a valid instance");
        Assert.Equal(Written(strict), Written(streamed));
        Assert.Equal("Fin\u00e4nce ü → 🎓", streamed.People[0].Department);
        Assert.Empty(streamed.People[2].Availability!);
        Assert.Null(streamed.People[1].Availability);
        Assert.Equal(Priority.Medium, streamed.Wants[1].Priority);
        Assert.Equal(2, streamed.Settings.Weights.MediumPriority);
    }

    [Theory]
    [InlineData(3, 0, false)]
    [InlineData(1, 3, true)]
    [InlineData(2, 2, false)]
    public void Generated_organisations_read_the_same_both_ways(ulong seed, int zones, bool wholeChain)
    {
        var generated = InstanceGenerator.Generate(new GeneratorOptions(500, 40, seed)
        {
            TimeZones = zones, WholeChain = wholeChain, TeacherCapFraction = 0.3, MaxAuthorityGap = zones > 0 ? 4 : null,
            LastCyclePairs = wholeChain ? LastCyclePairsRule.Soft : LastCyclePairsRule.Hard,
        });
        string json = Written(generated);
        var fast = InstanceReader.Read(new MemoryStream(Bytes(json)), 4096);
        Assert.NotNull(fast);
        Assert.Equal(json, Written(fast));
        Assert.Equal(json, Written(InstanceJson.Strict(Bytes(json))));
    }

    /// <summary>
    /// Random damage to a valid instance (bytes cut out, tokens and unknown or repeated properties put in, invalid UTF-8):
    /// whenever the fast reader accepts the result, the strict reading accepts it too and reads the same; whatever the
    /// strict reading refuses, the public reading refuses with the strict reading's message.
    /// </summary>
    [Fact]
    public void Damaged_instances_are_never_read_differently()
    {
        string[] tokens = ["null", "1", "1.5", "\"x\"", ",", "{", "}", "[", "]", "true", "\"unknown\": 1,", "\"id\": \"z\",", "\"\\u0069d\": \"z\",", " ", "/*c*/", "\"priority\": \"High\",", "-0", "99999999999"];
        var random = new Random(20261206);
        byte[] valid = Bytes(Rich);
        int acceptedByBoth = 0, refusedByBoth = 0;
        for (int i = 0; i < 3000; i++)
        {
            var damaged = new List<byte>(valid);
            for (int d = 1 + random.Next(2); d > 0; d--)
            {
                int at = random.Next(damaged.Count);
                switch (random.Next(4))
                {
                    case 0: damaged.RemoveRange(at, Math.Min(1 + random.Next(6), damaged.Count - at)); break;
                    case 1: damaged.InsertRange(at, Bytes(tokens[random.Next(tokens.Length)])); break;
                    case 2: damaged[at] = (byte)(random.Next(2) == 0 ? 0xFF : 0xC3); break;
                    default: damaged.InsertRange(at, damaged.GetRange(Math.Max(0, at - 30), Math.Min(30, at))); break;
                }
            }
            byte[] bytes = [.. damaged];
            string? strict = null, refusal = null;
            try { strict = Written(InstanceJson.Strict(bytes)); }
            catch (InstanceValidationException e) { refusal = e.Message; }

            foreach (var fast in new[] { InstanceReader.Read(bytes), InstanceReader.Read(new MemoryStream(bytes), 1 + random.Next(40)) })
            {
                if (fast is null) continue;
                Assert.True(strict is not null, $"the fast reader accepted what the strict reading refuses ({refusal}): {Encoding.UTF8.GetString(bytes)}");
                Assert.Equal(strict, Written(fast));
            }
            if (refusal is not null)
            {
                refusedByBoth++;
                Assert.Equal(refusal, Assert.Throws<InstanceValidationException>(() => InstanceJson.Parse(bytes)).Message);
                Assert.Equal(refusal, Assert.Throws<InstanceValidationException>(() => InstanceJson.Parse(new MemoryStream(bytes))).Message);
            }
            else if (InstanceReader.Read(bytes) is not null)
            {
                acceptedByBoth++;
            }
        }
        // The damage must exercise both outcomes, or the test proves nothing.
        Assert.InRange(acceptedByBoth, 50, 3000);
        Assert.InRange(refusedByBoth, 1000, 3000);
    }

    // The serializer the plan writer replaced, as the reference for its bytes.
    private static readonly MatchingJsonContext Reference = new(new JsonSerializerOptions(MatchingJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    });

    private static string Serialized(MatchPlan plan) => JsonSerializer.Serialize(plan, Reference.MatchPlan) + "\n";

    [Theory]
    [InlineData(1, 0, false)]
    [InlineData(4, 3, false)]
    [InlineData(5, 2, true)]
    public void The_writer_writes_the_serializers_bytes(ulong seed, int zones, bool wholeChain)
    {
        var instance = InstanceGenerator.Generate(new GeneratorOptions(1500, 60, seed)
        {
            TimeZones = zones, WholeChain = wholeChain, TeacherCapFraction = 0.3, MaxAuthorityGap = zones > 0 ? 3 : null,
        });
        var plan = Matcher.Match(instance).Plan;
        string written = PlanJson.Serialize(plan);
        Assert.Equal(Serialized(plan), written);
        var streamed = new MemoryStream();
        PlanJson.Serialize(plan, streamed);
        Assert.Equal(written, Encoding.UTF8.GetString(streamed.ToArray()));
    }

    [Fact]
    public void The_writer_covers_every_optional_part_of_a_plan()
    {
        // Across these organisations, every property that is left out when empty is written at least once.
        string all = string.Concat(new ulong[] { 1, 4, 5 }.Select(seed => PlanJson.Serialize(Matcher.Match(InstanceGenerator.Generate(
            new GeneratorOptions(1500, 60, seed) { TimeZones = seed == 1 ? 0 : 3, TeacherCapFraction = 0.3 })).Plan)));
        foreach (string property in new[] { "\"commonHours\"", "\"sessionsWentTo\"", "\"excludedBy\"", "\"sharersBooked\": true", "\"kind\": \"group\"", "\"placement\"" })
            Assert.Contains(property, all, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_escapes_text_as_the_serializer_does()
    {
        string odd = "q\"uote \\ back <tag> & 'apos' \u0001 tab\t line\n → 🎓 \u2028";
        var plan = new MatchPlan
        {
            Objective = Int128.Parse("-170141183460469231731687303715884105728", System.Globalization.CultureInfo.InvariantCulture),
            Summary = new PlanSummary { People = 1 },
            Sessions = [new PlannedSession { TeacherId = odd, SkillId = "s", Kind = SessionKind.Group, DurationMinutes = 60, Learners = [new PlannedAssignment { LearnerId = odd, Priority = Priority.Low, PairScore = -3, Reasons = [odd, ""] }], CommonHours = [0, 167] }],
            UnmetWants = [new UnmetWant { LearnerId = odd, SkillId = odd, Reason = odd, ReasonCode = UnmetReason.OnlyExcludedSharers, ExcludedBy = [Exclusion.AboveInChain, Exclusion.ExcludedByFacilitator], SessionsWentTo = [], SharersBooked = true }],
        };
        Assert.Equal(Serialized(plan), PlanJson.Serialize(plan));
    }

    [Fact]
    public void A_rematch_result_is_written_as_the_serializer_wrote_it()
    {
        var instance = InstanceGenerator.Generate(new GeneratorOptions(300, 20, 9));
        var plan = Matcher.Match(instance).Plan;
        var declined = plan.Sessions.Take(5).Select(s => new AssignmentRef(s.Learners[0].LearnerId, s.TeacherId, s.SkillId)).ToList();
        var result = Matcher.Rematch(instance, plan, declined);
        Assert.NotEmpty(result.NewSessions);
        Assert.Equal(JsonSerializer.Serialize(result, Reference.RematchResult) + "\n", PlanJson.Serialize(result));
    }
}
