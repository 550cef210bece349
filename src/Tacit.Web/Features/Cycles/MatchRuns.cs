using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Offers;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Cycles;

/// <summary>
/// Step 4 and 5 for the facilitator: queue match runs (the <see cref="MatchRunWorker"/> does them in the
/// background), pin or exclude pairs for the next run, and publish one run's proposals as offers.
/// </summary>
public sealed class MatchRuns(TacitDbContext db, MatchInputReader reader, RequestTransaction request, MatchRunSignal signal, Notifier notifier, Features.Reminders.ReminderScheduler reminders, Audit.AuditLog audit,
    Microsoft.Extensions.Options.IOptions<Offers.OfferOptions> offerOptions, CompanySignIn.CompanySignInLookup companySignIn, TimeProvider clock)
{
    public async Task<MatchRun> StartAsync(Guid cycleId, MatchWeights weights, Guid requestedBy, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var now = clock.GetUtcNow();
        var active = await db.MatchRuns.SingleOrDefaultAsync(r => r.CycleId == cycleId && (r.Status == MatchRunStatus.Queued || r.Status == MatchRunStatus.Running), ct);
        if (active is not null)
        {
            if (!active.IsLost(now))
                throw new ConflictException($"Run {active.Number} is still {(active.Status == MatchRunStatus.Queued ? "waiting to start" : "running")}; wait for it to finish before starting another.");
            active.Fail(MatchRun.LostMessage, now);
        }
        int number = 1 + (await db.MatchRuns.Where(r => r.CycleId == cycleId).MaxAsync(r => (int?)r.Number, ct) ?? 0);
        var run = new MatchRun(cycle, number, weights, requestedBy, now);
        db.MatchRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (ConflictException)
        {
            throw new ConflictException("Another match run of this cycle was started at the same moment; wait for it to finish.");
        }
        await request.AfterCommitAsync(_ =>
        {
            signal.Wake();
            return Task.CompletedTask;
        }, ct);
        return run;
    }

    public async Task<MatchRun> FindAsync(Guid cycleId, Guid runId, CancellationToken ct = default) =>
        await db.MatchRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.CycleId == cycleId, ct)
        ?? throw new NotFoundException("No such match run.");

    public async Task<List<MatchRun>> ListAsync(Guid cycleId, CancellationToken ct = default) =>
        await db.MatchRuns.AsNoTracking().Where(r => r.CycleId == cycleId).OrderByDescending(r => r.Number).ToListAsync(ct);

    /// <summary>One page of a run's proposed sessions (of a run found with <see cref="FindAsync"/>), in a stable order.</summary>
    public Task<Page<Proposal>> ProposalsAsync(Guid runId, Paging paging, CancellationToken ct = default) =>
        db.Proposals.AsNoTracking().Where(p => p.RunId == runId).OrderBy(p => p.Id).ToPageAsync(paging, p => p, ct);

    /// <summary>One page of the wants a run left unmet, with the reason each learner will be told.</summary>
    public Task<Page<UnmetWant>> UnmetAsync(Guid runId, Paging paging, CancellationToken ct = default) =>
        db.UnmetWants.AsNoTracking().Where(u => u.RunId == runId).OrderBy(u => u.Id).ToPageAsync(paging, u => u, ct);

    public sealed record SkippedPinRow(Guid LearnerId, Guid TeacherId, Guid SkillId, string Learner, string Teacher, string Skill, string ReasonCode, string Reason);

    /// <summary>The pins a run (found with <see cref="FindAsync"/>) did not honour, and why, in the order they were made.</summary>
    public async Task<List<SkippedPinRow>> SkippedPinsAsync(Guid runId, CancellationToken ct = default)
    {
        var rows = await db.SkippedPins.AsNoTracking().Where(p => p.RunId == runId).OrderBy(p => p.Id).ToListAsync(ct);
        var names = await db.PersonNamesAsync(rows.SelectMany(r => r.Named.Append(r.LearnerId).Append(r.TeacherId)), ct);
        var skills = await db.SkillNamesAsync(rows.Select(r => r.SkillId), ct);
        string Name(Guid id) => names.GetValueOrDefault(id, "a colleague");
        string Skill(Guid id) => skills.GetValueOrDefault(id, "a skill");
        return [.. rows.Select(r => new SkippedPinRow(r.LearnerId, r.TeacherId, r.SkillId, Name(r.LearnerId), Name(r.TeacherId), Skill(r.SkillId),
            r.ReasonCode, PinSkip.Describe(r, Name, Skill)))];
    }

    public sealed record ChangedPair(string Learner, string Teacher, string Skill);

    /// <summary>What changed from one finished run to another, with at most <paramref name="listed"/> named pairs each way.</summary>
    public sealed record ChangesView(int Added, int Removed, int Kept, IReadOnlyList<ChangedPair> AddedPairs, IReadOnlyList<ChangedPair> RemovedPairs);

    /// <summary>The pairs <paramref name="laterRunId"/> proposes that <paramref name="earlierRunId"/> did not, and the other way round.</summary>
    public async Task<ChangesView> ChangesAsync(Guid cycleId, Guid earlierRunId, Guid laterRunId, int listed = 100, CancellationToken ct = default)
    {
        foreach (var id in new[] { earlierRunId, laterRunId })
            if ((await FindAsync(cycleId, id, ct)).Status != MatchRunStatus.Succeeded)
                throw new ConflictException("Only runs that succeeded can be compared.");
        var changes = RunChanges.Between(await PairsAsync(earlierRunId, ct), await PairsAsync(laterRunId, ct));
        // The same pairs in the same order every time, so a reloaded page lists what it listed before.
        var added = changes.Added.OrderBy(p => p.LearnerId).ThenBy(p => p.SkillId).Take(listed).ToList();
        var removed = changes.Removed.OrderBy(p => p.LearnerId).ThenBy(p => p.SkillId).Take(listed).ToList();
        var names = await db.PersonNamesAsync(added.Concat(removed).SelectMany(p => new[] { p.LearnerId, p.TeacherId }), ct);
        var skills = await db.SkillNamesAsync(added.Concat(removed).Select(p => p.SkillId), ct);
        List<ChangedPair> Named(IEnumerable<ProposedPair> pairs) => [.. pairs
            .Select(p => new ChangedPair(names.GetValueOrDefault(p.LearnerId, "a colleague"), names.GetValueOrDefault(p.TeacherId, "a colleague"), skills.GetValueOrDefault(p.SkillId, "a skill")))
            .OrderBy(p => p.Learner, StringComparer.CurrentCulture).ThenBy(p => p.Skill, StringComparer.CurrentCulture)];
        return new ChangesView(changes.Added.Count, changes.Removed.Count, changes.Kept, Named(added), Named(removed));
    }

    private async Task<List<ProposedPair>> PairsAsync(Guid runId, CancellationToken ct) =>
        [.. (await db.Proposals.AsNoTracking().Where(p => p.RunId == runId).Select(p => new { p.TeacherId, p.SkillId, p.LearnerIds }).ToListAsync(ct))
            .SelectMany(p => p.LearnerIds.Select(l => new ProposedPair(l, p.TeacherId, p.SkillId)))];

    public async Task<PairRule> AddRuleAsync(Guid cycleId, string learnerEmail, string teacherEmail, string skillName, PairRuleKind kind, CancellationToken ct = default)
    {
        var learner = await PersonByNameOrEmailAsync(learnerEmail, nameof(PairRule.LearnerId), ct);
        var teacher = await PersonByNameOrEmailAsync(teacherEmail, nameof(PairRule.TeacherId), ct);
        var skill = await Skills.SkillQueries.ResolveAsync(db, skillName, nameof(PairRule.SkillId), ct);
        return await AddRuleAsync(cycleId, learner.Id, teacher.Id, skill.Id, kind, ct);
    }

    public async Task<PairRule> AddRuleAsync(Guid cycleId, Guid learnerId, Guid teacherId, Guid skillId, PairRuleKind kind, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var learner = await db.People.SingleOrDefaultAsync(p => p.Id == learnerId, ct) ?? throw new NotFoundException("No such learner.");
        var teacher = await db.People.SingleOrDefaultAsync(p => p.Id == teacherId, ct) ?? throw new NotFoundException("No such teacher.");
        var skill = await db.Skills.SingleOrDefaultAsync(s => s.Id == skillId, ct) ?? throw new NotFoundException("No such skill.");
        var rule = new PairRule(cycle, learner.Id, teacher.Id, skill.Id, kind, clock.GetUtcNow());
        var rules = await db.PairRules.Where(r => r.CycleId == cycleId && r.LearnerId == learner.Id && r.TeacherId == teacher.Id).ToListAsync(ct);
        if (rules.FirstOrDefault(r => r.Kind != kind) is { } opposite)
        {
            var pinnedSkill = kind == PairRuleKind.Pin ? skill.Name : await db.Skills.Where(s => s.Id == opposite.SkillId).Select(s => s.Name).SingleAsync(ct);
            throw new DomainException(kind == PairRuleKind.Pin
                ? $"{learner.DisplayName} and {teacher.DisplayName} are excluded as a pair; a pin and an exclusion of the same pair cannot both hold. Remove the exclusion first."
                : $"{learner.DisplayName} is pinned to learn {pinnedSkill} from {teacher.DisplayName}; a pin and an exclusion of the same pair cannot both hold. Remove the pin first.",
                nameof(PairRule.TeacherId));
        }
        if (rules.Any(r => r.SkillId == skill.Id))
            throw new ConflictException("There is already a rule for this pair and skill; remove it first to change it.");
        if (kind == PairRuleKind.Pin) await RefuseBrokenPinAsync(cycle, rule, ct);
        db.PairRules.Add(rule);
        audit.Record("cycle.pair-rule-added", cycle.Name, RuleDetails(kind, learner.DisplayName, teacher.DisplayName, skill.Name));
        await db.SaveChangesAsync(ct);
        return rule;
    }

    /// <summary>
    /// Refuses a pin that the next run would skip: it is checked after the cycle's earlier pins, exactly as a run checks it
    /// (<see cref="Matching.ConstrainedMatcher.CheckPins"/>), with the reporting-chain setting of the latest run (the one the
    /// matching form starts from). A pin that holds now may still be skipped later, with the reason shown on the run.
    /// </summary>
    private async Task RefuseBrokenPinAsync(Cycle cycle, PairRule pin, CancellationToken ct)
    {
        var weights = await db.MatchRuns.AsNoTracking().Where(r => r.CycleId == cycle.Id).OrderByDescending(r => r.Number)
            .Select(r => r.Weights).FirstOrDefaultAsync(ct) ?? new MatchWeights();
        var input = await reader.ReadAsync(cycle, weights, ct);
        var skipped = input.Absent(pin);
        if (skipped is null)
        {
            var check = Matching.ConstrainedMatcher.CheckPins(input.Instance, input.Excluded, [.. input.PinnedPairs, MatchInput.PinnedPairOf(pin)]);
            // The new pin is checked last, after the pins already made; only its own verdict matters here.
            if (check.Skipped.Count > 0 && check.Skipped[^1] is var last && last.Pin == MatchInput.PinnedPairOf(pin)) skipped = PinSkip.FromEngine(pin, last);
        }
        if (skipped is null) return;
        var skills = await db.SkillNamesAsync([pin.SkillId], ct);
        var reason = PinSkip.Describe(pin.LearnerId, pin.TeacherId, pin.SkillId, skipped.ReasonCode, skipped.Named,
            id => input.Names.GetValueOrDefault(id, "someone"), id => skills.GetValueOrDefault(id, "this skill"));
        throw new DomainException($"This pair cannot be pinned: {reason}.", nameof(PairRule.SkillId));
    }

    public async Task RemoveRuleAsync(Guid cycleId, Guid ruleId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var rule = await db.PairRules.SingleOrDefaultAsync(r => r.Id == ruleId && r.CycleId == cycleId, ct) ?? throw new NotFoundException("No such rule.");
        db.PairRules.Remove(rule);
        var names = await db.People.Where(p => p.Id == rule.LearnerId || p.Id == rule.TeacherId).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var skill = await db.Skills.Where(s => s.Id == rule.SkillId).Select(s => s.Name).SingleOrDefaultAsync(ct);
        audit.Record("cycle.pair-rule-removed", cycle.Name,
            RuleDetails(rule.Kind, names.GetValueOrDefault(rule.LearnerId, "someone"), names.GetValueOrDefault(rule.TeacherId, "someone"), skill ?? "a skill"));
        await db.SaveChangesAsync(ct);
    }

    private static string RuleDetails(PairRuleKind kind, string learner, string teacher, string skill) =>
        $"{(kind == PairRuleKind.Pin ? "pin" : "exclude")}: {learner} learning {skill} from {teacher}";

    public sealed record RuleRow(Guid Id, PairRuleKind Kind, string Learner, string Teacher, string Skill);

    public async Task<List<RuleRow>> RulesAsync(Guid cycleId, CancellationToken ct = default)
    {
        await CycleLookup.FindAsync(db, cycleId, ct);
        return await (from r in db.PairRules.Where(r => r.CycleId == cycleId)
               join l in db.People on r.LearnerId equals l.Id
               join t in db.People on r.TeacherId equals t.Id
               join s in db.Skills on r.SkillId equals s.Id
               orderby r.CreatedAt
               select new RuleRow(r.Id, r.Kind, l.DisplayName, t.DisplayName, s.Name)).ToListAsync(ct);
    }

    /// <summary>
    /// The run's teachers who cannot sign in yet, by name: publishing asks them to make offers they cannot reach
    /// until they accept the invitation their mail carries, so the facilitator may invite them first.
    /// </summary>
    public async Task<List<string>> TeachersWhoCannotSignInAsync(Guid runId, CancellationToken ct = default) =>
        await companySignIn.EnabledAsync(ct) ? [] : await db.People.AsNoTracking()
            .Where(p => db.Proposals.Any(x => x.RunId == runId && x.TeacherId == p.Id) && !db.Users.Any(u => u.PersonId == p.Id && u.PasswordHash != null))
            .OrderBy(p => p.DisplayName).Select(p => p.DisplayName).ToListAsync(ct);

    /// <summary>How many people publishing the run would tell: its teachers, its learners, and learners left without a match.</summary>
    public async Task<int> PeopleToTellAsync(Guid runId, CancellationToken ct = default)
    {
        var proposals = await db.Proposals.AsNoTracking().Where(p => p.RunId == runId).Select(p => new { p.TeacherId, p.LearnerIds }).ToListAsync(ct);
        var unmet = await db.UnmetWants.AsNoTracking().Where(u => u.RunId == runId).Select(u => u.LearnerId).Distinct().ToListAsync(ct);
        return proposals.SelectMany(p => p.LearnerIds.Append(p.TeacherId)).Concat(unmet).ToHashSet().Count;
    }

    /// <summary>
    /// Publishes one run: each proposal becomes a pending offer for its teacher, and everyone involved is told —
    /// teachers what they are asked to share, learners who will contact them, and learners left without a match why.
    /// </summary>
    public async Task<int> PublishAsync(Guid cycleId, Guid runId, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var run = await db.MatchRuns.SingleOrDefaultAsync(r => r.Id == runId && r.CycleId == cycleId, ct) ?? throw new NotFoundException("No such match run.");
        var now = clock.GetUtcNow();
        cycle.Publish(run, now);
        audit.Record("cycle.published", cycle.Name, $"run {run.Number}");
        // All or nothing: the state change, every offer and every notification. A second publish at the same moment
        // fails on the unique proposal of each offer and rolls back.
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        await db.SaveChangesAsync(ct);
        int offers = await OffersFromProposals(run, now).ExecuteAsync(FromProposals, ct);
        await TeachersToldAsync(cycle, run, ct);
        await LearnersToldAsync(cycle, run, ct);
        await UnmatchedToldAsync(cycle, run, ct);
        await transaction.CommitAsync(ct);
        // Every offer of a publish expires at the same moment: one reminder trigger covers them all.
        if (offers > 0) await reminders.OffersExpiringAsync(cycle.OrganisationId, cycle.Id, now + offerOptions.Value.AnswerWithin, ct);
        return offers;
    }

    // Publishing is set-based SQL (issue 13): offers and notifications are made in the database from the run's proposals
    // and unmet wants, never loaded — at 100,000 people that is 200,000 offers and notifications. Each offer and each
    // notification is the row the domain's constructor would make (InsertSelect takes every other column from one made
    // by it), and the texts are OfferNotices' own, filled in by SQL.
    private const string Run = "@p0";
    private const string FromProposals = $"""FROM "Proposals" p WHERE p."RunId" = {Run}""";

    private InsertSelect<Offer> OffersFromProposals(MatchRun run, DateTimeOffset now)
    {
        var template = new Offer(new Proposal(run, Guid.Empty, Guid.Empty, SessionKind.OneToOne, [], "", pinned: false), now, offerOptions.Value.AnswerWithin);
        var insert = WithRun(new InsertSelect<Offer>(db, template), run);
        insert.Set(nameof(Offer.Id), insert.NewId(now));
        foreach (var copied in new[] { nameof(Offer.CycleId), nameof(Offer.TeacherId), nameof(Offer.SkillId), nameof(Offer.Kind), nameof(Offer.LearnerIds), nameof(Offer.CommonHours) })
            insert.Set(copied, $"p.\"{copied}\"");
        return insert.Set(nameof(Offer.ProposalId), "p.\"Id\"");
    }

    private Task<int> TeachersToldAsync(Cycle cycle, MatchRun run, CancellationToken ct)
    {
        var insert = Notifications(cycle, run);
        var learners = insert.IsPostgres
            ? $"(SELECT string_agg({NameOf(insert, "l.id")}, ', ' ORDER BY l.n) FROM unnest(p.\"LearnerIds\") WITH ORDINALITY AS l(id, n))"
            : $"(SELECT group_concat({NameOf(insert, "upper(l.value)")}, ', ' ORDER BY l.key) FROM json_each(p.\"LearnerIds\") AS l)";
        return insert.Set(nameof(Notification.PersonId), "p.\"TeacherId\"")
            .Set(nameof(Notification.Text), insert.Concat(a => OfferNotices.AskedToShare(a[0], a[1], cycle.Name), Notification.TextMaxLength,
                SkillName(insert), $"coalesce({learners}, '')"))
            .ExecuteAsync($"""FROM "Proposals" p {JoinSkill("p")} WHERE p."RunId" = {Run}""", ct);
    }

    private Task<int> LearnersToldAsync(Cycle cycle, MatchRun run, CancellationToken ct)
    {
        var insert = Notifications(cycle, run);
        var (learner, from) = insert.IsPostgres
            ? ("l.id", """FROM "Proposals" p CROSS JOIN LATERAL unnest(p."LearnerIds") AS l(id)""")
            : ("upper(l.value)", """FROM "Proposals" p, json_each(p."LearnerIds") AS l""");
        return insert.Set(nameof(Notification.PersonId), learner)
            .Set(nameof(Notification.Text), insert.Concat(a => OfferNotices.MatchedToLearn(a[0], a[1], cycle.Name), Notification.TextMaxLength,
                SkillName(insert), $"coalesce(t.\"DisplayName\", {insert.Text("a colleague")})"))
            .ExecuteAsync($"""{from} {JoinSkill("p")} LEFT JOIN "People" t ON t."Id" = p."TeacherId" WHERE p."RunId" = {Run}""", ct);
    }

    private Task<int> UnmatchedToldAsync(Cycle cycle, MatchRun run, CancellationToken ct)
    {
        var insert = Notifications(cycle, run);
        return insert.Set(nameof(Notification.PersonId), "u.\"LearnerId\"")
            .Set(nameof(Notification.Text), insert.Concat(a => OfferNotices.CouldNotMatch(a[0], cycle.Name, a[1]), Notification.TextMaxLength,
                SkillName(insert), "u.\"Reason\""))
            .ExecuteAsync($"""FROM "UnmetWants" u {JoinSkill("u")} WHERE u."RunId" = {Run}""", ct);
    }

    private InsertSelect<Notification> Notifications(Cycle cycle, MatchRun run)
    {
        var template = notifier.Create(Guid.Empty, "-", $"/cycles/{cycle.Id}/me");
        var insert = WithRun(new InsertSelect<Notification>(db, template), run);
        return insert.Set(nameof(Notification.Id), insert.NewId(template.CreatedAt));
    }

    /// <summary>The run's id as the statement's first parameter, <see cref="Run"/>.</summary>
    private static InsertSelect<T> WithRun<T>(InsertSelect<T> insert, MatchRun run) where T : class
    {
        if (insert.Parameter<Proposal>(nameof(Proposal.RunId), run.Id) != Run) throw new InvalidOperationException("The run must be the first parameter.");
        return insert;
    }

    private static string NameOf<T>(InsertSelect<T> insert, string personId) where T : class =>
        $"coalesce((SELECT n.\"DisplayName\" FROM \"People\" n WHERE n.\"Id\" = {personId}), {insert.Text("a colleague")})";

    // Names are joined, not looked up row by row: at 100,000 people the correlated sub-selects took 2 s of each statement
    // (docs/benchmarks.md). The learner names of a teacher's notice stay a sub-select over the proposal's own list.
    private static string JoinSkill(string source) => $"""LEFT JOIN "Skills" sk ON sk."Id" = {source}."SkillId" """;

    private static string SkillName<T>(InsertSelect<T> insert) where T : class => $"coalesce(sk.\"Name\", {insert.Text("a skill")})";

    /// <summary>A person named by work email, or by their name when only one person has it.</summary>
    private async Task<Domain.People.Person> PersonByNameOrEmailAsync(string who, string field, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(who)) throw new DomainException("Enter their name or work email.", field);
        if (!who.Contains('@'))
        {
            var name = Guard.Required(who, field, "Name", Domain.People.Person.NameMaxLength);
            var named = await db.People.Where(p => p.IsActive && p.DisplayName.ToLower() == name.ToLower()).OrderBy(p => p.Email).Take(4).ToListAsync(ct);
            return named.Count switch
            {
                1 => named[0],
                0 => throw new DomainException($"Nobody in your organisation is called '{name}'; use their work email.", field),
                _ => throw new DomainException($"More than one person is called '{name}' ({string.Join(", ", named.Take(3).Select(p => p.Email))}{(named.Count > 3 ? ", …" : "")}); use their work email.", field),
            };
        }
        var normalised = Guard.Email(who, field);
        return await db.People.SingleOrDefaultAsync(p => p.Email == normalised, ct)
            ?? throw new DomainException($"Nobody in your organisation has the email '{normalised}'.", field);
    }

    public sealed record PickablePerson(string Name, string Email);

    /// <summary>
    /// The cycle's participants for the pair-rule fields to suggest, or none when there are more than
    /// <paramref name="most"/> (a list that long helps nobody and weighs on the page; typing a name still works).
    /// </summary>
    public async Task<List<PickablePerson>> PickableAsync(Guid cycleId, int most = 500, CancellationToken ct = default)
    {
        var cycle = await CycleLookup.FindAsync(db, cycleId, ct);
        var people = await Participants.Of(db, cycle).OrderBy(p => p.DisplayName).Take(most + 1)
            .Select(p => new PickablePerson(p.DisplayName, p.Email)).ToListAsync(ct);
        return people.Count > most ? [] : people;
    }
}
