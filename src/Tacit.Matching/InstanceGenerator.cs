using System.Globalization;

namespace Tacit.Matching;

/// <summary>Options of the synthetic organisation generator.</summary>
public sealed record GeneratorOptions(int People, int Skills, ulong Seed)
{
    /// <summary>Zipf exponent of skill popularity (the k-th most popular skill has weight 1/k^s), for shares and wants alike.</summary>
    public double ZipfExponent { get; init; } = 1.0;
    public double SharesPerPerson { get; init; } = 3;
    public double WantsPerPerson { get; init; } = 3;
    /// <summary>Average number of direct reports of a manager.</summary>
    public int Span { get; init; } = 6;
    public double PreferredTeacherFraction { get; init; } = 0.1;
    public double LastCyclePairsPerPerson { get; init; } = 1;
    public bool WholeChain { get; init; }
    public LastCyclePairsRule LastCyclePairs { get; init; } = LastCyclePairsRule.Hard;
    /// <summary>Time zones the people live in (0 = nobody gives availability; 1–3 = UTC, UTC+1 and UTC−5, in that order of size).</summary>
    public int TimeZones { get; init; }
    /// <summary>Share of people who give no availability (available any time) when <see cref="TimeZones"/> is set.</summary>
    public double NoAvailabilityFraction { get; init; } = 0.15;
    public AvailabilityRule Availability { get; init; } = AvailabilityRule.Hard;
    /// <summary>Share of people with a cap across skills (maxTeacherSessions 1–3).</summary>
    public double TeacherCapFraction { get; init; }
    public int? MaxAuthorityGap { get; init; }
}

/// <summary>
/// Writes synthetic organisations: a reporting tree, departments, authority falling with depth, Zipf skill popularity,
/// about three shares and three wants per person. Uses its own SplitMix64 generator so a seed gives the same instance
/// on every platform and runtime version.
/// </summary>
public static class InstanceGenerator
{
    private static readonly string[] DepartmentNames =
    [
        "Finance", "Sales", "Engineering", "Marketing", "Operations", "Legal", "People", "Support",
        "Research", "Design", "Data", "Security", "Procurement", "Logistics", "Quality", "Facilities",
    ];

    public static InstanceDocument Generate(GeneratorOptions options)
    {
        if (options.People < 1) throw new ArgumentOutOfRangeException(nameof(options), "people must be at least 1");
        if (options.Skills < 1) throw new ArgumentOutOfRangeException(nameof(options), "skills must be at least 1");
        var random = new SplitMix64(options.Seed);
        int n = options.People;
        int departmentCount = Math.Clamp((int)Math.Round(Math.Sqrt(n) / 8), 2, DepartmentNames.Length);

        // Reporting tree: person i reports to someone earlier, roughly Span reports per manager, so depth grows like log(n).
        var manager = new int[n];
        var depth = new int[n];
        var department = new int[n];
        manager[0] = -1;
        department[0] = 0;
        for (int i = 1; i < n; i++)
        {
            int centre = (i - 1) / options.Span;
            int m = Math.Min(i - 1, Math.Max(0, centre + random.Next(3) - 1));
            manager[i] = m;
            depth[i] = depth[m] + 1;
            // Department heads (depth 1) start departments; below them people mostly stay in their manager's department.
            department[i] = depth[i] == 1 ? (i - 1) % departmentCount
                : random.NextDouble() < 0.08 ? random.Next(departmentCount) : department[m];
        }

        var people = new List<PersonRecord>(n);
        for (int i = 0; i < n; i++)
        {
            people.Add(new PersonRecord
            {
                Id = PersonId(i),
                Department = DepartmentNames[department[i]],
                ManagerId = manager[i] < 0 ? null : PersonId(manager[i]),
                AuthorityLevel = Math.Clamp(10 - 2 * depth[i] + random.Next(2), 1, 10),
                MaxLearnerSessions = 1 + random.Next(3),
            });
        }

        var skills = new List<SkillRecord>(options.Skills);
        for (int k = 0; k < options.Skills; k++) skills.Add(new SkillRecord { Id = SkillId(k), Name = "Skill " + (k + 1).ToString(CultureInfo.InvariantCulture) });

        var cumulative = new double[options.Skills];
        double total = 0;
        for (int k = 0; k < options.Skills; k++)
        {
            total += 1.0 / Math.Pow(k + 1, options.ZipfExponent);
            cumulative[k] = total;
        }
        int SampleSkill()
        {
            double u = random.NextDouble() * total;
            int index = Array.BinarySearch(cumulative, u);
            return Math.Min(options.Skills - 1, index < 0 ? ~index : index);
        }

        // Each person draws a few distinct skills; the first ones become shares, the rest wants.
        var shares = new List<ShareRecord>();
        var wants = new List<WantRecord>();
        var sharersOfSkill = new List<int>[options.Skills];
        var wantedSkills = new List<(int Person, int Skill)>();
        var chosen = new HashSet<int>();
        for (int i = 0; i < n; i++)
        {
            int shareCount = Poissonish(random, options.SharesPerPerson);
            int wantCount = Poissonish(random, options.WantsPerPerson);
            int target = Math.Min(options.Skills, shareCount + wantCount);
            chosen.Clear();
            var order = new List<int>(target);
            for (int attempt = 0; order.Count < target && attempt < 20 * target + 20; attempt++)
            {
                int k = SampleSkill();
                if (chosen.Add(k)) order.Add(k);
            }
            int actualShares = Math.Min(shareCount, order.Count);
            for (int j = 0; j < order.Count; j++)
            {
                int k = order[j];
                if (j < actualShares)
                {
                    bool groups = random.NextDouble() < 0.4;
                    shares.Add(new ShareRecord
                    {
                        TeacherId = PersonId(i),
                        SkillId = SkillId(k),
                        Level = 1 + random.Next(5),
                        Sessions = 1 + random.Next(3),
                        AcceptsGroups = groups,
                        MaxGroupSize = groups ? 3 + random.Next(4) : 1,
                    });
                    (sharersOfSkill[k] ??= []).Add(i);
                }
                else
                {
                    wantedSkills.Add((i, k));
                }
            }
        }

        Priority[] priorities = [Priority.High, Priority.Medium, Priority.Medium, Priority.Low, Priority.Low];
        foreach (var (person, skill) in wantedSkills)
        {
            string? preferred = null;
            var sharers = sharersOfSkill[skill];
            if (sharers is not null && random.NextDouble() < options.PreferredTeacherFraction)
            {
                int t = sharers[random.Next(sharers.Count)];
                if (t != person) preferred = PersonId(t);
            }
            wants.Add(new WantRecord
            {
                LearnerId = PersonId(person),
                SkillId = SkillId(skill),
                Priority = priorities[random.Next(priorities.Length)],
                PreferredTeacherId = preferred,
            });
        }

        // Last cycle: a person learned one of their wanted skills from one of its sharers.
        var lastPairs = new List<PairRecord>();
        var seenPairs = new HashSet<long>();
        int pairTarget = (int)(options.LastCyclePairsPerPerson * n);
        for (int attempt = 0; attempt < 3 * pairTarget && lastPairs.Count < pairTarget && wantedSkills.Count > 0; attempt++)
        {
            var (person, skill) = wantedSkills[random.Next(wantedSkills.Count)];
            var sharers = sharersOfSkill[skill];
            if (sharers is null) continue;
            int t = sharers[random.Next(sharers.Count)];
            if (t == person || !seenPairs.Add(((long)person << 32) | (uint)t)) continue;
            lastPairs.Add(new PairRecord { LearnerId = PersonId(person), TeacherId = PersonId(t) });
        }

        AddAvailabilityAndCaps(options, people);

        return new InstanceDocument
        {
            People = people,
            Skills = skills,
            Shares = shares,
            Wants = wants,
            LastCyclePairs = lastPairs,
            Settings = new MatchingSettings
            {
                ExcludeWholeReportingChain = options.WholeChain,
                LastCyclePairs = options.LastCyclePairs,
                Availability = options.Availability,
                MaxAuthorityGap = options.MaxAuthorityGap,
            },
        };
    }

