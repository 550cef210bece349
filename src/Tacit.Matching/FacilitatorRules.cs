using System.Text.Json.Serialization;

namespace Tacit.Matching;

/// <summary>A (learner, teacher) pair a facilitator ruled out for this run, whatever the skill.</summary>
public sealed record ExcludedPair(string LearnerId, string TeacherId);

/// <summary>A facilitator's pin: this learner is taught this skill by this teacher, one to one, before the engine matches the rest.</summary>
public sealed record PinnedPair(string LearnerId, string TeacherId, string SkillId);

/// <summary>Why a pin cannot be honoured: a hard rule of the instance, the facilitator's own exclusion, or capacity taken by earlier pins.</summary>
[JsonConverter(typeof(ExactEnumConverter<PinRefusal>))]
public enum PinRefusal
{
    Self,
    Manager,
    DirectReport,
    AboveInChain,
    BelowInChain,
    AuthorityGap,
    NoCommonHour,
    LastCyclePair,
    Excluded,
    NotWanted,
    NotShared,
    LearnerTakesNoSessions,
    TeacherOffersNoSessions,
    WantAlreadyPinned,
    LearnerSessionsTaken,
    TeacherSessionsTaken,
    TeacherCycleCapTaken,
}

/// <summary>
/// A pin that is not honoured, and why. <paramref name="Chain"/> is the reporting line for <see cref="PinRefusal.AboveInChain"/>
/// (learner up to teacher) and <see cref="PinRefusal.BelowInChain"/> (teacher up to learner); empty otherwise.
/// </summary>
public sealed record SkippedPin(PinnedPair Pin, PinRefusal Reason, IReadOnlyList<string> Chain)
{
    /// <summary>The reason in words, naming people and the skill through the given look-ups (ids are passed in).</summary>
    public string Describe(Func<string, string> personName, Func<string, string> skillName)
    {
        string learner = personName(Pin.LearnerId), teacher = personName(Pin.TeacherId), skill = skillName(Pin.SkillId);
        string Line() => Chain.Count > 2 ? " through " + string.Join(" and ", Chain.Skip(1).Take(Chain.Count - 2).Select(personName)) : "";
        return Reason switch
        {
            PinRefusal.Self => $"{learner} cannot be taught by themselves",
            PinRefusal.Manager => $"{teacher} is {learner}'s manager; nobody is matched with their own manager or report",
            PinRefusal.DirectReport => $"{teacher} reports to {learner}; nobody is matched with their own manager or report",
            PinRefusal.AboveInChain => $"{learner} reports to {teacher}{Line()}; the matching excludes the whole reporting chain",
            PinRefusal.BelowInChain => $"{teacher} reports to {learner}{Line()}; the matching excludes the whole reporting chain",
            PinRefusal.AuthorityGap => $"{learner} and {teacher} are further apart in authority level than the matching allows",
            PinRefusal.NoCommonHour => $"{learner} and {teacher} have no free hour in common",
            PinRefusal.TeacherCycleCapTaken => $"{teacher} teaches at most the sessions they set for this cycle, and earlier pins have taken them all",
            PinRefusal.LastCyclePair => $"{learner} and {teacher} were paired last cycle; last cycle's pairs are not repeated",
            PinRefusal.Excluded => $"{learner} and {teacher} are excluded as a pair; a pin and an exclusion of the same pair cannot both hold",
            PinRefusal.NotWanted => $"{learner} does not want to learn {skill}",
            PinRefusal.NotShared => $"{teacher} does not share {skill}",
            PinRefusal.LearnerTakesNoSessions => $"{learner} takes no sessions in this cycle",
            PinRefusal.TeacherOffersNoSessions => $"{teacher} offers no sessions of {skill} in this cycle",
            PinRefusal.WantAlreadyPinned => $"{learner} is already pinned to another teacher for {skill}",
            PinRefusal.LearnerSessionsTaken => $"{learner}'s sessions are all taken by earlier pins",
            _ => $"{teacher}'s sessions of {skill} are all taken by earlier pins",
        };
    }
}

/// <summary>Which of a facilitator's pins hold, in order, and the instance left for the engine once they have taken their sessions.</summary>
public sealed class PinCheck
{
    internal PinCheck(List<PinnedPair> honoured, List<SkippedPin> skipped, InstanceDocument remaining)
    {
        Honoured = honoured;
        Skipped = skipped;
        Remaining = remaining;
    }

    public IReadOnlyList<PinnedPair> Honoured { get; }
    public IReadOnlyList<SkippedPin> Skipped { get; }
    /// <summary>The instance without the pinned wants, with the pins' sessions taken from their shares and learners.</summary>
    public InstanceDocument Remaining { get; }
}

