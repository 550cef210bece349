using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Xapi;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Evidence;

/// <summary>
/// Tacit's own evidence, written as xAPI statements into the organisation's learning record store by the use case that
/// makes the change, before its SaveChanges: the statement (and its forwarding row) is saved in the same transaction as
/// the change, or not at all. Each statement's id is a UUIDv5 of the event's identity, so an event is recorded once
/// however often the use case runs. docs/xapi.md ("Tacit's own statements") describes what is written.
/// </summary>
public sealed class EvidenceRecorder(TacitDbContext db, StatementStore store, LinkBuilder links)
{
    public const string Attended = "http://adlnet.gov/expapi/verbs/attended";
    /// <summary>Tacit's own vocabulary: IRIs that name, whether or not they resolve.</summary>
    public const string Vocabulary = "https://tacit.app/xapi/";
    public const string Taught = Vocabulary + "verbs/taught";
    public const string GaveFeedback = Vocabulary + "verbs/gave-feedback";
    public const string KeptCommitment = Vocabulary + "verbs/kept-commitment";
    public const string ValidatedByPeers = Vocabulary + "verbs/validated-by-peers";
    public const string SkillType = Vocabulary + "activities/skill";
    public const string CycleType = Vocabulary + "activities/cycle";
    public const string MeetingType = "http://adlnet.gov/expapi/activities/meeting";
    public const string AliasesExtension = Vocabulary + "extensions/aliases";
    public const string SessionExtension = Vocabulary + "extensions/session";
    public const string Completed = "http://adlnet.gov/expapi/verbs/completed";
    public const string Confirmed = Vocabulary + "verbs/confirmed";
    public const string Declined = Vocabulary + "verbs/declined";
    public const string ExternalTrainingType = Vocabulary + "activities/training-elsewhere";
    public const string EvidenceUsage = Vocabulary + "attachments/evidence";

    /// <summary>The namespace of Tacit's statement ids (UUIDv5, RFC 9562 §5.5).</summary>
    private static readonly Guid StatementNamespace = new("6f1d3c2e-5a4b-4c8d-9e0f-7a6b5c4d3e2f");

    /// <summary>A session was held (someone in it said so in their feedback): each learner attended it, the teacher taught it.</summary>
    public async Task SessionHeldAsync(Session session, CancellationToken ct = default)
    {
        var context = await ContextOfAsync(session, ct);
        foreach (var learner in session.LearnerIds)
            await StageAsync(context, $"session/{session.Id}/attended/{learner}", learner, Attended, "attended", session.Id, SessionResult(session), ct);
        await StageAsync(context, $"session/{session.Id}/taught/{session.TeacherId}", session.TeacherId, Taught, "taught", session.Id, SessionResult(session), ct);
    }

    /// <summary>Someone gave their feedback on a session (recorded once, however often they change it); a learner's rating is the score.</summary>
    public async Task FeedbackGivenAsync(Session session, SessionFeedback feedback, CancellationToken ct = default)
    {
        var result = feedback.Usefulness is { } rating
            ? new JsonObject { ["score"] = new JsonObject { ["raw"] = rating, ["min"] = 1, ["max"] = 5 } }
            : null;
        await StageAsync(await ContextOfAsync(session, ct), $"session/{session.Id}/feedback/{feedback.PersonId}", feedback.PersonId, GaveFeedback, "gave feedback on", session.Id, result, ct);
    }

    /// <summary>A learner marked a commitment from a session done.</summary>
    public async Task CommitmentKeptAsync(Session session, Commitment commitment, CancellationToken ct = default) =>
        await StageAsync(await ContextOfAsync(session, ct), $"commitment/{commitment.Id}/kept", commitment.LearnerId, KeptCommitment, "kept a commitment about",
            session.Id, new JsonObject { ["completion"] = true, ["success"] = true }, ct);

