using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Tacit.Matching;

/// <summary>Thrown for malformed or inconsistent instances; the message names the offending record.</summary>
public sealed class InstanceValidationException(string message) : Exception(message);

/// <summary>Why a learner may not be taught by a teacher (hard exclusions); an unmet want's reason names them (<see cref="UnmetWant.ExcludedBy"/>).</summary>
[JsonConverter(typeof(ExactEnumConverter<Exclusion>))]
public enum Exclusion : byte
{
    None,
    Self,
    Manager,
    DirectReport,
    AboveInChain,
    BelowInChain,
    AuthorityGap,
    NoCommonHour,
    LastCycleTeacher,
    Declined,
    ExcludedByFacilitator,
}

/// <summary>
/// The instance validated and mapped to dense integer indices (people, skills, shares and wants keep their input order).
/// All later stages work on these arrays only.
/// </summary>
internal sealed class CompiledInstance
{
    public required InstanceDocument Source { get; init; }
    public required MatchingWeights Weights { get; init; }
    public required bool WholeChain { get; init; }
    public required bool HardLastPairs { get; init; }
    /// <summary>Availability rule: hard (no common hour = excluded) or soft (a penalty in the pair score).</summary>
    public required bool HardAvailability { get; init; }
    /// <summary>Largest allowed |authority(learner) − authority(teacher)|; int.MaxValue when unlimited.</summary>
    public required int MaxAuthorityGap { get; init; }

    /// <summary>Per person: id of their availability mask, 0 = said nothing (any time). Equal hour sets share an id.</summary>
    public required int[] PersonMask { get; init; }
    /// <summary>The hour cells of each mask id, <see cref="MaskWords"/> words a mask (mask 0 is all ones).</summary>
    public required ulong[] MaskBits { get; init; }
    public int MaskCount => MaskBits.Length / MaskWords;
    public const int MaskWords = 3;
    public const int HoursPerWeek = 168;
    /// <summary>Per person: maxTeacherSessions, −1 when not capped. Shares of a capped teacher already have sessions ≤ the cap.</summary>
    public required int[] TeacherCap { get; init; }

    public required string[] PersonIds { get; init; }
    public required int[] PersonDepartment { get; init; }
    public required string[] DepartmentNames { get; init; }
    public required int[] Manager { get; init; }
    public required int[] Authority { get; init; }
    public required int[] MaxSessions { get; init; }
    /// <summary>Reports of each person, in input order (CSR).</summary>
    public required int[] ReportsStart { get; init; }
    public required int[] Reports { get; init; }
    /// <summary>Euler-tour entry/exit times of the reporting forest: b is below a iff Enter[a] &lt; Enter[b] &lt;= Exit[a].</summary>
    public required int[] Enter { get; init; }
    public required int[] Exit { get; init; }

    public required string[] SkillIds { get; init; }

    public required int[] ShareTeacher { get; init; }
    public required int[] ShareSkill { get; init; }
    public required int[] ShareLevel { get; init; }
    public required int[] ShareSessions { get; init; }
    public required int[] ShareGroupSize { get; init; }

    public required int[] WantLearner { get; init; }
    public required int[] WantSkill { get; init; }
    public required Priority[] WantPriority { get; init; }
    public required int[] WantPreferred { get; init; }

    /// <summary>Sorted (learner &lt;&lt; 32 | teacher) keys of last cycle's pairs.</summary>
    public required long[] LastPairs { get; init; }
    /// <summary>Sorted (learner &lt;&lt; 32 | teacher) keys of pairs forbidden because the teacher declined (Rematch only).</summary>
    public long[] DeclinedPairs { get; init; } = [];
    /// <summary>Sorted keys of the pairs among <see cref="DeclinedPairs"/> that a facilitator excluded (nobody declined them).</summary>
    public long[] FacilitatorPairs { get; init; } = [];
    /// <summary>Pins or kept assignments that hold sessions before this solve, for the reasons of unmet wants.</summary>
    public EarlierPlacements? Earlier { get; set; }
    /// <summary>Learners that already hold a session (Rematch): they get no first-session bonus.</summary>
    public bool[]? AlreadyServed { get; init; }

