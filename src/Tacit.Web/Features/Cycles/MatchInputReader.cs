using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Matching;
using Tacit.Web.Data;
using DomainPriority = Tacit.Domain.Skills.Priority;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// A cycle's matching input: the instance with every participant's full capacity, the facilitator's exclusions, the pins of
/// people taking part (in the order they were made; the engine checks them against its rules) and the pins skipped
/// before the engine because their learner or teacher has left or is not taking part.
/// </summary>
public sealed record MatchInput(InstanceDocument Instance, List<ExcludedPair> Excluded, List<PairRule> Pins, List<PinSkip> PinsNotTakingPart,
    HashSet<Guid> Active, HashSet<Guid> ParticipantIds, int Learners, Dictionary<Guid, string> Names, Dictionary<Guid, string> Departments)
{
    public int Participants => ParticipantIds.Count;

    /// <summary>
    /// The hours a session's teacher and learners are all free: the engine's own when it gives them, else computed here
    /// from the instance's availability (an engine that ignores availability gives none), so both agree.
    /// </summary>
    public List<int>? CommonHours(PlannedSession session) =>
        session.CommonHours?.ToList() ?? CommonHours(session.Learners.Select(l => l.LearnerId).Append(session.TeacherId));

    public List<int>? CommonHours(IEnumerable<string> personIds)
    {
        availabilityById ??= Instance.People.Where(p => p.Availability is { Length: > 0 }).ToDictionary(p => p.Id, p => p.Availability!.ToList(), StringComparer.Ordinal);
        return WeeklyAvailability.Common(personIds.Select(id => availabilityById.GetValueOrDefault(id)));
    }

    private Dictionary<string, List<int>>? availabilityById;

    public List<PinnedPair> PinnedPairs => [.. Pins.Select(PinnedPairOf)];

    public static PinnedPair PinnedPairOf(PairRule pin) =>
        new(MatchInputReader.Key(pin.LearnerId), MatchInputReader.Key(pin.TeacherId), MatchInputReader.Key(pin.SkillId));

    /// <summary>
    /// Why a pin cannot even reach the engine: its learner or teacher has left, or is outside the cycle's departments. They
    /// have no wants or shares in the instance, so this names the real reason rather than "does not share".
    /// </summary>
    public PinSkip? Absent(PairRule pin)
    {
        Guid[] pair = [pin.LearnerId, pin.TeacherId];
        foreach (var id in pair) if (!Active.Contains(id)) return new PinSkip(pin, PinSkip.LeftOrganisation, [id]);
        foreach (var id in pair) if (!ParticipantIds.Contains(id)) return new PinSkip(pin, PinSkip.NotTakingPart, [id]);
        return null;
    }
}

/// <summary>What the engine needs to match again: the instance, the cycle's offers as the current plan, and the pairs that did not go ahead.</summary>
public sealed record RematchInput(InstanceDocument Instance, MatchPlan Current, List<AssignmentRef> Declined, Dictionary<Guid, string> Names, MatchInput Read);

/// <summary>
/// Reads a cycle's matching input from the database: everyone (so reporting chains are complete), the participants'
/// shares and wants, the intake's session limits, the previous published cycle's pairs and the facilitator's rules.
/// </summary>
public sealed class MatchInputReader(TacitDbContext db)
{
    public static string Key(Guid id) => id.ToString("N");

