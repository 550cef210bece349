using System.Globalization;
using Tacit.Matching;

namespace Tacit.Matching.Tests;

/// <summary>Small hand-made and random instances for tests.</summary>
internal static class TestInstances
{
    public static PersonRecord Person(string id, string department = "Finance", string? manager = null, int authority = 5, int maxSessions = 2) =>
        new() { Id = id, Department = department, ManagerId = manager, AuthorityLevel = authority, MaxLearnerSessions = maxSessions };

    public static ShareRecord Share(string teacher, string skill, int sessions = 1, int level = 3, int groupSize = 1) =>
        new() { TeacherId = teacher, SkillId = skill, Sessions = sessions, Level = level, AcceptsGroups = groupSize > 1, MaxGroupSize = groupSize };

    public static WantRecord Want(string learner, string skill, Priority priority = Priority.Medium, string? preferred = null) =>
        new() { LearnerId = learner, SkillId = skill, Priority = priority, PreferredTeacherId = preferred };

    public static List<SkillRecord> Skills(params string[] ids) => [.. ids.Select(id => new SkillRecord { Id = id })];

    /// <summary>
    /// A random tiny organisation (up to 7 people, 3 skills, 6 wants) small enough for brute force, with every
    /// rule in play: a reporting forest, groups, preferred teachers, last cycle's pairs (hard or soft), whole-chain exclusion.
    /// </summary>
    public static InstanceDocument RandomTiny(ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue));
        int people = random.Next(2, 8);
        int skills = random.Next(1, 4);
        string P(int i) => "p" + i.ToString(CultureInfo.InvariantCulture);
        string S(int i) => "s" + i.ToString(CultureInfo.InvariantCulture);
        var document = new InstanceDocument
        {
            Skills = [.. Enumerable.Range(0, skills).Select(k => new SkillRecord { Id = S(k) })],
            Settings = new MatchingSettings
            {
                ExcludeWholeReportingChain = random.Next(3) == 0,
                LastCyclePairs = random.Next(2) == 0 ? LastCyclePairsRule.Hard : LastCyclePairsRule.Soft,
            },
        };
        string[] departments = ["Finance", "Sales", "Legal"];
        for (int i = 0; i < people; i++)
        {
            string? manager = i == 0 || random.Next(4) == 0 ? null : P(random.Next(i));
            document.People.Add(Person(P(i), departments[random.Next(departments.Length)], manager, random.Next(1, 11), random.Next(0, 3)));
        }
        var shareKeys = new HashSet<(int, int)>();
        int shareCount = random.Next(1, 6);
        for (int i = 0; i < shareCount; i++)
        {
            int t = random.Next(people), k = random.Next(skills);
            if (!shareKeys.Add((t, k))) continue;
            int group = random.Next(3) == 0 ? random.Next(2, 4) : 1;
            document.Shares.Add(Share(P(t), S(k), random.Next(0, 3), random.Next(1, 6), group));
        }
        var wantKeys = new HashSet<(int, int)>();
        int wantCount = random.Next(1, 7);
        Priority[] priorities = [Priority.Low, Priority.Medium, Priority.High];
        for (int i = 0; i < wantCount; i++)
        {
            int l = random.Next(people), k = random.Next(skills);
            if (!wantKeys.Add((l, k))) continue;
            string? preferred = random.Next(3) == 0 ? P(random.Next(people)) : null;
            document.Wants.Add(Want(P(l), S(k), priorities[random.Next(3)], preferred));
        }
        int pairs = random.Next(0, 3);
        for (int i = 0; i < pairs; i++)
            document.LastCyclePairs.Add(new PairRecord { LearnerId = P(random.Next(people)), TeacherId = P(random.Next(people)) });
        return document;
    }

    /// <summary>
    /// <see cref="RandomTiny"/> with the rules of meeting: availability over six hour cells (a third say nothing), hard or
    /// soft, caps across skills, an authority gap, and more group shares, so that groups, caps and hours interact.
    /// </summary>
    public static InstanceDocument RandomTinyWithHours(ulong seed)
    {
        var document = RandomTiny(seed);
        var random = new Random((int)(seed % int.MaxValue) ^ 0x5EED);
        foreach (var person in document.People)
        {
            if (random.Next(3) > 0)
            {
                var hours = Enumerable.Range(0, 6).Where(_ => random.Next(3) == 0).Select(h => h * 28).ToArray();
                person.Availability = hours.Length > 0 ? hours : [random.Next(168)];
            }
            if (random.Next(4) == 0) person.MaxTeacherSessions = random.Next(0, 3);
        }
        foreach (var share in document.Shares)
        {
            if (random.Next(2) == 0) { share.AcceptsGroups = true; share.MaxGroupSize = random.Next(2, 4); }
        }
        // Extra shares so that teachers often have two skills (the cap across skills).
        foreach (var person in document.People.Where(_ => random.Next(3) == 0))
        {
            var skill = document.Skills[random.Next(document.Skills.Count)].Id;
            if (document.Shares.Any(s => s.TeacherId == person.Id && s.SkillId == skill)) continue;
            document.Shares.Add(Share(person.Id, skill, random.Next(1, 3), random.Next(1, 6), random.Next(2) == 0 ? 2 : 1));
        }
        document.Settings.Availability = random.Next(3) == 0 ? AvailabilityRule.Soft : AvailabilityRule.Hard;
        if (random.Next(3) == 0) document.Settings.MaxAuthorityGap = random.Next(0, 5);
        return document;
    }

    /// <summary>
    /// A tiny organisation where groups must form and often cannot (hard availability): 1–2 teachers of skill s0 with
    /// 1–2 sessions and groups of 2–4, 4–7 learners who mostly want s0 (some also s1, taught one-to-one), each free in
    /// one or two of four hour cells or saying nothing, and managers among the learners; a quarter of the time the first
    /// teacher also teaches s1 under a cap across both shares.
    /// </summary>
    public static InstanceDocument RandomTinyGroupConflicts(ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue) ^ 0x6A09);
        string P(int i) => "p" + i.ToString(CultureInfo.InvariantCulture);
        int teachers = random.Next(1, 3), learners = random.Next(4, 8);
        var document = new InstanceDocument
        {
            Skills = Skills("s0", "s1"),
            Settings = new MatchingSettings { ExcludeWholeReportingChain = random.Next(3) == 0, Availability = AvailabilityRule.Hard },
        };
        string[] departments = ["Finance", "Sales"];
        int[] cells = [9, 10, 33, 34];
        for (int i = 0; i < teachers + learners; i++)
        {
            string? manager = i <= teachers || random.Next(3) == 0 ? null : P(teachers + random.Next(i - teachers));
            var person = Person(P(i), departments[random.Next(2)], manager, random.Next(1, 11), i < teachers ? 0 : random.Next(1, 3));
            if (random.Next(5) > 0) person.Availability = [.. cells.Where(_ => random.Next(3) == 0).DefaultIfEmpty(cells[random.Next(4)])];
            document.People.Add(person);
        }
        for (int t = 0; t < teachers; t++)
        {
            document.People[t].Availability = [.. cells.Where(_ => random.Next(2) == 0).DefaultIfEmpty(cells[random.Next(4)])];
            document.Shares.Add(Share(P(t), "s0", random.Next(1, 3), random.Next(1, 6), random.Next(2, 5)));
        }
        if (random.Next(2) == 0)
        {
            document.Shares.Add(Share(P(0), "s1", 1, 3));
            // A cap across the two shares: the network routes them through a teacher node, which the cuts must respect.
            if (random.Next(2) == 0) document.People[0].MaxTeacherSessions = random.Next(2, 5);
        }
        Priority[] priorities = [Priority.Low, Priority.Medium, Priority.High];
        for (int l = teachers; l < teachers + learners; l++)
        {
            if (random.Next(6) > 0) document.Wants.Add(Want(P(l), "s0", priorities[random.Next(3)]));
            if (random.Next(4) == 0) document.Wants.Add(Want(P(l), "s1", priorities[random.Next(3)]));
        }
        return document;
    }
}
