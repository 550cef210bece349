using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Features.Cycles;

public sealed record IntakeAnswers(int MaxLearnerSessions, IntakeBarrier Barriers, string? BarrierNote, IReadOnlyList<string> Availability,
    string? TimeZone, IReadOnlyDictionary<Guid, IReadOnlyList<string>> Answers, int? MaxTeacherSessions = null);

/// <summary>A department's progress: its answers counted only in fives ("0", "1–4", "5–9", …), not one by one.</summary>
public sealed record DepartmentProgress(string Department, int Participants, string Answered);

/// <summary>How many have answered in all (who answers is not confidential; reminders go to the others) and by department.</summary>
public sealed record IntakeProgress(int Participants, int Answered, IReadOnlyList<DepartmentProgress> ByDepartment);

/// <summary>
/// What a participant's intake page shows: the cycle, whether they take part, whether they may answer now (or the
/// intake has yet to open), the cycle's own questions, their answers so far, and the time zone to offer (their
/// answer's, else their profile's).
/// </summary>
public sealed record ParticipantIntake(Cycle Cycle, bool TakesPart, bool Open, bool BeforeOpening, IReadOnlyList<IntakeQuestion> Questions,
    IntakeResponse? Mine, string TimeZone);

/// <summary>IntakeBarrier counts of one group of respondents; only groups of at least five are ever built.</summary>
public sealed record BarrierGroup(string Name, int Respondents, IReadOnlyDictionary<IntakeBarrier, int> Counts);

public sealed record QuestionTally(IntakeQuestion Question, int Respondents, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> FreeText);

/// <summary>
/// What facilitators may see of the confidential answers: nothing until the intake has closed (<see cref="Released"/>),
/// then counts of groups of five or more, never a person's answer. Respondents are the answers in the released figures.
/// </summary>
public sealed record IntakeAggregate(bool Released, int Respondents, IReadOnlyList<BarrierGroup> Groups, int HiddenRespondents, IReadOnlyList<QuestionTally> Questions);

