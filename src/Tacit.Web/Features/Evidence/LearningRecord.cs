using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Xapi;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Evidence;

/// <summary>A period of the record: whole UTC days, both ends included, either end open.</summary>
public sealed record RecordPeriod(DateOnly? From, DateOnly? To)
{
    public static RecordPeriod All { get; } = new(null, null);

    /// <summary>Reads the period from text (yyyy-MM-dd); a date that is not one, or a start after the end, is a 422.</summary>
    public static RecordPeriod Parse(string? from, string? to)
    {
        var period = new RecordPeriod(Date(from, nameof(From)), Date(to, nameof(To)));
        if (period.From > period.To) throw new DomainException("The start of the period must not be after its end.", nameof(From));
        return period;
    }

    private static DateOnly? Date(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new DomainException("Give the date as yyyy-MM-dd, such as 2026-01-31.", field);

    public DateTimeOffset? Start => From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
    public DateTimeOffset? End => To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    public bool Contains(DateTimeOffset moment) => (Start is not { } start || moment >= start) && (End is not { } end || moment < end);
}

public enum RecordRole { Learned, Taught }

public sealed record RecordSession(Guid SessionId, DateTimeOffset StartsAt, int DurationMinutes, string Skill, RecordRole Role, IReadOnlyList<string> With, string Cycle);

public sealed record RecordValidatedSkill(Guid SkillId, string Skill, IReadOnlyList<string> ValidatedBy);

public sealed record RecordCommitment(string Text, string Skill, DateOnly DueOn, DateTimeOffset SessionStartsAt);

public sealed record RecordThanks(string From, string Text, DateTimeOffset GivenAt);

/// <summary>Training done elsewhere that the person submitted, and whether the colleague asked confirmed it.</summary>
public sealed record RecordSubmittedTraining(Guid Id, string What, DateOnly On, double Hours, IReadOnlyList<string> Skills, string Link, string? FileName,
    TrainingConfirmation Confirmation, string? Confirmer);

public sealed record LearningRecordDto(Guid PersonId, string Name, DateOnly? From, DateOnly? To, int SessionsLearned, int SessionsTaught,
    double HoursLearned, double HoursTaught, IReadOnlyList<RecordSession> Sessions, IReadOnlyList<string> SkillsLearned,
    IReadOnlyList<RecordValidatedSkill> ValidatedSkills, IReadOnlyList<RecordCommitment> CommitmentsKept, IReadOnlyList<RecordThanks> Thanks,
    IReadOnlyList<RecordSubmittedTraining> SubmittedTraining)
{
    public bool IsEmpty => Sessions.Count == 0 && ValidatedSkills.Count == 0 && CommitmentsKept.Count == 0 && Thanks.Count == 0 && SubmittedTraining.Count == 0;
}

/// <summary>
/// A person's own learning record: the sessions held that they learned in or taught (held: not cancelled, and someone
/// in it said it happened — as the xAPI evidence and the cycle review count it), hours, skills learned, skills validated
/// by peers and by whom, commitments kept and thanks received, for a period; as CSV and as their xAPI statements. Only
/// the person reads it (sharing it, by consent, is issue 14 point 5).
/// </summary>
public sealed class LearningRecord(TacitDbContext db, TrainingSubmissions trainings)
{
    /// <summary>At most this many statements in one xAPI export.</summary>
    public const int StatementLimit = 10_000;

    public async Task<LearningRecordDto> ForAsync(Guid personId, RecordPeriod period, CancellationToken ct = default)
    {
        var name = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => p.DisplayName).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("No such person.");
        var held = db.Sessions.AsNoTracking().Involving(personId)
            .Where(s => s.Status == SessionStatus.Scheduled && db.SessionFeedback.Any(f => f.SessionId == s.Id && f.Happened));
        if (period.Start is { } start) held = held.Where(s => s.StartsAt >= start);
        if (period.End is { } end) held = held.Where(s => s.StartsAt < end);
        var sessions = await held.OrderBy(s => s.StartsAt).ToListAsync(ct);

        var ratings = await db.SessionFeedback.AsNoTracking().Where(f => f.TeacherId == personId && !f.AsTeacher && f.Happened && f.PersonId != personId).ToListAsync(ct);
        if (period.End is { } until) ratings = [.. ratings.Where(f => f.GivenAt < until)];
        var validated = Recognition.ValidatedSkills(personId, ratings);

        var kept = await (from c in db.Commitments.AsNoTracking()
                          where c.LearnerId == personId && c.Status == CommitmentStatus.Done
                          join s in db.Sessions on c.SessionId equals s.Id
                          select new { c.Text, c.DueOn, s.SkillId, s.StartsAt }).ToListAsync(ct);
        kept = [.. kept.Where(c => period.Contains(c.StartsAt)).OrderBy(c => c.StartsAt)];

        // Thanks to this person: from learners of sessions they taught, and from the teachers of sessions they learned in.
        var mine = db.Sessions.Involving(personId).Select(s => s.Id);
        var thanks = await db.SessionFeedback.AsNoTracking()
            .Where(f => f.ThankYou != "" && f.PersonId != personId && f.GivenAt != null
                && ((f.TeacherId == personId && !f.AsTeacher) || (f.AsTeacher && f.TeacherId != personId && mine.Contains(f.SessionId))))
            .Select(f => new { f.PersonId, f.ThankYou, f.GivenAt }).ToListAsync(ct);
        thanks = [.. thanks.Where(t => period.Contains(t.GivenAt!.Value)).OrderByDescending(t => t.GivenAt)];