    /// <summary>
    /// A teacher's skill became validated by peers with this session's ratings; the learners who validated it are the
    /// statement's team (recorded once per teacher and skill).
    /// </summary>
    public async Task SkillValidatedAsync(Session session, IReadOnlyCollection<Guid> validators, CancellationToken ct = default)
    {
        var context = await ContextOfAsync(session, ct);
        var people = await db.People.AsNoTracking().Where(p => validators.Contains(p.Id)).OrderBy(p => p.DisplayName).Select(p => new { p.DisplayName, p.Email }).ToListAsync(ct);
        context.Team = new JsonObject
        {
            ["objectType"] = "Group",
            ["name"] = "Peers who validated the skill",
            ["member"] = new JsonArray([.. people.Select(p => (JsonNode)Agent(p.DisplayName, p.Email))]),
        };
        await StageAsync(context, $"validated/{session.TeacherId}/{session.SkillId}", session.TeacherId, ValidatedByPeers, "was validated by peers in", null, null, ct);
    }

    /// <summary>
    /// Someone attended the cycle's review meeting (the facilitator recorded it): the meeting is the object, the cycle its
    /// grouping; recorded once per person and review, however often the attendance is saved.
    /// </summary>
    public async Task ReviewAttendedAsync(Domain.Cycles.Cycle cycle, Guid personId, DateTimeOffset at, CancellationToken ct = default)
    {
        if (await PersonAsync(personId, ct) is not { } person) return;
        var statement = new JsonObject
        {
            ["id"] = StatementId(cycle.OrganisationId, $"review/{cycle.Id}/attended/{personId}").ToString(),
            ["actor"] = Agent(person.DisplayName, person.Email),
            ["verb"] = new JsonObject { ["id"] = Attended, ["display"] = new JsonObject { ["en"] = "attended" } },
            ["object"] = new JsonObject
            {
                ["objectType"] = "Activity",
                ["id"] = links.To($"/cycles/{cycle.Id}/review"),
                ["definition"] = new JsonObject { ["name"] = new JsonObject { ["en"] = $"Review of {cycle.Name}" }, ["type"] = MeetingType },
            },
            ["context"] = new JsonObject
            {
                ["registration"] = Registration(cycle.Id, personId).ToString(),
                ["platform"] = "Tacit",
                ["contextActivities"] = new JsonObject { ["grouping"] = new JsonArray(CycleActivity(cycle.Id, cycle.Name)) },
            },
            ["timestamp"] = Timestamp(at),
        };
        await store.StageAsync(statement, Authority(), ct);
    }