    public int PersonCount => PersonIds.Length;
    public int SkillCount => SkillIds.Length;
    public int ShareCount => ShareTeacher.Length;
    public int WantCount => WantLearner.Length;

    /// <summary>Learner capacity of a share in the relaxation: sessions one-to-one, or sessions × group size when it accepts groups.</summary>
    public int ShareLearnerCapacity(int share) =>
        ShareCapacityLimit is { } limit ? Math.Min(limit[share], checked(ShareSessions[share] * ShareGroupSize[share])) : checked(ShareSessions[share] * ShareGroupSize[share]);

    /// <summary>Learner capacity lowered by group-composition cuts (see <see cref="Matcher"/>); null when no cut was needed.</summary>
    public int[]? ShareCapacityLimit { get; set; }

    /// <summary>
    /// (want, share) pairs a branch of the exact group-composition search rules out (see <see cref="Matcher"/>), each
    /// as <see cref="PairKey"/>(want, share); null outside that search. Not a rule of the organisation: the network
    /// treats them as forbidden special shares, and an unmet want's reasons count such a share as having no room for it.
    /// </summary>
    public HashSet<long>? BranchExcluded { get; set; }

    public bool IsBranchExcluded(int want, int share) => BranchExcluded is { } excluded && excluded.Contains(PairKey(want, share));

    public int PriorityWeight(Priority priority) => priority switch
    {
        Priority.High => Weights.HighPriority,
        Priority.Medium => Weights.MediumPriority,
        _ => Weights.LowPriority,
    };

    public static long PairKey(int learner, int teacher) => ((long)learner << 32) | (uint)teacher;

    public bool IsLastPair(int learner, int teacher) => Array.BinarySearch(LastPairs, PairKey(learner, teacher)) >= 0;

    public bool IsBelow(int ancestor, int person) => Enter[ancestor] < Enter[person] && Enter[person] <= Exit[ancestor];

    /// <summary>True when the two masks share an hour cell (mask 0, "any time", shares every hour).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MasksMeet(int a, int b)
    {
        if (a == 0 || b == 0 || a == b) return true;
        int i = a * MaskWords, j = b * MaskWords;
        return ((MaskBits[i] & MaskBits[j]) | (MaskBits[i + 1] & MaskBits[j + 1]) | (MaskBits[i + 2] & MaskBits[j + 2])) != 0;
    }

    /// <summary>Teacher and learner share at least one hour (either saying nothing counts as any time).</summary>
    public bool HaveCommonHour(int learner, int teacher) => MasksMeet(PersonMask[learner], PersonMask[teacher]);

    /// <summary>The authority classes (a, b) may be paired under <c>maxAuthorityGap</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AuthorityAllowed(int learnerAuthority, int teacherAuthority) => Math.Abs(learnerAuthority - teacherAuthority) <= MaxAuthorityGap;

    /// <summary>The pair costs the soft no-common-hour penalty (soft mode and no common hour).</summary>
    public bool PenalisedForHours(int learner, int teacher) => !HardAvailability && !HaveCommonHour(learner, teacher);

    /// <summary>
    /// Whether a learner may be taught by a teacher, and if not the first rule that forbids it. This one predicate serves
    /// the network, the pins and the unmet-want reasons, so they never disagree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called for every special share and assignment while the methods are still being tiered up
    public Exclusion Excluded(int learner, int teacher)
    {
        if (learner == teacher) return Exclusion.Self;
        if (Manager[learner] == teacher) return Exclusion.Manager;
        if (Manager[teacher] == learner) return Exclusion.DirectReport;
        if (WholeChain)
        {
            if (IsBelow(teacher, learner)) return Exclusion.AboveInChain;
            if (IsBelow(learner, teacher)) return Exclusion.BelowInChain;
        }
        if (!AuthorityAllowed(Authority[learner], Authority[teacher])) return Exclusion.AuthorityGap;
        if (HardAvailability && !HaveCommonHour(learner, teacher)) return Exclusion.NoCommonHour;
        if (HardLastPairs && IsLastPair(learner, teacher)) return Exclusion.LastCycleTeacher;
        if (DeclinedPairs.Length > 0 && Array.BinarySearch(DeclinedPairs, PairKey(learner, teacher)) >= 0)
            return Array.BinarySearch(FacilitatorPairs, PairKey(learner, teacher)) >= 0 ? Exclusion.ExcludedByFacilitator : Exclusion.Declined;
        return Exclusion.None;
    }

