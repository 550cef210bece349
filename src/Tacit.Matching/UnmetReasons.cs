using System.Globalization;
using System.Text.Json.Serialization;

namespace Tacit.Matching;

/// <summary>
/// What already holds sessions before a solve: a facilitator's honoured pins, or the assignments a rematch keeps. The
/// solve sees only what they leave free; the reasons for unmet wants must still tell the whole story, so they count these.
/// </summary>
internal sealed class EarlierPlacements
{
    /// <summary>Per person: the wants already holding one of their sessions, or null.</summary>
    public required List<(int Skill, Priority Priority)>?[] WantsOfLearner { get; init; }
    /// <summary>How those wants hold their sessions: <see cref="Placement.Pinned"/> or <see cref="Placement.Kept"/>.</summary>
    public required Placement How { get; init; }
    /// <summary>Per share: sessions already taken.</summary>
    public required int[] ShareSessions { get; init; }

    /// <summary>Resolves ids against <paramref name="instance"/>; placements of people or skills it does not know hold nothing in it.</summary>
    public static EarlierPlacements Resolve(CompiledInstance instance, Placement how, IEnumerable<(string LearnerId, string SkillId, Priority Priority)> wants,
        IEnumerable<(string TeacherId, string SkillId, int Sessions)> shareSessions)
    {
        var people = new Dictionary<string, int>(instance.PersonCount, StringComparer.Ordinal);
        for (int p = 0; p < instance.PersonCount; p++) people.Add(instance.PersonIds[p], p);
        var skills = new Dictionary<string, int>(instance.SkillCount, StringComparer.Ordinal);
        for (int k = 0; k < instance.SkillCount; k++) skills.Add(instance.SkillIds[k], k);
        var shares = new Dictionary<long, int>(instance.ShareCount);
        for (int s = 0; s < instance.ShareCount; s++) shares.Add(CompiledInstance.PairKey(instance.ShareTeacher[s], instance.ShareSkill[s]), s);

        var wantsOfLearner = new List<(int, Priority)>?[instance.PersonCount];
        foreach (var (learner, skill, priority) in wants)
            if (people.TryGetValue(learner, out int l) && skills.TryGetValue(skill, out int k)) (wantsOfLearner[l] ??= []).Add((k, priority));
        var taken = new int[instance.ShareCount];
        foreach (var (teacher, skill, sessions) in shareSessions)
        {
            // A kept session may be a teacher's who has left since: it holds no share of this instance.
            if (people.TryGetValue(teacher, out int t) && skills.TryGetValue(skill, out int k)
                && shares.TryGetValue(CompiledInstance.PairKey(t, k), out int s)) taken[s] += sessions;
        }
        return new EarlierPlacements { WantsOfLearner = wantsOfLearner, ShareSessions = taken, How = how };
    }
}

/// <summary>
/// Why each unmet want is unmet, derived from the solution: which constraint bound. Every fact stated is checked against
/// the instance and the plan (tests/Tacit.Matching.Tests/ReasonTruthTests.cs). Two predicates carry the rules, so a new
/// hard rule or capacity is one more case: <see cref="CompiledInstance.Excluded"/> (may this teacher teach this learner at
/// all?) and <see cref="HasRoom"/> (could this share take one more learner?).
/// </summary>
internal sealed class UnmetReasons
{
    private readonly CompiledInstance instance;
    private readonly int[] shareOfWant;
    private readonly int[] assignedPerShare;
    private readonly bool[] cappedTeachers;
    private readonly int[] teacherLoad;
    private readonly int[] wantsStart, wantsOfLearner; // CSR: each person's wants, in input order
    private readonly int[] sharesStart, sharesOfSkill; // CSR: each skill's shares that offer sessions (before earlier placements)
    private readonly int[] roomStart, sharesWithRoom;  // CSR: each skill's shares with room in this solve