    /// <summary>
    /// Training done elsewhere, submitted by the person: they completed it, on its day, for its hours, with its skills as
    /// context; the file (if any) is the statement's attachment, kept in the store by its SHA-256.
    /// </summary>
    public async Task TrainingSubmittedAsync(SubmittedTraining training, AttachmentContent? file, CancellationToken ct = default)
    {
        var person = await PersonAsync(training.PersonId, ct) ?? throw new Domain.NotFoundException("No such person.");
        var skills = await db.Skills.AsNoTracking().Where(s => training.SkillIds.Contains(s.Id)).OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var definition = new JsonObject { ["name"] = new JsonObject { ["en"] = training.What }, ["type"] = ExternalTrainingType };
        if (training.Link.Length > 0) definition["moreInfo"] = training.Link;
        var context = new JsonObject { ["platform"] = "Tacit" };
        if (skills.Count > 0)
            context["contextActivities"] = new JsonObject
            {
                ["other"] = new JsonArray([.. skills.Select(s => (JsonNode)new JsonObject
                {
                    ["objectType"] = "Activity",
                    ["id"] = SkillIri(s.Id),
                    ["definition"] = new JsonObject { ["name"] = new JsonObject { ["en"] = s.Name }, ["type"] = SkillType },
                })]),
            };
        var statement = new JsonObject
        {
            ["id"] = TrainingStatementId(training).ToString(),
            ["actor"] = Agent(person.DisplayName, person.Email),
            ["verb"] = new JsonObject { ["id"] = Completed, ["display"] = new JsonObject { ["en"] = "completed" } },
            ["object"] = new JsonObject { ["objectType"] = "Activity", ["id"] = links.To($"/training/{training.Id}"), ["definition"] = definition },
            ["result"] = new JsonObject { ["duration"] = System.Xml.XmlConvert.ToString(TimeSpan.FromHours(training.Hours)), ["completion"] = true },
            ["context"] = context,
            ["timestamp"] = Timestamp(new DateTimeOffset(training.On.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        };
        if (file is not null)
            statement["attachments"] = new JsonArray(new JsonObject
            {
                ["usageType"] = EvidenceUsage,
                ["display"] = new JsonObject { ["en"] = training.FileName },
                ["contentType"] = file.ContentType,
                ["length"] = file.Content.Length,
                ["sha2"] = file.Sha2,
            });
        await store.StageAsync(statement, Authority(), file is null ? [] : [file], ct);
    }

    /// <summary>The colleague asked confirms (or declines) the training: a statement of theirs about the person's statement.</summary>
    public async Task TrainingAnsweredAsync(SubmittedTraining training, Guid colleagueId, bool confirmed, DateTimeOffset at, CancellationToken ct = default)
    {
        if (await PersonAsync(colleagueId, ct) is not { } colleague) return;
        var statement = new JsonObject
        {
            ["id"] = AnswerStatementId(training).ToString(),
            ["actor"] = Agent(colleague.DisplayName, colleague.Email),
            ["verb"] = new JsonObject { ["id"] = confirmed ? Confirmed : Declined, ["display"] = new JsonObject { ["en"] = confirmed ? "confirmed" : "declined to confirm" } },
            // About the person's statement, not an activity: xAPI (1.0.3 and 2.0) allows context.platform and revision
            // only on statements about an activity, so this one carries no context.
            ["object"] = new JsonObject { ["objectType"] = "StatementRef", ["id"] = TrainingStatementId(training).ToString() },
            ["timestamp"] = Timestamp(at),
        };
        await store.StageAsync(statement, Authority(), ct);
    }

    /// <summary>The person deleted their training: its statement, and the colleague's answer to it, are voided (xAPI keeps voided statements, unlisted).</summary>
    public async Task TrainingDeletedAsync(SubmittedTraining training, DateTimeOffset at, CancellationToken ct = default)
    {
        var person = await PersonAsync(training.PersonId, ct) ?? throw new Domain.NotFoundException("No such person.");
        var targets = new List<Guid> { TrainingStatementId(training) };
        if (training.AnsweredAt is not null) targets.Add(AnswerStatementId(training));
        foreach (var target in targets)
        {
            if (!await db.Set<XapiStatement>().AnyAsync(s => s.StatementId == target && !s.Voided, ct)) continue;
            await store.StageAsync(new JsonObject
            {
                ["id"] = StatementId(training.OrganisationId, $"voided/{target}").ToString(),
                ["actor"] = Agent(person.DisplayName, person.Email),
                ["verb"] = new JsonObject { ["id"] = StatementValidator.VoidedVerb, ["display"] = new JsonObject { ["en"] = "voided" } },
                ["object"] = new JsonObject { ["objectType"] = "StatementRef", ["id"] = target.ToString() },
                ["timestamp"] = Timestamp(at),
            }, Authority(), ct);
        }
    }

    public static Guid TrainingStatementId(SubmittedTraining training) => StatementId(training.OrganisationId, $"training/{training.Id}");

    private static Guid AnswerStatementId(SubmittedTraining training) => StatementId(training.OrganisationId, $"training/{training.Id}/answer");

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private Task<PersonName?> PersonAsync(Guid personId, CancellationToken ct) =>
        db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => new PersonName(p.DisplayName, p.Email)).SingleOrDefaultAsync(ct);

    private sealed record PersonName(string DisplayName, string Email);

    private static JsonObject SessionResult(Session session) =>
        new() { ["duration"] = System.Xml.XmlConvert.ToString(TimeSpan.FromMinutes(session.DurationMinutes)), ["completion"] = true };

    private sealed class StatementContext
    {
        public required Session Session { get; init; }
        public required JsonObject Skill { get; init; }
        public required JsonObject Cycle { get; init; }
        public JsonObject? Team { get; set; }
    }

    private async Task<StatementContext> ContextOfAsync(Session session, CancellationToken ct)
    {
        // A skill deleted or merged away since the session keeps its id; the statement then names it generically.
        var skill = await db.Skills.AsNoTracking().Where(s => s.Id == session.SkillId).Select(s => new { s.Name, s.Description, Aliases = s.Aliases.Select(a => a.Name).ToList() }).SingleOrDefaultAsync(ct)
            ?? new { Name = "A skill no longer in the catalogue", Description = "", Aliases = new List<string>() };
        var cycle = await db.Cycles.AsNoTracking().Where(c => c.Id == session.CycleId).Select(c => c.Name).SingleOrDefaultAsync(ct) ?? "A learning cycle";
        var definition = new JsonObject { ["name"] = new JsonObject { ["en"] = skill.Name }, ["type"] = SkillType };
        if (skill.Description.Length > 0) definition["description"] = new JsonObject { ["en"] = skill.Description };
        if (skill.Aliases.Count > 0) definition["extensions"] = new JsonObject { [AliasesExtension] = new JsonArray([.. skill.Aliases.Order(StringComparer.Ordinal).Select(a => (JsonNode)a)]) };
        return new StatementContext
        {
            Session = session,
            Skill = new JsonObject { ["objectType"] = "Activity", ["id"] = SkillIri(session.SkillId), ["definition"] = definition },
            Cycle = CycleActivity(session.CycleId, cycle),
        };
    }

    private JsonObject CycleActivity(Guid cycleId, string name) => new()
    {
        ["objectType"] = "Activity",
        ["id"] = links.To($"/cycles/{cycleId}"),
        ["definition"] = new JsonObject { ["name"] = new JsonObject { ["en"] = name }, ["type"] = CycleType },
    };

    public string SkillIri(Guid skillId) => links.To($"/skills/{skillId}");

    /// <summary>Stages one person's statement about the session's skill; <paramref name="identity"/> names the event (its id comes from it).</summary>
    private async Task StageAsync(StatementContext context, string identity, Guid personId, string verb, string verbDisplay, Guid? sessionId,
        JsonObject? result, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.DisplayName, p.Email }).SingleOrDefaultAsync(ct);
        if (person is null) return;
        var session = context.Session;
        var xapiContext = new JsonObject
        {
            ["registration"] = Registration(session.CycleId, personId).ToString(),
            ["platform"] = "Tacit",
            ["contextActivities"] = new JsonObject { ["grouping"] = new JsonArray(context.Cycle.DeepClone()) },
        };
        if (sessionId is { } id) xapiContext["extensions"] = new JsonObject { [SessionExtension] = links.To($"/sessions/{id}") };
        if (context.Team is not null) xapiContext["team"] = context.Team.DeepClone();
        var statement = new JsonObject
        {
            ["id"] = StatementId(session.OrganisationId, identity).ToString(),
            ["actor"] = Agent(person.DisplayName, person.Email),
            ["verb"] = new JsonObject { ["id"] = verb, ["display"] = new JsonObject { ["en"] = verbDisplay } },
            ["object"] = context.Skill.DeepClone(),
            ["context"] = xapiContext,
            ["timestamp"] = session.StartsAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (result is not null) statement["result"] = result.DeepClone();
        await store.StageAsync(statement, Authority(), ct);
    }