    /// <summary>The engine's instance for a cycle, with the facilitator's rules beside it (the engine applies the pins).</summary>
    public async Task<MatchInput> ReadAsync(Cycle cycle, MatchWeights weights, CancellationToken ct)
    {
        var participants = Participants.Of(db, cycle);
        var participantIds = (await participants.Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var intake = await IntakeAsync(cycle, ct);
        // Everyone is in the instance so that reporting chains are complete; only participants learn or teach.
        var people = await db.People.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.DisplayName, p.Department, p.ManagerId, p.AuthorityLevel, p.IsActive }).ToListAsync(ct);
        // Each table is read once, only the columns the instance needs, and filtered to the participants here rather than
        // joined with the participants' query (issue 13: 300,000 shares and 300,000 wants at 100,000 people).
        var shares = (await db.Shares.AsNoTracking().OrderBy(s => s.Id)
            .Select(s => new { s.PersonId, s.SkillId, s.Level, s.SessionsPerCycle, s.AcceptsGroups, s.MaxGroupSize }).ToListAsync(ct));
        var wants = (await db.Wants.AsNoTracking().OrderBy(w => w.Id)
            .Select(w => new { w.PersonId, w.SkillId, w.Priority, w.PreferredTeacherId }).ToListAsync(ct));
        var skills = await db.Skills.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var rules = await db.PairRules.AsNoTracking().Where(r => r.CycleId == cycle.Id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        var lastPairs = await LastCyclePairsAsync(cycle, ct);

        // One lookup per share, want or manager: each person's id formatted once (formatting every occurrence was 0.13 s
        // of the reading at 10,000 people) beside their place and whether they take part, and the skills' ids in a map of
        // their own, small enough to stay in the cache. Hashing each row's ids into several sets and maps was most of the
        // reader's own time at 100,000 people.
        var byPerson = new Dictionary<Guid, PersonKey>(people.Count);
        var personKeys = new PersonKey[people.Count];
        for (int i = 0; i < people.Count; i++) byPerson[people[i].Id] = personKeys[i] = new PersonKey(Key(people[i].Id), i, participantIds.Contains(people[i].Id));
        var skillKeys = skills.ToDictionary(s => s.Id, s => Key(s.Id));
        string PersonKeyOf(Guid id) => byPerson.TryGetValue(id, out var person) ? person.Key : Key(id);
        string SkillKeyOf(Guid id) => skillKeys.TryGetValue(id, out var key) ? key : Key(id);

        var maxSessions = new int[people.Count];
        for (int i = 0; i < people.Count; i++)
            if (personKeys[i].Participant) maxSessions[i] = intake.LearnerSessions.GetValueOrDefault(people[i].Id, IntakeResponse.DefaultLearnerSessions);
        var shareRecords = new List<ShareRecord>(shares.Count);
        foreach (var s in shares)
        {
            if (!byPerson.TryGetValue(s.PersonId, out var teacher) || !teacher.Participant) continue;
            shareRecords.Add(new ShareRecord
            {
                TeacherId = teacher.Key, SkillId = SkillKeyOf(s.SkillId), Level = s.Level, Sessions = s.SessionsPerCycle,
                AcceptsGroups = s.AcceptsGroups, MaxGroupSize = s.MaxGroupSize,
            });
        }
        var wantRecords = new List<WantRecord>(wants.Count);
        var wantsSomething = new bool[people.Count];
        foreach (var w in wants)
        {
            if (!byPerson.TryGetValue(w.PersonId, out var learner) || !learner.Participant) continue;
            wantsSomething[learner.Index] = true;
            wantRecords.Add(new WantRecord
            {
                LearnerId = learner.Key, SkillId = SkillKeyOf(w.SkillId), Priority = w.Priority switch
                {
                    DomainPriority.High => Priority.High, DomainPriority.Low => Priority.Low, _ => Priority.Medium,
                },
                PreferredTeacherId = w.PreferredTeacherId is { } t ? PersonKeyOf(t) : null,
            });
        }
        var active = people.Where(p => p.IsActive).Select(p => p.Id).ToHashSet();

        var instance = new InstanceDocument
        {
            People = [.. people.Select((p, i) => new PersonRecord
            {
                Id = personKeys[i].Key, Department = Domain.People.Person.DepartmentOrNone(p.Department),
                ManagerId = p.ManagerId is { } m ? PersonKeyOf(m) : null, AuthorityLevel = p.AuthorityLevel, MaxLearnerSessions = maxSessions[i],
                Availability = personKeys[i].Participant ? intake.Availability.GetValueOrDefault(p.Id)?.ToArray() : null,
                MaxTeacherSessions = personKeys[i].Participant ? intake.TeacherCaps.GetValueOrDefault(p.Id, intake.DefaultTeacherCap) : null,
            })],
            Skills = [.. skills.Select(s => new SkillRecord { Id = skillKeys[s.Id], Name = s.Name })],
            Shares = shareRecords,
            Wants = wantRecords,
            LastCyclePairs = [.. lastPairs.Select(p => new PairRecord { LearnerId = PersonKeyOf(p.Learner), TeacherId = PersonKeyOf(p.Teacher) })],
            Settings = new MatchingSettings
            {
                ExcludeWholeReportingChain = weights.ExcludeWholeReportingChain,
                Availability = weights.Availability == Domain.Cycles.AvailabilityRule.Preferred ? Matching.AvailabilityRule.Soft : Matching.AvailabilityRule.Hard,
                MaxAuthorityGap = weights.MaxAuthorityGap,
                Weights = new MatchingWeights
                {
                    HighPriority = weights.HighPriority, MediumPriority = weights.MediumPriority, LowPriority = weights.LowPriority,
                    CrossDepartment = weights.CrossDepartment, PeerCloseness = weights.PeerCloseness, PreferredTeacher = weights.PreferredTeacher,
                    TeacherLevel = weights.TeacherLevel, RepeatPairPenalty = weights.RepeatPairPenalty, GroupPenalty = weights.GroupPenalty,
                    NoCommonHourPenalty = weights.NoCommonHourPenalty,
                },
            },
        };
        var excluded = rules.Where(r => r.Kind == PairRuleKind.Exclude).Select(r => new ExcludedPair(PersonKeyOf(r.LearnerId), PersonKeyOf(r.TeacherId))).ToList();
        int learners = Enumerable.Range(0, people.Count).Count(i => wantsSomething[i] && maxSessions[i] > 0);
        var input = new MatchInput(instance, excluded, [], [], active, participantIds, learners,
            people.ToDictionary(p => p.Id, p => p.DisplayName), people.ToDictionary(p => p.Id, p => Domain.People.Person.DepartmentOrNone(p.Department)));
        foreach (var pin in rules.Where(r => r.Kind == PairRuleKind.Pin))
        {
            if (input.Absent(pin) is { } absent) input.PinsNotTakingPart.Add(absent);
            else input.Pins.Add(pin);
        }
        return input;
    }