/// <summary>
/// Step 2: each participant answers a confidential questionnaire. Their skills go to their shares and wants
/// (<see cref="SharesAndWants"/>); the rest is an <see cref="IntakeResponse"/> only they can read. Facilitators get
/// progress figures (by department only in fives) and, once the intake has closed, aggregates in which no group
/// smaller than <see cref="IntakeBarriers.MinimumGroupSize"/> appears (docs/security.md, "Intake answers in aggregate").
/// </summary>
public sealed class Intake(TacitDbContext db, Notifier notifier, Audit.AuditLog audit, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>
    /// How long this instance keeps a cycle's progress: counting every participant's answer costs about a quarter of a
    /// second at 100,000 people (docs/benchmarks.md), too much for each load of the cycle's pages. An answer given
    /// through this instance shows at once; one given through another instance, or someone joining or leaving, within this.
    /// </summary>
    public static readonly TimeSpan ProgressFor = TimeSpan.FromSeconds(15);

    public async Task<List<IntakeQuestion>> QuestionsAsync(Guid cycleId, CancellationToken ct = default) =>
        await db.IntakeQuestions.AsNoTracking().Where(q => q.CycleId == cycleId).OrderBy(q => q.Position).ToListAsync(ct);

    public async Task<bool> TakesPartAsync(Cycle cycle, Guid personId, CancellationToken ct = default) =>
        await Participants.Of(db, cycle).AnyAsync(p => p.Id == personId, ct);

    /// <summary>The cycle's intake as the person sees it; null when there is no such cycle.</summary>
    public async Task<ParticipantIntake?> ForParticipantAsync(Guid cycleId, Guid personId, CancellationToken ct = default)
    {
        var cycle = await db.Cycles.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cycleId, ct);
        if (cycle is null) return null;
        if (!await TakesPartAsync(cycle, personId, ct)) return new ParticipantIntake(cycle, false, false, false, [], null, "");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var mine = await MineAsync(cycleId, personId, ct);
        var timeZone = mine?.TimeZone ?? await db.People.Where(p => p.Id == personId).Select(p => p.TimeZone).SingleAsync(ct);
        return new ParticipantIntake(cycle, true, cycle.AcceptsIntakeAnswers(today), cycle.State < CycleState.Intake || today < cycle.IntakeOpens,
            await QuestionsAsync(cycleId, ct), mine, timeZone);
    }

    /// <summary>The person's own response; nobody else's can be read through this.</summary>
    public async Task<IntakeResponse?> MineAsync(Guid cycleId, Guid personId, CancellationToken ct = default) =>
        await db.IntakeResponses.AsNoTracking().SingleOrDefaultAsync(r => r.CycleId == cycleId && r.PersonId == personId, ct);

    public async Task<IntakeResponse> AnswerAsync(Guid cycleId, Guid personId, IntakeAnswers answers, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var department = await Participants.Of(db, cycle).Where(p => p.Id == personId).Select(p => p.Department).SingleOrDefaultAsync(ct)
            ?? throw new ForbiddenException("You are not taking part in this cycle.");
        var questions = await db.IntakeQuestions.Where(q => q.CycleId == cycleId).OrderBy(q => q.Position).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var response = await db.IntakeResponses.SingleOrDefaultAsync(r => r.CycleId == cycleId && r.PersonId == personId, ct);
        if (response is null)
        {
            response = new IntakeResponse(cycle.OrganisationId, cycle.Id, personId, department, now);
            db.IntakeResponses.Add(response);
        }
        response.Answer(cycle, DateOnly.FromDateTime(now.UtcDateTime), answers.MaxLearnerSessions, answers.Barriers, answers.BarrierNote,
            answers.Availability, answers.TimeZone, questions, answers.Answers, now, answers.MaxTeacherSessions);
        await db.SaveChangesAsync(ct);
        cache.Remove(ProgressKey(cycle));
        return response;
    }

    /// <summary>How many have answered, as counted at most <see cref="ProgressFor"/> ago.</summary>
    public async Task<IntakeProgress> ProgressAsync(Cycle cycle, CancellationToken ct = default)
    {
        if (cache.TryGetValue(ProgressKey(cycle), out IntakeProgress? counted) && counted is not null) return counted;
        return cache.Set(ProgressKey(cycle), await CountProgressAsync(cycle, ct), ProgressFor);
    }

    private static (string, Guid, Guid) ProgressKey(Cycle cycle) => ("intake-progress", cycle.OrganisationId, cycle.Id);

    private async Task<IntakeProgress> CountProgressAsync(Cycle cycle, CancellationToken ct)
    {
        var participants = Participants.Of(db, cycle);
        var totals = await participants.GroupBy(p => p.Department).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var answered = await db.IntakeResponses.Where(r => r.CycleId == cycle.Id)
            .Join(participants, r => r.PersonId, p => p.Id, (r, p) => p.Department)
            .GroupBy(d => d).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Answered(string department) => answered.FirstOrDefault(a => a.Key == department)?.Count ?? 0;
        var byDepartment = totals
            .Select(t => new DepartmentProgress(Person.DepartmentOrNone(t.Key), t.Count, InFives(Answered(t.Key))))
            .OrderBy(d => d.Department, StringComparer.OrdinalIgnoreCase).ToList();
        return new IntakeProgress(totals.Sum(t => t.Count), answered.Sum(a => a.Count), byDepartment);
    }

    /// <summary>"0", "1–4", "5–9", "10–14", …: exact only for none, so progress by department does not follow each answer.</summary>
    public static string InFives(int count)
    {
        int min = IntakeBarriers.MinimumGroupSize, from = count / min * min;
        return count == 0 ? "0" : $"{Math.Max(from, 1)}–{from + min - 1}";
    }

    /// <summary>
    /// The intake's figures, released once: when the intake closes, all answers together. Before that nothing of the
    /// answers shows (a figure read before and after one person answers, or changes an answer, would tell what they
    /// said); after it the answers cannot change and the figures are counted from the responses alone (everyone who
    /// answered, in the department they answered from, whether or not they still take part), so every later reading is
    /// the same.
    /// </summary>
    public async Task<IntakeAggregate> AggregateAsync(Cycle cycle, CancellationToken ct = default)
    {
        var questions = await QuestionsAsync(cycle.Id, ct);
        if (!cycle.IntakeClosed)
            return new IntakeAggregate(false, 0, [], 0, [.. questions.Select(q => new QuestionTally(q, 0, new Dictionary<string, int>(), []))]);

        // Only the columns the figures use, and the answers' JSON only when the cycle asked questions of its own: reading
        // whole responses took a quarter of a second at 100,000 answers (docs/benchmarks.md ¹⁵).
        var responses = db.IntakeResponses.Where(r => r.CycleId == cycle.Id);
        var rows = questions.Count == 0
            ? await responses.Select(r => new Released(r.Department, r.Barriers, null)).ToListAsync(ct)
            : await responses.Select(r => new Released(r.Department, r.Barriers, EF.Property<List<QuestionAnswer>>(r, "_answers"))).ToListAsync(ct);
        int min = IntakeBarriers.MinimumGroupSize;
        var groups = new List<BarrierGroup>();
        var small = new List<IntakeBarrier>();
        foreach (var department in rows.GroupBy(r => Person.DepartmentOrNone(r.Department)).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            var barriers = department.Select(r => r.Barriers).ToList();
            if (barriers.Count >= min) groups.Add(Count(department.Key, barriers));
            else small.AddRange(barriers);
        }
        int hidden = 0;
        // Departments under five are pooled; if even the pool is under five, it is not shown at all.
        if (small.Count >= min) groups.Add(Count("Other departments (fewer than five answers each)", small));
        else hidden = small.Count;
        // "Everyone" only when it is the sum of the rows shown: with a hidden pool, it minus the rows would be the pool.
        if (groups.Count > 1 && hidden == 0) groups.Insert(0, Count("Everyone", [.. rows.Select(r => r.Barriers)]));

        var tallies = new List<QuestionTally>();
        foreach (var question in questions)
        {
            var answers = rows.Select(r => r.Answers!.FirstOrDefault(a => a.QuestionId == question.Id)).OfType<QuestionAnswer>().ToList();
            if (answers.Count < min)
            {
                tallies.Add(new QuestionTally(question, answers.Count, new Dictionary<string, int>(), []));
                continue;
            }
            var counts = question.Options.ToDictionary(o => o, o => answers.Count(a => a.Values.Contains(o)));
            // Free text is shown without names, in alphabetical order, so the order of answering gives nobody away.
            var text = question.Kind == QuestionKind.FreeText ? answers.Select(a => a.Values[0]).Order(StringComparer.OrdinalIgnoreCase).ToList() : [];
            tallies.Add(new QuestionTally(question, answers.Count, counts, text));
        }
        return new IntakeAggregate(true, rows.Count, groups, hidden, tallies);
    }

    /// <summary>What the released figures read of one response; <see cref="Answers"/> only when the cycle asked questions.</summary>
    private sealed record Released(string Department, IntakeBarrier Barriers, List<QuestionAnswer>? Answers);

    private static BarrierGroup Count(string name, List<IntakeBarrier> barriers) =>
        new(name, barriers.Count, IntakeBarriers.All.ToDictionary(b => b, b => barriers.Count(x => x.HasFlag(b))));

    /// <summary>Opens the intake and tells every participant, in the same transaction.</summary>
    public async Task<int> OpenAsync(Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        cycle.OpenIntake();
        var everyone = await Participants.Of(db, cycle).Select(p => p.Id).ToListAsync(ct);
        notifier.Notify(everyone,
            $"The intake of \"{cycle.Name}\" is open until {cycle.IntakeCloses:d MMMM yyyy}. Say what you want to learn, what you can share and when you are free; your answers are confidential.",
            $"/cycles/{cycle.Id}/intake");
        audit.Record("cycle.intake-opened", cycle.Name, $"{everyone.Count} participants told");
        await db.SaveChangesAsync(ct);
        return everyone.Count;
    }

    /// <summary>Reminds every participant who has not answered yet; returns how many were reminded.</summary>
    public async Task<int> RemindAsync(Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        if (!cycle.AcceptsIntakeAnswers(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            throw new ConflictException("The intake is not open, so there is nothing to remind people of.");
        var missing = await Participants.Of(db, cycle)
            .Where(p => !db.IntakeResponses.Any(r => r.CycleId == cycle.Id && r.PersonId == p.Id))
            .Select(p => p.Id).ToListAsync(ct);
        notifier.Notify(missing,
            $"A reminder: the intake of \"{cycle.Name}\" is open until {cycle.IntakeCloses:d MMMM yyyy}. Say what you want to learn and what you can share.",
            $"/cycles/{cycle.Id}/intake");
        audit.Record("cycle.intake-reminded", cycle.Name, $"{missing.Count} participants reminded");
        await db.SaveChangesAsync(ct);
        return missing.Count;
    }

    public async Task<IntakeQuestion> AddQuestionAsync(Guid cycleId, string text, QuestionKind kind, IEnumerable<string>? options, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var positions = await db.IntakeQuestions.Where(q => q.CycleId == cycleId).Select(q => q.Position).ToListAsync(ct);
        if (positions.Count >= IntakeQuestion.MaxQuestionsPerCycle)
            throw new DomainException($"A cycle can ask at most {IntakeQuestion.MaxQuestionsPerCycle} questions of its own.", nameof(IntakeQuestion.Text));
        var question = new IntakeQuestion(cycle, text, kind, options, positions.Count == 0 ? 1 : positions.Max() + 1, clock.GetUtcNow());
        db.IntakeQuestions.Add(question);
        audit.Record("cycle.question-added", cycle.Name, question.Text);
        await db.SaveChangesAsync(ct);
        return question;
    }

    public async Task RemoveQuestionAsync(Guid cycleId, Guid questionId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var question = await db.IntakeQuestions.SingleOrDefaultAsync(q => q.Id == questionId && q.CycleId == cycleId, ct)
            ?? throw new NotFoundException("No such question.");
        question.EnsureEditable(cycle);
        db.IntakeQuestions.Remove(question);
        audit.Record("cycle.question-removed", cycle.Name, question.Text);
        await db.SaveChangesAsync(ct);
    }
}