    private static readonly int[] ZoneOffsets = [0, 1, -5];

    /// <summary>Local working-hour blocks (start hour, length) people pick from, as an intake form offers them.</summary>
    private static readonly (int Start, int Hours)[] Blocks = [(8, 2), (9, 3), (10, 2), (13, 3), (14, 4), (16, 2)];

    /// <summary>Weekday patterns: every weekday, Mon/Wed/Fri, Tue/Thu, or one day.</summary>
    private static readonly int[][] DayPatterns = [[0, 1, 2, 3, 4], [0, 2, 4], [1, 3], [0], [1], [2], [3], [4]];

    /// <summary>
    /// Weekly availability (people in 1–3 zones, each free in one or two 2–4 hour blocks on some weekdays, some saying
    /// nothing) and caps across skills. Drawn from a generator of their own, so the rest of the organisation is the same
    /// with or without them.
    /// </summary>
    private static void AddAvailabilityAndCaps(GeneratorOptions options, List<PersonRecord> people)
    {
        if (options.TimeZones is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(options), "time zones must be 0–3");
        var random = new SplitMix64(options.Seed ^ 0xA5A5_5A5A_1234_5678UL);
        double[] zoneWeights = [0.6, 0.25, 0.15];
        foreach (var person in people)
        {
            if (options.TimeZones > 0 && random.NextDouble() >= options.NoAvailabilityFraction)
            {
                double u = random.NextDouble() * zoneWeights.Take(options.TimeZones).Sum();
                int zone = 0;
                while (zone < options.TimeZones - 1 && u >= zoneWeights[zone]) u -= zoneWeights[zone++];
                double d = random.NextDouble();
                int[] days = DayPatterns[d < 0.5 ? 0 : d < 0.7 ? 1 : d < 0.85 ? 2 : 3 + random.Next(5)];
                var hours = new SortedSet<int>();
                int blockCount = 1 + random.Next(2);
                for (int b = 0; b < blockCount; b++)
                {
                    var (start, length) = Blocks[random.Next(Blocks.Length)];
                    foreach (int day in days)
                        for (int h = start; h < start + length; h++)
                            hours.Add(((day * 24 + h - ZoneOffsets[zone]) % 168 + 168) % 168);
                }
                person.Availability = [.. hours];
            }
            if (options.TeacherCapFraction > 0 && random.NextDouble() < options.TeacherCapFraction) person.MaxTeacherSessions = 1 + random.Next(3);
        }
    }

    private static string PersonId(int index) => "p" + index.ToString(CultureInfo.InvariantCulture);

    private static string SkillId(int index) => "s" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>A count with the given mean, spread over mean−2 … mean+2 (at least 1 when the mean is at least 1).</summary>
    private static int Poissonish(SplitMix64 random, double mean)
    {
        int whole = (int)Math.Floor(mean);
        int value = whole + (random.NextDouble() < mean - whole ? 1 : 0) + random.Next(5) - 2;
        return Math.Max(mean >= 1 ? 1 : 0, value);
    }
}

/// <summary>SplitMix64: tiny, fast and identical everywhere, which System.Random does not promise across versions.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