        var personIds = sessions.SelectMany(s => s.LearnerIds.Append(s.TeacherId)).Concat(ratings.Select(r => r.PersonId)).Concat(thanks.Select(t => t.PersonId)).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var skillIds = sessions.Select(s => s.SkillId).Concat(validated).Concat(kept.Select(c => c.SkillId)).Distinct().ToList();
        var skills = await db.Skills.AsNoTracking().Where(s => skillIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var cycleIds = sessions.Select(s => s.CycleId).Distinct().ToList();
        var cycles = await db.Cycles.AsNoTracking().Where(c => cycleIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        string Person(Guid id) => people.GetValueOrDefault(id, "a former colleague");
        string Skill(Guid id) => skills.GetValueOrDefault(id, "a skill");

        var rows = sessions.Select(s => s.TeacherId == personId
            ? new RecordSession(s.Id, s.StartsAt, s.DurationMinutes, Skill(s.SkillId), RecordRole.Taught, [.. s.LearnerIds.Select(Person)], cycles.GetValueOrDefault(s.CycleId, ""))
            : new RecordSession(s.Id, s.StartsAt, s.DurationMinutes, Skill(s.SkillId), RecordRole.Learned, [Person(s.TeacherId)], cycles.GetValueOrDefault(s.CycleId, ""))).ToList();
        var elsewhere = await trainings.OfAsync(personId, period, ct);
        var learned = rows.Where(r => r.Role == RecordRole.Learned).ToList();
        var taught = rows.Where(r => r.Role == RecordRole.Taught).ToList();
        return new LearningRecordDto(personId, name, period.From, period.To, learned.Count, taught.Count,
            learned.Sum(r => r.DurationMinutes) / 60.0, taught.Sum(r => r.DurationMinutes) / 60.0, rows,
            [.. learned.Select(r => r.Skill).Distinct().Order(StringComparer.CurrentCulture)],
            [.. validated.Select(id => new RecordValidatedSkill(id, Skill(id),
                [.. ratings.Where(r => r.SkillId == id && r.Usefulness >= Recognition.GoodRating).Select(r => r.PersonId).Distinct().Select(Person).Order(StringComparer.CurrentCulture)]))
                .OrderBy(v => v.Skill, StringComparer.CurrentCulture)],
            [.. kept.Select(c => new RecordCommitment(c.Text, Skill(c.SkillId), c.DueOn, c.StartsAt))],
            [.. thanks.Select(t => new RecordThanks(Person(t.PersonId), t.ThankYou, t.GivenAt!.Value))],
            [.. elsewhere.Select(t => new RecordSubmittedTraining(t.Id, t.What, t.On, t.Hours, t.Skills, t.Link, t.FileName, t.Confirmation, t.ConfirmerName))]);
    }

    /// <summary>The record as one CSV table: a line per session, validated skill, kept commitment, thank-you and training done elsewhere.</summary>
    public static string ToCsv(LearningRecordDto record)
    {
        var csv = new StringBuilder("kind,date,skill,role,hours,with,cycle,detail\r\n");
        void Line(params string[] fields) => csv.Append(string.Join(',', fields.Select(CsvField.Safe))).Append("\r\n");
        static string Day(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var s in record.Sessions)
            Line("session", Day(s.StartsAt), s.Skill, s.Role == RecordRole.Taught ? "taught" : "learned",
                (s.DurationMinutes / 60.0).ToString("0.##", CultureInfo.InvariantCulture), string.Join("; ", s.With), s.Cycle, "");
        foreach (var v in record.ValidatedSkills) Line("validated skill", "", v.Skill, "", "", string.Join("; ", v.ValidatedBy), "", "");
        foreach (var c in record.CommitmentsKept) Line("commitment kept", Day(c.SessionStartsAt), c.Skill, "", "", "", "", c.Text);
        foreach (var t in record.Thanks) Line("thanks", Day(t.GivenAt), "", "", "", t.From, "", t.Text);
        foreach (var t in record.SubmittedTraining)
            Line("training elsewhere", t.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), string.Join("; ", t.Skills), "learned",
                t.Hours.ToString("0.##", CultureInfo.InvariantCulture), t.Confirmer ?? "", "", $"{t.What} ({ConfirmationText(t.Confirmation, t.Confirmer)})");
        return csv.ToString();
    }

    /// <summary>How a submitted training's confirmation reads, on the page, in a pack and in the CSV.</summary>
    public static string ConfirmationText(TrainingConfirmation confirmation, string? confirmer) => confirmation switch
    {
        TrainingConfirmation.Confirmed => $"confirmed by {confirmer}",
        TrainingConfirmation.Declined => $"{confirmer} declined to confirm",
        TrainingConfirmation.Pending => $"waiting for {confirmer} to confirm",
        _ => "not confirmed by a colleague",
    };

    /// <summary>
    /// The person's statements in the learning record store: those with them as the actor (by their address), Tacit's
    /// own evidence and what course platforms sent, not voided, with a timestamp in the period; oldest first.
    /// </summary>
    public async Task<JsonArray> StatementsAsync(Guid personId, RecordPeriod period, CancellationToken ct = default)
    {
        var email = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => p.Email).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("No such person.");
        var hash = XapiHash.Of($"mbox:mailto:{email}");
        var rows = await db.Set<XapiStatement>().AsNoTracking()
            .Where(s => !s.Voided && s.VoidsStatementId == null && s.Keys.Any(k => k.Kind == XapiKeyKind.Agent && k.Hash == hash))
            .OrderBy(s => s.Id).Take(StatementLimit).Select(s => s.Json).ToListAsync(ct);
        var statements = new JsonArray();
        foreach (var json in rows)
        {
            var statement = JsonNode.Parse(json)!;
            if (statement["timestamp"]?.GetValue<string>() is { } timestamp
                && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && !period.Contains(at)) continue;
            statements.Add(statement);
        }
        return statements;
    }
}