    /// <summary>The pair score of a want taught through a share (third objective level). Decomposes into a learner-class × teacher-class part, a share part and pair-specific parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called for every special share and assignment while the methods are still being tiered up
    public int PairScore(int want, int share)
    {
        int learner = WantLearner[want];
        int teacher = ShareTeacher[share];
        int score = ClassScore(learner, teacher) + Weights.TeacherLevel * ShareLevel[share];
        if (WantPreferred[want] == teacher) score += Weights.PreferredTeacher;
        if (!HardLastPairs && IsLastPair(learner, teacher)) score -= Weights.RepeatPairPenalty;
        if (PenalisedForHours(learner, teacher)) score -= Weights.NoCommonHourPenalty;
        return score;
    }

    /// <summary>The part of the pair score that depends only on (department, authority) of both sides.</summary>
    public int ClassScore(int learner, int teacher) =>
        ClassScore(PersonDepartment[learner], Authority[learner], PersonDepartment[teacher], Authority[teacher]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ClassScore(int learnerDepartment, int learnerAuthority, int teacherDepartment, int teacherAuthority) =>
        (learnerDepartment != teacherDepartment ? Weights.CrossDepartment : 0)
        + Weights.PeerCloseness * (9 - Math.Abs(learnerAuthority - teacherAuthority));

    public static CompiledInstance Parse(string json) => Compile(InstanceJson.Parse(json));

    public static CompiledInstance Parse(ReadOnlySpan<byte> utf8Json) => Compile(InstanceJson.Parse(utf8Json));

    public static CompiledInstance Parse(Stream utf8Json) => Compile(InstanceJson.Parse(utf8Json));

    /// <param name="declined">Pairs a teacher declined (rematch), excluded like hard last-cycle pairs.</param>
    /// <param name="excludedByFacilitator">Pairs a facilitator excluded, excluded the same way and named apart in reasons.</param>
    public static CompiledInstance Compile(InstanceDocument document, IReadOnlyList<(string LearnerId, string TeacherId)>? declined = null, IReadOnlySet<string>? alreadyServed = null,
        IReadOnlyList<(string LearnerId, string TeacherId)>? excludedByFacilitator = null)
    {
        static string Quote(string? value) => value is null ? "null" : "\"" + value + "\"";

        if (document.People is null || document.Skills is null || document.Shares is null || document.Wants is null)
            throw new InstanceValidationException("instance must have the arrays people, skills, shares and wants");
        var settings = document.Settings ?? new MatchingSettings();
        var weights = settings.Weights ?? new MatchingWeights();
        ValidateWeights(weights);

        var people = document.People;
        var personIndex = new Dictionary<string, int>(people.Count, StringComparer.Ordinal);
        var departmentIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var departmentNames = new List<string>();
        var personIds = new string[people.Count];
        var department = new int[people.Count];
        var authority = new int[people.Count];
        var maxSessions = new int[people.Count];
        var personMask = new int[people.Count];
        var teacherCap = new int[people.Count];
        var masks = new Dictionary<(ulong, ulong, ulong), int>();
        var maskBits = new List<ulong> { ulong.MaxValue, ulong.MaxValue, ulong.MaxValue }; // mask 0: any time
        if (settings.MaxAuthorityGap is < 0) throw new InstanceValidationException($"settings.maxAuthorityGap: {settings.MaxAuthorityGap} is negative");
        if (!Enum.IsDefined(settings.Availability)) throw new InstanceValidationException("settings.availability: must be hard or soft");
        for (int i = 0; i < people.Count; i++)
        {
            var person = people[i] ?? throw new InstanceValidationException($"people[{i}] is null");
            // The record's name is only formatted for an error: building it for each of 100,000s of records cost
            // about as much as the rest of the validation.
            string Where() => $"people[{i}] (id {Quote(person.Id)})";
            if (string.IsNullOrEmpty(person.Id)) throw new InstanceValidationException($"{Where()}: id is missing");
            if (!personIndex.TryAdd(person.Id, i)) throw new InstanceValidationException($"{Where()}: duplicate person id {Quote(person.Id)} (first at people[{personIndex[person.Id]}])");
            if (string.IsNullOrEmpty(person.Department)) throw new InstanceValidationException($"{Where()}: department is missing");
            if (person.AuthorityLevel is < 1 or > 10) throw new InstanceValidationException($"{Where()}: authorityLevel {person.AuthorityLevel} is outside 1–10");
            if (person.MaxLearnerSessions < 0) throw new InstanceValidationException($"{Where()}: maxLearnerSessions {person.MaxLearnerSessions} is negative");
            if (person.MaxLearnerSessions > 1000) throw new InstanceValidationException($"{Where()}: maxLearnerSessions {person.MaxLearnerSessions} exceeds 1000");
            if (!departmentIndex.TryGetValue(person.Department, out int d))
            {
                d = departmentNames.Count;
                departmentIndex.Add(person.Department, d);
                departmentNames.Add(person.Department);
            }
            if (person.MaxTeacherSessions is < 0 or > 1000) throw new InstanceValidationException($"{Where()}: maxTeacherSessions {person.MaxTeacherSessions} is outside 0–1000");
            personMask[i] = person.Availability is { Length: > 0 } hours ? InternMask(hours, Where, masks, maskBits) : 0;
            teacherCap[i] = person.MaxTeacherSessions ?? -1;
            personIds[i] = person.Id;
            department[i] = d;
            authority[i] = person.AuthorityLevel;
            maxSessions[i] = person.MaxLearnerSessions;
        }

        var manager = new int[people.Count];
        for (int i = 0; i < people.Count; i++)
        {
            string? managerId = people[i].ManagerId;
            if (managerId is null) { manager[i] = -1; continue; }
            if (!personIndex.TryGetValue(managerId, out int m))
                throw new InstanceValidationException($"people[{i}] (id {Quote(personIds[i])}): unknown managerId {Quote(managerId)}");
            if (m == i) throw new InstanceValidationException($"people[{i}] (id {Quote(personIds[i])}): is their own manager");
            manager[i] = m;
        }
        var (reportsStart, reports) = BuildReports(manager);
        var (enter, exit) = EulerTour(manager, reportsStart, reports, personIds);

        var skillIndex = new Dictionary<string, int>(document.Skills.Count, StringComparer.Ordinal);
        var skillIds = new string[document.Skills.Count];
        for (int i = 0; i < document.Skills.Count; i++)
        {
            var skill = document.Skills[i] ?? throw new InstanceValidationException($"skills[{i}] is null");
            if (string.IsNullOrEmpty(skill.Id)) throw new InstanceValidationException($"skills[{i}]: id is missing");
            if (!skillIndex.TryAdd(skill.Id, i)) throw new InstanceValidationException($"skills[{i}] (id {Quote(skill.Id)}): duplicate skill id (first at skills[{skillIndex[skill.Id]}])");
            skillIds[i] = skill.Id;
        }

        // Record names are formatted only for an error (see people above): where(i) names record i.
        int Person(string? id, Func<int, string> where, int record, string field)
        {
            if (id is null) throw new InstanceValidationException($"{where(record)}: {field} is missing");
            return personIndex.TryGetValue(id, out int p) ? p : throw new InstanceValidationException($"{where(record)}: unknown {field} {Quote(id)}");
        }
        int SkillOf(string? id, Func<int, string> where, int record)
        {
            if (id is null) throw new InstanceValidationException($"{where(record)}: skillId is missing");
            return skillIndex.TryGetValue(id, out int s) ? s : throw new InstanceValidationException($"{where(record)}: unknown skillId {Quote(id)}");
        }

        var wants = document.Wants;
        var wantLearner = new int[wants.Count];
        var wantSkill = new int[wants.Count];
        var wantPriority = new Priority[wants.Count];
        var wantPreferred = new int[wants.Count];
        var wantKeys = new Dictionary<long, int>(wants.Count);
        Func<int, string> wantWhere = i => $"wants[{i}] (learnerId {Quote(wants[i].LearnerId)}, skillId {Quote(wants[i].SkillId)})";
        // Wants are checked on the second core while the shares are checked here: both only read the id maps.
        void CheckWants()
        {
            for (int i = 0; i < wants.Count; i++)
            {
                var want = wants[i] ?? throw new InstanceValidationException($"wants[{i}] is null");
                int learner = Person(want.LearnerId, wantWhere, i, "learnerId");
                int skill = SkillOf(want.SkillId, wantWhere, i);
                string where() => wantWhere(i);
                if (!Enum.IsDefined(want.Priority)) throw new InstanceValidationException($"{where()}: priority must be high, medium or low");
                if (!wantKeys.TryAdd(PairKey(learner, skill), i)) throw new InstanceValidationException($"{where()}: duplicate want of the same skill by the same learner (first at wants[{wantKeys[PairKey(learner, skill)]}])");
                wantLearner[i] = learner;
                wantSkill[i] = skill;
                wantPriority[i] = want.Priority;
                wantPreferred[i] = want.PreferredTeacherId is null ? -1 : Person(want.PreferredTeacherId, wantWhere, i, "preferredTeacherId");
            }
        }
        var wantsChecked = Task.Run(CheckWants);

        var shares = document.Shares;
        var shareTeacher = new int[shares.Count];
        var shareSkill = new int[shares.Count];
        var shareLevel = new int[shares.Count];
        var shareSessions = new int[shares.Count];
        var shareGroup = new int[shares.Count];
        var shareKeys = new Dictionary<long, int>(shares.Count);
        Func<int, string> shareWhere = i => $"shares[{i}] (teacherId {Quote(shares[i].TeacherId)}, skillId {Quote(shares[i].SkillId)})";
        for (int i = 0; i < shares.Count; i++)
        {
            var share = shares[i] ?? throw new InstanceValidationException($"shares[{i}] is null");
            int teacher = Person(share.TeacherId, shareWhere, i, "teacherId");
            int skill = SkillOf(share.SkillId, shareWhere, i);
            string where() => shareWhere(i);
            if (share.Level is < 1 or > 5) throw new InstanceValidationException($"{where()}: level {share.Level} is outside 1–5");
            if (share.Sessions < 0) throw new InstanceValidationException($"{where()}: sessions {share.Sessions} is negative");
            if (share.Sessions > 1000) throw new InstanceValidationException($"{where()}: sessions {share.Sessions} exceeds 1000");
            if (share.AcceptsGroups && share.MaxGroupSize is < 1 or > 100) throw new InstanceValidationException($"{where()}: maxGroupSize {share.MaxGroupSize} is outside 1–100");
            if (!shareKeys.TryAdd(PairKey(teacher, skill), i)) throw new InstanceValidationException($"{where()}: duplicate share of the same skill by the same teacher (first at shares[{shareKeys[PairKey(teacher, skill)]}])");
            shareTeacher[i] = teacher;
            shareSkill[i] = skill;
            shareLevel[i] = share.Level;
            // A share never gives more sessions than its teacher's cap across skills.
            shareSessions[i] = teacherCap[teacher] >= 0 ? Math.Min(share.Sessions, teacherCap[teacher]) : share.Sessions;
            shareGroup[i] = share.AcceptsGroups ? share.MaxGroupSize : 1;
        }

        wantsChecked.GetAwaiter().GetResult(); // rethrows the wants' own error, after any error of the shares

        var last = document.LastCyclePairs ?? [];
        var lastPairs = new long[last.Count];
        Func<int, string> lastWhere = i => $"lastCyclePairs[{i}] (learnerId {Quote(last[i].LearnerId)}, teacherId {Quote(last[i].TeacherId)})";
        for (int i = 0; i < last.Count; i++)
        {
            var pair = last[i] ?? throw new InstanceValidationException($"lastCyclePairs[{i}] is null");
            lastPairs[i] = PairKey(Person(pair.LearnerId, lastWhere, i, "learnerId"), Person(pair.TeacherId, lastWhere, i, "teacherId"));
        }
        Array.Sort(lastPairs);

        long[] PairKeys(IReadOnlyList<(string LearnerId, string TeacherId)>? pairs, string name)
        {
            if (pairs is null) return [];
            var keys = new long[pairs.Count];
            Func<int, string> where = d => $"{name}[{d}] (learnerId {Quote(pairs[d].LearnerId)}, teacherId {Quote(pairs[d].TeacherId)})";
            for (int i = 0; i < pairs.Count; i++)
                keys[i] = PairKey(Person(pairs[i].LearnerId, where, i, "learnerId"), Person(pairs[i].TeacherId, where, i, "teacherId"));
            Array.Sort(keys);
            return keys;
        }
        long[] facilitatorPairs = PairKeys(excludedByFacilitator, "excluded");
        long[] declinedPairs = PairKeys(declined, "declined");
        if (facilitatorPairs.Length > 0)
        {
            declinedPairs = [.. declinedPairs, .. facilitatorPairs];
            Array.Sort(declinedPairs);
        }

        bool[]? served = null;
        if (alreadyServed is not null)
        {
            served = new bool[people.Count];
            foreach (string id in alreadyServed) served[Person(id, _ => "already served learner", 0, "learnerId")] = true;
        }

        return new CompiledInstance
        {
            Source = document,
            Weights = weights,
            WholeChain = settings.ExcludeWholeReportingChain,
            HardLastPairs = settings.LastCyclePairs == LastCyclePairsRule.Hard,
            HardAvailability = settings.Availability == AvailabilityRule.Hard,
            MaxAuthorityGap = settings.MaxAuthorityGap ?? int.MaxValue,
            PersonMask = personMask,
            MaskBits = [.. maskBits],
            TeacherCap = teacherCap,
            PersonIds = personIds,
            PersonDepartment = department,
            DepartmentNames = [.. departmentNames],
            Manager = manager,
            Authority = authority,
            MaxSessions = maxSessions,
            ReportsStart = reportsStart,
            Reports = reports,
            Enter = enter,
            Exit = exit,
            SkillIds = skillIds,
            ShareTeacher = shareTeacher,
            ShareSkill = shareSkill,
            ShareLevel = shareLevel,
            ShareSessions = shareSessions,
            ShareGroupSize = shareGroup,
            WantLearner = wantLearner,
            WantSkill = wantSkill,
            WantPriority = wantPriority,
            WantPreferred = wantPreferred,
            LastPairs = lastPairs,
            DeclinedPairs = declinedPairs,
            FacilitatorPairs = facilitatorPairs,
            AlreadyServed = served,
        };
    }

    private static void ValidateWeights(MatchingWeights w)
    {
        (string Name, int Value)[] all =
        [
            ("highPriority", w.HighPriority), ("mediumPriority", w.MediumPriority), ("lowPriority", w.LowPriority),
            ("crossDepartment", w.CrossDepartment), ("peerCloseness", w.PeerCloseness), ("preferredTeacher", w.PreferredTeacher),
            ("teacherLevel", w.TeacherLevel), ("repeatPairPenalty", w.RepeatPairPenalty), ("groupPenalty", w.GroupPenalty),
            ("noCommonHourPenalty", w.NoCommonHourPenalty),
        ];
        foreach (var (name, value) in all)
        {
            if (value is < 0 or > MatchingWeights.MaxWeight)
                throw new InstanceValidationException($"settings.weights.{name}: {value.ToString(CultureInfo.InvariantCulture)} is outside 0–{MatchingWeights.MaxWeight}");
        }
        // The lexicographic proof needs every met want to be worth at least one priority unit.
        if (w.HighPriority < 1 || w.MediumPriority < 1 || w.LowPriority < 1)
            throw new InstanceValidationException("settings.weights: priority weights must be at least 1");
    }

    /// <summary>The mask id of an availability list: 0 for null or empty (any time); equal hour sets get one id, numbered in first-seen order.</summary>
    private static int InternMask(int[] hours, Func<string> where, Dictionary<(ulong, ulong, ulong), int> masks, List<ulong> maskBits)
    {
        Span<ulong> bits = stackalloc ulong[MaskWords];
        for (int j = 0; j < hours.Length; j++)
        {
            int h = hours[j];
            if (h is < 0 or >= HoursPerWeek) throw new InstanceValidationException($"{where()}: availability[{j}] {h} is outside 0–167 (UTC hours of the week, 0 = Monday 00:00)");
            ulong bit = 1UL << (h & 63);
            if ((bits[h >> 6] & bit) != 0) throw new InstanceValidationException($"{where()}: availability[{j}] {h} is given twice");
            bits[h >> 6] |= bit;
        }
        var key = (bits[0], bits[1], bits[2]);
        if (masks.TryGetValue(key, out int id)) return id;
        id = maskBits.Count / MaskWords;
        masks.Add(key, id);
        maskBits.Add(bits[0]);
        maskBits.Add(bits[1]);
        maskBits.Add(bits[2]);
        return id;
    }

    /// <summary>The hour cells common to all the given people (sorted), or null when none of them restricts their availability.</summary>
    public int[]? CommonHours(ReadOnlySpan<int> persons)
    {
        ulong a = ulong.MaxValue, b = ulong.MaxValue, c = ulong.MaxValue;
        bool restricted = false;
        foreach (int p in persons)
        {
            int m = PersonMask[p];
            if (m == 0) continue;
            restricted = true;
            a &= MaskBits[m * MaskWords];
            b &= MaskBits[m * MaskWords + 1];
            c &= MaskBits[m * MaskWords + 2];
        }
        if (!restricted) return null;
        var hours = new List<int>();
        for (int h = 0; h < HoursPerWeek; h++)
        {
            ulong word = h < 64 ? a : h < 128 ? b : c;
            if ((word & (1UL << (h & 63))) != 0) hours.Add(h);
        }
        return [.. hours];
    }

    /// <summary>Two learners may sit in one group: neither is the other's direct manager (nor above them in the chain when the whole chain is excluded).</summary>
    public bool MayShareGroup(int a, int b)
    {
        if (Manager[a] == b || Manager[b] == a) return false;
        return !WholeChain || (!IsBelow(a, b) && !IsBelow(b, a));
    }

    private static (int[] Start, int[] Reports) BuildReports(int[] manager)
    {
        int n = manager.Length;
        var start = new int[n + 1];
        foreach (int m in manager) if (m >= 0) start[m + 1]++;
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        var fill = (int[])start.Clone();
        var reports = new int[start[n]];
        for (int i = 0; i < n; i++) if (manager[i] >= 0) reports[fill[manager[i]]++] = i;
        return (start, reports);
    }

    private static (int[] Enter, int[] Exit) EulerTour(int[] manager, int[] start, int[] reports, string[] ids)
    {
        int n = manager.Length;
        var enter = new int[n];
        var exit = new int[n];
        var visited = new bool[n];
        var stack = new Stack<(int Node, int Next)>();
        int clock = 0;
        for (int root = 0; root < n; root++)
        {
            if (manager[root] >= 0) continue;
            stack.Push((root, start[root]));
            visited[root] = true;
            enter[root] = clock++;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < start[node + 1])
                {
                    stack.Push((node, next + 1));
                    int child = reports[next];
                    visited[child] = true;
                    enter[child] = clock++;
                    stack.Push((child, start[child]));
                }
                else
                {
                    exit[node] = clock - 1;
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (visited[i]) continue;
            // Everyone not reachable from a root sits on a management cycle; name it.
            var cycle = new List<string>();
            int p = i;
            var seen = new HashSet<int>();
            while (seen.Add(p)) p = manager[p];
            int q = p;
            do { cycle.Add(ids[q]); q = manager[q]; } while (q != p);
            throw new InstanceValidationException($"people[{i}] (id \"{ids[i]}\"): cyclic management: {string.Join(" → ", cycle)} → {ids[p]}");
        }
        return (enter, exit);
    }
}