/// <summary>The plan for the rest, with the pins that were honoured (one-to-one sessions, not in the plan) and those skipped.</summary>
public sealed class PinnedMatchResult(MatchResult result, PinCheck pins)
{
    public MatchResult Result { get; } = result;
    public IReadOnlyList<PinnedPair> Honoured => pins.Honoured;
    public IReadOnlyList<SkippedPin> Skipped => pins.Skipped;
}

/// <summary>Matching with a facilitator's exclusions and pins on top of the instance's own rules.</summary>
public static class ConstrainedMatcher
{
    /// <summary>
    /// Checks pins in order against the same hard rules the engine keeps (<see cref="CompiledInstance.Excluded"/>: self,
    /// manager and report, the whole chain when set, the authority gap, no common hour in hard mode, hard last-cycle pairs), the facilitator's exclusions, the learner
    /// wanting and the teacher sharing the skill, and the sessions left by earlier pins (the share's and the teacher's cap across skills). A pin that holds takes one session of
    /// its share and one of its learner; one that does not is skipped with the reason. Unknown ids are an
    /// <see cref="InstanceValidationException"/>, as in the instance.
    /// </summary>
    public static PinCheck CheckPins(InstanceDocument instance, IReadOnlyList<ExcludedPair> excluded, IReadOnlyList<PinnedPair> pins) =>
        CheckPins(CompiledInstance.Compile(instance, excludedByFacilitator: [.. excluded.Select(e => (e.LearnerId, e.TeacherId))]), pins);

    private static PinCheck CheckPins(CompiledInstance compiled, IReadOnlyList<PinnedPair> pins)
    {
        var instance = compiled.Source;
        if (pins.Count == 0) return new PinCheck([], [], instance);
        var personIndex = new Dictionary<string, int>(compiled.PersonCount, StringComparer.Ordinal);
        for (int p = 0; p < compiled.PersonCount; p++) personIndex.Add(compiled.PersonIds[p], p);
        var skillIndex = new Dictionary<string, int>(compiled.SkillCount, StringComparer.Ordinal);
        for (int k = 0; k < compiled.SkillCount; k++) skillIndex.Add(compiled.SkillIds[k], k);
        var wants = new Dictionary<long, int>(compiled.WantCount);
        for (int w = 0; w < compiled.WantCount; w++) wants.Add(CompiledInstance.PairKey(compiled.WantLearner[w], compiled.WantSkill[w]), w);
        var shares = new Dictionary<long, int>(compiled.ShareCount);
        for (int s = 0; s < compiled.ShareCount; s++) shares.Add(CompiledInstance.PairKey(compiled.ShareTeacher[s], compiled.ShareSkill[s]), s);

        var learnerLeft = (int[])compiled.MaxSessions.Clone();
        var shareLeft = (int[])compiled.ShareSessions.Clone();
        var teacherCapLeft = (int[])compiled.TeacherCap.Clone(); // −1: no cap
        var pinnedWants = new HashSet<int>();
        var honoured = new List<PinnedPair>();
        var skipped = new List<SkippedPin>();
        for (int i = 0; i < pins.Count; i++)
        {
            var pin = pins[i] ?? throw new InstanceValidationException($"pins[{i}] is null");
            int Index(Dictionary<string, int> index, string? id, string field) =>
                id is not null && index.TryGetValue(id, out int found) ? found
                : throw new InstanceValidationException($"pins[{i}] (learnerId \"{pin.LearnerId}\", teacherId \"{pin.TeacherId}\", skillId \"{pin.SkillId}\"): unknown {field} \"{id}\"");
            int learner = Index(personIndex, pin.LearnerId, "learnerId");
            int teacher = Index(personIndex, pin.TeacherId, "teacherId");
            int skill = Index(skillIndex, pin.SkillId, "skillId");
            bool wanted = wants.TryGetValue(CompiledInstance.PairKey(learner, skill), out int want);
            bool shared = shares.TryGetValue(CompiledInstance.PairKey(teacher, skill), out int share);
            PinRefusal? refusal = compiled.Excluded(learner, teacher) switch
            {
                Exclusion.Self => PinRefusal.Self,
                Exclusion.Manager => PinRefusal.Manager,
                Exclusion.DirectReport => PinRefusal.DirectReport,
                Exclusion.AboveInChain => PinRefusal.AboveInChain,
                Exclusion.BelowInChain => PinRefusal.BelowInChain,
                Exclusion.AuthorityGap => PinRefusal.AuthorityGap,
                Exclusion.NoCommonHour => PinRefusal.NoCommonHour,
                Exclusion.LastCycleTeacher => PinRefusal.LastCyclePair,
                Exclusion.Declined or Exclusion.ExcludedByFacilitator => PinRefusal.Excluded,
                _ when !wanted => PinRefusal.NotWanted,
                _ when !shared => PinRefusal.NotShared,
                _ when compiled.MaxSessions[learner] == 0 => PinRefusal.LearnerTakesNoSessions,
                _ when instance.Shares[share].Sessions == 0 => PinRefusal.TeacherOffersNoSessions,
                _ when pinnedWants.Contains(want) => PinRefusal.WantAlreadyPinned,
                _ when learnerLeft[learner] == 0 => PinRefusal.LearnerSessionsTaken,
                _ when teacherCapLeft[teacher] == 0 => PinRefusal.TeacherCycleCapTaken,
                _ when shareLeft[share] == 0 => PinRefusal.TeacherSessionsTaken,
                _ => null,
            };
            if (refusal is { } reason)
            {
                IReadOnlyList<string> chain = reason switch
                {
                    PinRefusal.AboveInChain => ReportingLine(compiled, learner, teacher),
                    PinRefusal.BelowInChain => ReportingLine(compiled, teacher, learner),
                    _ => [],
                };
                skipped.Add(new SkippedPin(pin, reason, chain));
                continue;
            }
            learnerLeft[learner]--;
            shareLeft[share]--;
            if (teacherCapLeft[teacher] > 0) teacherCapLeft[teacher]--;
            pinnedWants.Add(want);
            honoured.Add(pin);
        }
        if (honoured.Count == 0) return new PinCheck(honoured, skipped, instance);

        // The engine sees what the pins leave: their wants are met, their sessions taken. The caller's records are not changed.
        var remaining = new InstanceDocument
        {
            People = [.. instance.People.Select((p, i) => learnerLeft[i] == p.MaxLearnerSessions && teacherCapLeft[i] == compiled.TeacherCap[i] ? p : new PersonRecord
            {
                Id = p.Id, Department = p.Department, ManagerId = p.ManagerId, AuthorityLevel = p.AuthorityLevel, MaxLearnerSessions = learnerLeft[i],
                Availability = p.Availability, MaxTeacherSessions = teacherCapLeft[i] >= 0 ? teacherCapLeft[i] : null,
            })],
            Skills = instance.Skills,
            Shares = [.. instance.Shares.Select((s, i) => shareLeft[i] == s.Sessions ? s : new ShareRecord
            {
                TeacherId = s.TeacherId, SkillId = s.SkillId, Level = s.Level, Sessions = shareLeft[i], AcceptsGroups = s.AcceptsGroups, MaxGroupSize = s.MaxGroupSize,
            })],
            Wants = [.. instance.Wants.Where((_, i) => !pinnedWants.Contains(i))],
            LastCyclePairs = instance.LastCyclePairs,
            Settings = instance.Settings,
        };
        return new PinCheck(honoured, skipped, remaining);
    }