    private static JsonObject Agent(string name, string email) =>
        new() { ["objectType"] = "Agent", ["name"] = name, ["mbox"] = "mailto:" + email };

    /// <summary>The authority of Tacit's own statements: Tacit itself, as an account of this server.</summary>
    private JsonObject Authority() => new()
    {
        ["objectType"] = "Agent",
        ["name"] = "Tacit",
        ["account"] = new JsonObject { ["homePage"] = links.To("/"), ["name"] = "tacit" },
    };

    /// <summary>A person's registration in a cycle: the same UUID in every statement of their part in it.</summary>
    public static Guid Registration(Guid cycleId, Guid personId) => NameBased(StatementNamespace, $"registration/{cycleId}/{personId}");

    /// <summary>The id of an event's statement: the same event, the same id (so it is never stored twice).</summary>
    public static Guid StatementId(Guid organisationId, string eventIdentity) => NameBased(StatementNamespace, $"{organisationId}/{eventIdentity}");

    /// <summary>A UUIDv5 (RFC 9562 §5.5): SHA-1 of the namespace and the name, with the version and variant bits set.</summary>
    public static Guid NameBased(Guid ns, string name)
    {
        var bytes = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        ns.TryWriteBytes(bytes, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, bytes.AsSpan(16));
#pragma warning disable CA5350 // RFC 9562 fixes SHA-1 for version 5 UUIDs: an identifier, not a security use.
        var hash = SHA1.HashData(bytes);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