    /// <param name="cappedTeachers">Teachers whose sessions across skills meet a cap node in the network (<see cref="MatchingNetwork.HasTeacherNode"/>).</param>
    public UnmetReasons(CompiledInstance instance, int[] shareOfWant, bool[] cappedTeachers)
    {
        this.instance = instance;
        this.shareOfWant = shareOfWant;
        this.cappedTeachers = cappedTeachers;
        assignedPerShare = new int[instance.ShareCount];
        foreach (int s in shareOfWant) if (s >= 0) assignedPerShare[s]++;
        teacherLoad = new int[instance.PersonCount];
        for (int s = 0; s < instance.ShareCount; s++) teacherLoad[instance.ShareTeacher[s]] += assignedPerShare[s];
        (wantsStart, wantsOfLearner) = Group(instance.PersonCount, instance.WantCount, w => instance.WantLearner[w]);
        var taken = instance.Earlier?.ShareSessions;
        (sharesStart, sharesOfSkill) = Group(instance.SkillCount, instance.ShareCount,
            s => instance.ShareSessions[s] + (taken?[s] ?? 0) > 0 ? instance.ShareSkill[s] : -1);
        (roomStart, sharesWithRoom) = Group(instance.SkillCount, instance.ShareCount, s => HasRoom(s) ? instance.ShareSkill[s] : -1);
    }

    private static (int[] Start, int[] Items) Group(int groups, int count, Func<int, int> groupOf)
    {
        var start = new int[groups + 1];
        for (int i = 0; i < count; i++) { int g = groupOf(i); if (g >= 0) start[g + 1]++; }
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        var fill = (int[])start.Clone();
        var items = new int[start[groups]];
        for (int i = 0; i < count; i++) { int g = groupOf(i); if (g >= 0) items[fill[g]++] = i; }
        return (start, items);
    }

    /// <summary>Whether the share could take one more learner in this solve: its sessions (one-to-one, or groups) are not all used.
    /// A teacher with a cap across skills has room only below it (counted in learners, as the network counts it).</summary>
    private bool HasRoom(int share)
    {
        int teacher = instance.ShareTeacher[share];
        if (cappedTeachers[teacher] && teacherLoad[teacher] >= instance.TeacherCap[teacher]) return false;
        return assignedPerShare[share] < instance.ShareLearnerCapacity(share);
    }

    public UnmetWant Explain(int want)
    {
        int l = instance.WantLearner[want];
        int k = instance.WantSkill[want];
        var earlier = instance.Earlier?.WantsOfLearner[l];
        int heldHere = 0; // sessions this solve gave the learner; its limit is what earlier placements left
        for (int i = wantsStart[l]; i < wantsStart[l + 1]; i++) if (shareOfWant[wantsOfLearner[i]] >= 0) heldHere++;

        UnmetReason code;
        string text;
        List<HeldWant>? wentTo = null;
        List<Exclusion>? excludedBy = null;
        bool booked = false;

        // Each loop stops at the first allowed share: a popular skill has thousands of sharers and as many unmet wants.
        bool AnyAllowed(int[] start, int[] shares)
        {
            for (int i = start[k]; i < start[k + 1]; i++)
                if (instance.Excluded(l, instance.ShareTeacher[shares[i]]) == Exclusion.None) return true;
            return false;
        }
        // A share the exact group-composition search ruled out for this want has no room for it: its groups could not
        // take the learner in a plan at least as good (docs/matching.md, "Exact search after cuts").
        bool AnyWithRoom()
        {
            for (int i = roomStart[k]; i < roomStart[k + 1]; i++)
                if (instance.Excluded(l, instance.ShareTeacher[sharesWithRoom[i]]) == Exclusion.None && !instance.IsBranchExcluded(want, sharesWithRoom[i])) return true;
            return false;
        }

        if (instance.MaxSessions[l] == 0 && earlier is null)
        {
            code = UnmetReason.LearnerAtSessionLimit;
            wentTo = [];
            text = "learner takes no sessions this cycle (maxLearnerSessions is 0)";
        }
        else if (sharesStart[k + 1] == sharesStart[k])
        {
            code = UnmetReason.NoSharers;
            text = "nobody offers sessions of this skill this cycle";
        }
        else if (!AnyAllowed(sharesStart, sharesOfSkill))
        {
            code = UnmetReason.OnlyExcludedSharers;
            excludedBy = [];
            for (int i = sharesStart[k]; i < sharesStart[k + 1]; i++)
            {
                var exclusion = instance.Excluded(l, instance.ShareTeacher[sharesOfSkill[i]]);
                if (!excludedBy.Contains(exclusion)) excludedBy.Add(exclusion);
            }
            excludedBy.Sort();
            text = "the only sharers are " + string.Join(", ", excludedBy.Select(e => ExclusionName(e) + SharersRuledOutBy(l, k, e)));
        }
        else if (heldHere >= instance.MaxSessions[l])
        {
            code = UnmetReason.LearnerAtSessionLimit;
            wentTo = [];
            if (earlier is not null) wentTo.AddRange(earlier.Select(e => new HeldWant(instance.SkillIds[e.Skill], e.Priority, instance.Earlier!.How)));
            for (int i = wantsStart[l]; i < wantsStart[l + 1]; i++)
            {
                int w = wantsOfLearner[i];
                if (shareOfWant[w] >= 0) wentTo.Add(new HeldWant(instance.SkillIds[instance.WantSkill[w]], instance.WantPriority[w], Placement.Matched));
            }
            // A share ruled out for this want by the exact search still counts here: "at capacity too" is said only
            // when it is true without the search's help.
            booked = !AnyAllowed(roomStart, sharesWithRoom);
            text = string.Create(CultureInfo.InvariantCulture,
                $"learner at their session limit: their {Count(wentTo.Count, "session")} went to {string.Join(", ", wentTo.Select(h => $"{h.SkillId} ({Name(h.Priority)}{PlacementName(h.Placement)})"))}")
                + (booked ? "; everyone who shares it and may teach the learner is at capacity too" : "");
        }
        else
        {
            // An allowed share with room and a learner below their limit is an improving path: the flow was not optimal.
            if (AnyWithRoom()) throw new InvalidOperationException($"optimality violated: want {want} could use a share with room");
            code = UnmetReason.SharersAtCapacity;
            booked = true;
            text = "everyone who shares it and may teach the learner is at capacity";
        }
        return new UnmetWant
        {
            LearnerId = instance.PersonIds[l],
            SkillId = instance.SkillIds[k],
            Priority = instance.WantPriority[want],
            ReasonCode = code,
            Reason = text,
            SessionsWentTo = wentTo,
            ExcludedBy = excludedBy,
            SharersBooked = booked,
        };
    }