    /// <summary>The reporting line from <paramref name="person"/> up to <paramref name="ancestor"/>, both included.</summary>
    private static List<string> ReportingLine(CompiledInstance compiled, int person, int ancestor)
    {
        var line = new List<string> { compiled.PersonIds[person] };
        for (int p = compiled.Manager[person]; p >= 0; p = compiled.Manager[p])
        {
            line.Add(compiled.PersonIds[p]);
            if (p == ancestor) break;
        }
        return line;
    }

    /// <summary>
    /// Checks the pins (<see cref="CheckPins(InstanceDocument, IReadOnlyList{ExcludedPair}, IReadOnlyList{PinnedPair})"/>),
    /// then matches what they leave as <see cref="Matcher.Match(InstanceDocument, Action{string}?)"/> does, with the given
    /// pairs excluded like hard last-cycle pairs. Learners with an honoured pin already have a session and so earn no
    /// first-session bonus. A skipped pin is never forced: the engine may pair its learner otherwise, within the rules.
    /// </summary>
    public static PinnedMatchResult Match(InstanceDocument instance, IReadOnlyList<ExcludedPair> excluded, IReadOnlyList<PinnedPair> pins,
        Action<string>? progress = null)
    {
        var pairs = excluded.Select(e => (e.LearnerId, e.TeacherId)).ToList();
        var compiled = CompiledInstance.Compile(instance, excludedByFacilitator: pairs);
        var check = CheckPins(compiled, pins);
        if (check.Honoured.Count > 0)
        {
            var priorities = instance.Wants.ToDictionary(w => (w.LearnerId, w.SkillId), w => w.Priority);
            compiled = CompiledInstance.Compile(check.Remaining, alreadyServed: check.Honoured.Select(p => p.LearnerId).ToHashSet(StringComparer.Ordinal),
                excludedByFacilitator: pairs);
            compiled.Earlier = EarlierPlacements.Resolve(compiled, Placement.Pinned,
                check.Honoured.Select(p => (p.LearnerId, p.SkillId, priorities[(p.LearnerId, p.SkillId)])),
                check.Honoured.Select(p => (p.TeacherId, p.SkillId, 1)));
        }
        return new PinnedMatchResult(Matcher.Solve(compiled, progress), check);
    }
}