    /// <summary>
    /// The engine's input for matching again the learners of a published cycle's declined or expired offers: the instance
    /// as for a run but without pins (they were honoured in the published run or not at all), every offer of the cycle as the current plan, and the (learner, teacher, skill)
    /// triples that did not go ahead.
    /// </summary>
    public async Task<RematchInput> ReadForRematchAsync(Cycle cycle, MatchWeights weights, IReadOnlyList<Offer> offers, CancellationToken ct)
    {
        var input = await ReadAsync(cycle, weights, ct);
        // Someone who left since publishing is no longer a participant, yet their offers are in the plan; they stay in the
        // instance with nothing to teach or learn, so that the learners of a teacher who left can be matched again.
        var known = input.Instance.People.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in offers.SelectMany(o => o.LearnerIds.Append(o.TeacherId)).Select(Key).Where(id => !known.Contains(id)).Distinct().ToList())
            input.Instance.People.Add(new PersonRecord { Id = gone, Department = Domain.People.Person.NoDepartment, AuthorityLevel = Domain.People.Person.MinLevel, MaxLearnerSessions = 0 });
        var current = new MatchPlan
        {
            Summary = new PlanSummary(),
            UnmetWants = [],
            Sessions = [.. offers.Select(o => new PlannedSession
            {
                TeacherId = Key(o.TeacherId), SkillId = Key(o.SkillId), Kind = o.Kind.ToEngine(),
                Learners = [.. o.LearnerIds.Select(l => new PlannedAssignment { LearnerId = Key(l), Reasons = [] })],
            })],
        };
        var declined = offers.Where(o => o.Status is OfferStatus.Declined or OfferStatus.Expired)
            .SelectMany(o => o.LearnerIds.Select(l => new AssignmentRef(Key(l), Key(o.TeacherId), Key(o.SkillId)))).Distinct().ToList();
        return new RematchInput(input.Instance, current, declined, input.Names, input);
    }

    /// <summary>
    /// The intake's answers, read once: each answer's limit on sessions as a learner and cap on sessions taught (the
    /// organisation's default cap for those who gave none), and its weekly availability as UTC hour-of-week cells (at the
    /// zone's offset on the cycle's matching date, see <see cref="WeeklyAvailability"/>; none given = absent, free any time).
    /// </summary>
    private async Task<IntakeLimits> IntakeAsync(Cycle cycle, CancellationToken ct)
    {
        var answers = await db.IntakeResponses.AsNoTracking().Where(r => r.CycleId == cycle.Id)
            .Select(r => new { r.PersonId, r.MaxLearnerSessions, r.MaxTeacherSessions, r.Availability, r.TimeZone }).ToListAsync(ct);
        var defaultCap = await db.Organisations.Where(o => o.Id == cycle.OrganisationId).Select(o => o.DefaultMaxTeacherSessions).SingleOrDefaultAsync(ct);
        var limits = new IntakeLimits(new(answers.Count), [], [], defaultCap);
        foreach (var a in answers)
        {
            limits.LearnerSessions[a.PersonId] = a.MaxLearnerSessions;
            if (a.MaxTeacherSessions is not null) limits.TeacherCaps[a.PersonId] = a.MaxTeacherSessions;
            if (a.Availability.Count == 0) continue;
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(a.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            limits.Availability[a.PersonId] = WeeklyAvailability.ToUtcCells(a.Availability, zone, cycle.MatchingDate);
        }
        return limits;
    }

    /// <summary>A person's id as the engine spells it, their place in the people read, and whether they take part in the cycle.</summary>
    private readonly record struct PersonKey(string Key, int Index, bool Participant);

    private sealed record IntakeLimits(Dictionary<Guid, int> LearnerSessions, Dictionary<Guid, List<int>> Availability, Dictionary<Guid, int?> TeacherCaps,
        int? DefaultTeacherCap);

    /// <summary>The (learner, teacher) pairs of the most recently published earlier cycle, which the engine does not repeat.</summary>
    private async Task<List<(Guid Learner, Guid Teacher)>> LastCyclePairsAsync(Cycle cycle, CancellationToken ct)
    {
        var previousRun = await db.Cycles.Where(c => c.Id != cycle.Id && c.PublishedRunId != null && c.CreatedAt < cycle.CreatedAt)
            .OrderByDescending(c => c.CreatedAt).Select(c => c.PublishedRunId).FirstOrDefaultAsync(ct);
        if (previousRun is null) return [];
        var proposals = await db.Proposals.AsNoTracking().Where(p => p.RunId == previousRun).Select(p => new { p.TeacherId, p.LearnerIds }).ToListAsync(ct);
        return [.. proposals.SelectMany(p => p.LearnerIds.Select(l => (l, p.TeacherId))).Distinct()];
    }
}