    /// <summary>" (p3, p9)": up to three teachers a rule rules out, for facilitators; nobody who declined is named.</summary>
    private string SharersRuledOutBy(int learner, int skill, Exclusion exclusion)
    {
        if (exclusion == Exclusion.Declined) return "";
        var teachers = new List<string>();
        for (int i = sharesStart[skill]; i < sharesStart[skill + 1]; i++)
        {
            int t = instance.ShareTeacher[sharesOfSkill[i]];
            if (instance.Excluded(learner, t) == exclusion) teachers.Add(instance.PersonIds[t]);
        }
        return $" ({string.Join(", ", teachers.Take(3))}{(teachers.Count > 3 ? ", …" : "")})";
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    private static string PlacementName(Placement placement) => placement switch
    {
        Placement.Pinned => ", pinned",
        Placement.Kept => ", already matched",
        _ => "",
    };

    private static string Name(Priority priority) => priority switch
    {
        Priority.High => "high",
        Priority.Medium => "medium",
        _ => "low",
    };

    /// <summary>The rule in the engine's words, for facilitators and the command line; nobody who declined is named.</summary>
    private static string ExclusionName(Exclusion exclusion) => exclusion switch
    {
        Exclusion.Self => "yourself",
        Exclusion.Manager => "your manager",
        Exclusion.DirectReport => "your report",
        Exclusion.AboveInChain => "above you in your reporting chain",
        Exclusion.BelowInChain => "below you in your reporting chain",
        Exclusion.LastCycleTeacher => "last cycle's teacher",
        Exclusion.Declined => "a teacher who declined you",
        Exclusion.ExcludedByFacilitator => "excluded by the facilitator",
        Exclusion.AuthorityGap => "further from your level than the matching allows",
        Exclusion.NoCommonHour => "free at none of your hours",
        _ => exclusion.ToString(),
    };
}

/// <summary>A want holding one of the learner's sessions, as an unmet want's reason names it, and how it came to hold it.</summary>
public sealed record HeldWant(string SkillId, Priority Priority, Placement Placement);

/// <summary>
/// How a want came to hold a session. Only a matched one could have been traded for another of the learner's wants:
/// a facilitator's pin is placed before the engine matches, and a rematch keeps what the learner already has.
/// </summary>
[JsonConverter(typeof(ExactEnumConverter<Placement>))]
public enum Placement
{
    Matched,
    Pinned,
    Kept,
}
