using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Tacit.Domain.Offers;
using Tacit.Web.Features.Evidence;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Xapi;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Tests.Features.Evidence;

/// <summary>
/// Tacit's own evidence as xAPI: statements written with the change, once per event, found through /xapi like any
/// statement; forwarded to a real receiver on loopback (down, then up: nothing lost, nothing twice), with a dead-letter
/// view and retry in Settings; and each person's learning record, its exports and its page.
/// </summary>
public abstract partial class EvidenceTests(TacitApp app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;
    private const string Feedback5 = """{"happened":true,"usefulness":5,"learned":"Anchoring","thankYou":"Brilliant, thank you","thankYouIsPublic":false}""";

    /// <summary>Two sessions of sales1's Negotiation, with two learners, moved into the past as if they had been held.</summary>
    private sealed record Held(FinanceAndSales Org, Guid CycleId, OfferInPlay First, Guid FirstSession, OfferInPlay Second, Guid SecondSession);

    private async Task<Held> TwoSessionsAsync()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycle = await org.Cycles.PublishedCycleAsync();
        var times = new[] { Clock.GetUtcNow().AddDays(3) }.Select(t => new DateTimeOffset(t.Year, t.Month, t.Day, 10, 0, 0, TimeSpan.Zero)).ToArray();
        var first = await org.OfferOfAsync("sales1");
        var firstSession = (await first.BookAsync(times)).Id;
        var second = await org.OfferOfAsync("sales1", OfferStatus.Pending);
        var secondSession = (await second.BookAsync(times)).Id;
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == firstSession || s.Id == secondSession)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, Clock.GetUtcNow().AddDays(-2))));
        return new Held(org, cycle.Id, first, firstSession, second, secondSession);
    }

    private async Task GiveAsync(HttpClient client, Guid session, string json)
    {
        using var answer = await client.PutAsync($"/api/sessions/{session}/feedback/me", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{answer.StatusCode}: {app.ServerErrors}");
    }

    private Task<int> StatementCountAsync(Guid organisationId) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().Set<XapiStatement>().CountAsync());

    /// <summary>Feedback on both sessions (the second validates sales1's skill) and a kept commitment: nine statements.</summary>
    private async Task<Guid> PlayAsync(Held held)
    {
        await GiveAsync(held.First.Learner, held.FirstSession, Feedback5);
        await GiveAsync(held.First.Teacher, held.FirstSession, """{"happened":true,"wentWell":"Good questions","thankYou":"Great questions","thankYouIsPublic":true}""");
        await GiveAsync(held.Second.Learner, held.SecondSession, """{"happened":true,"usefulness":4}""");
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var commitment = await held.Second.Learner.PostAsJsonAsync($"/api/sessions/{held.SecondSession}/commitments", new { text = "Open low next budget round", dueOn = today })
            .ReadAsync<CommitmentDto>(HttpStatusCode.Created);
        await held.Second.Learner.PostAsJsonAsync($"/api/commitments/{commitment.Id}/status", new { status = "done" }).ExpectAsync(HttpStatusCode.OK);
        return commitment.Id;
    }

    [Fact]
    public async Task Sessions_feedback_commitments_and_validations_are_statements_written_once_and_found_through_xapi()
    {
        var held = await TwoSessionsAsync();
        var org = held.Org;
        Assert.Equal(0, await StatementCountAsync(org.Id));

        // The first feedback saying it happened: the learner attended, the teacher taught, and the feedback itself.
        await GiveAsync(held.First.Learner, held.FirstSession, Feedback5);
        Assert.Equal(3, await StatementCountAsync(org.Id));
        // Changing one's feedback, or a refused one, records nothing more.
        await GiveAsync(held.First.Learner, held.FirstSession, Feedback5.Replace("Anchoring", "Anchoring, twice", StringComparison.Ordinal));
        await held.First.Learner.PutAsJsonAsync($"/api/sessions/{held.FirstSession}/feedback/me", new { happened = true }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(3, await StatementCountAsync(org.Id));

        var commitmentId = await PlayAsync(held);
        // + the teacher's feedback; the second session held (2) and its feedback; sales1's skill validated; a commitment kept.
        Assert.Equal(9, await StatementCountAsync(org.Id));
        // Kept again after being reopened: still once.
        await held.Second.Learner.PostAsJsonAsync($"/api/commitments/{commitmentId}/status", new { status = "open" }).ExpectAsync(HttpStatusCode.OK);
        await held.Second.Learner.PostAsJsonAsync($"/api/commitments/{commitmentId}/status", new { status = "done" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(9, await StatementCountAsync(org.Id));

        var lrs = await LrsClientAsync(org.Id);
        var learnerId = org[held.First.LearnerName];
        var learner = Uri.EscapeDataString(new JsonObject { ["mbox"] = "mailto:" + org.Email(held.First.LearnerName) }.ToJsonString());
        var attended = Assert.Single(await StatementsAsync(lrs, $"agent={learner}&verb={Uri.EscapeDataString(EvidenceRecorder.Attended)}"));
        var links = app.Services.GetRequiredService<LinkBuilder>();
        Assert.Equal(EvidenceRecorder.StatementId(org.Id, $"session/{held.FirstSession}/attended/{learnerId}").ToString(), attended["id"]!.GetValue<string>());
        Assert.Equal(links.To($"/skills/{org.Wanted}"), attended["object"]!["id"]!.GetValue<string>());
        Assert.Equal(FinanceAndSales.WantedSkill, attended["object"]!["definition"]!["name"]!["en"]!.GetValue<string>());
        Assert.Equal("PT30M", attended["result"]!["duration"]!.GetValue<string>());
        Assert.Equal(links.To($"/cycles/{held.CycleId}"), attended["context"]!["contextActivities"]!["grouping"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(EvidenceRecorder.Registration(held.CycleId, learnerId).ToString(), attended["context"]!["registration"]!.GetValue<string>());
        Assert.Equal("Tacit", attended["authority"]!["name"]!.GetValue<string>());

        var teacher = Uri.EscapeDataString(new JsonObject { ["mbox"] = "mailto:" + org.Email("sales1") }.ToJsonString());
        Assert.Equal(2, (await StatementsAsync(lrs, $"agent={teacher}&verb={Uri.EscapeDataString(EvidenceRecorder.Taught)}")).Count);
        var validated = Assert.Single(await StatementsAsync(lrs, $"verb={Uri.EscapeDataString(EvidenceRecorder.ValidatedByPeers)}"));
        Assert.Equal("mailto:" + org.Email("sales1"), validated["actor"]!["mbox"]!.GetValue<string>());
        Assert.Equal(new[] { org.Email(held.First.LearnerName), org.Email(held.Second.LearnerName) }.Order(),
            validated["context"]!["team"]!["member"]!.AsArray().Select(m => m!["mbox"]!.GetValue<string>()["mailto:".Length..]).Order());
        // The validators are related agents: a query for them finds it.
        Assert.Contains(await StatementsAsync(lrs, $"agent={learner}&related_agents=true"), s => s["id"]!.GetValue<string>() == validated["id"]!.GetValue<string>());
        Assert.Single(await StatementsAsync(lrs, $"verb={Uri.EscapeDataString(EvidenceRecorder.KeptCommitment)}"));

        // Another organisation's store sees none of them.
        var other = await app.CreateOrganisationAsync("evidence-other-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Empty(await StatementsAsync(await LrsClientAsync(other.Organisation.Id), $"verb={Uri.EscapeDataString(EvidenceRecorder.Attended)}"));
    }

    [Fact]
    public async Task Statements_are_forwarded_to_a_receiver_that_was_down_once_each_and_set_aside_ones_are_retried_from_settings()
    {
        var held = await TwoSessionsAsync();
        var org = held.Org;
        await using var receiver = new XapiReceiver();
        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", CycleScenario.Password);
        var saved = await Pages.PostFormAsync(admin, "/settings/xapi-forwarding", "forwarding",
            new Dictionary<string, string> { ["Form.Endpoint"] = receiver.Endpoint, ["Form.Key"] = XapiReceiver.Key, ["Form.Secret"] = XapiReceiver.Secret });
        var html = await saved.Content.ReadAsStringAsync();
        Assert.True(saved.StatusCode == HttpStatusCode.OK, $"{saved.StatusCode}: {app.ServerErrors}");
        Assert.Contains(receiver.Endpoint, html, StringComparison.Ordinal);
        Assert.DoesNotContain(XapiReceiver.Secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain(XapiReceiver.Secret, (await Pages.GetAsync(admin, "/settings/xapi-forwarding")).Html, StringComparison.Ordinal);
        var stored = await InOrgAsync(org.Id, db => db.Set<XapiForwardingTarget>().SingleAsync());
        Assert.DoesNotContain(XapiReceiver.Secret, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Contains(await InOrgAsync(org.Id, db => db.AuditEntries.Select(e => e.Action).ToListAsync()), a => a == "xapi-forwarding.set");

        // The receiver is down: the forwarder tries, fails, and keeps the statements for later.
        await GiveAsync(held.First.Learner, held.FirstSession, Feedback5);
        await Poll.UntilAsync(() => InOrgAsync(org.Id, async db =>
            await db.Set<XapiForward>().CountAsync(f => f.Attempts >= 1 && f.LastError != "" && f.SentAt == null) == 3), "Three failed attempts");
        // It comes up; the back-off has passed.
        await receiver.StartAsync();
        await InOrgAsync(org.Id, db => db.Set<XapiForward>().Where(f => f.SentAt == null && f.ClaimedBy == null)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.NextAttemptAt, Clock.GetUtcNow().AddSeconds(-1))));
        await Poll.UntilAsync(() => InOrgAsync(org.Id, async db => await db.Set<XapiForward>().AllAsync(f => f.SentAt != null)), "Forwarding after the receiver came up");
        var ids = await InOrgAsync(org.Id, db => db.Set<XapiStatement>().Select(s => s.StatementId).ToListAsync());
        Assert.Equal(ids.Order(), receiver.Received.Order());
        Assert.Empty(receiver.Refused);
        Assert.Null(receiver.Statements.Values.First()["authority"]);

        // The receiver refuses: after the last attempt the statement is set aside, shown in Settings, and retried from there.
        receiver.Failing = 503;
        await GiveAsync(held.First.Teacher, held.FirstSession, """{"happened":true,"wentWell":"Good questions"}""");
        await Poll.UntilAsync(() => InOrgAsync(org.Id, async db =>
        {
            // As if the earlier attempts had failed already (each failure waits longer before the next).
            await db.Set<XapiForward>().Where(f => f.SentAt == null && f.DeadAt == null && f.ClaimedBy == null)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.Attempts, StatementForwarder.MaxAttempts - 1).SetProperty(f => f.NextAttemptAt, Clock.GetUtcNow().AddSeconds(-1)));
            return await db.Set<XapiForward>().AnyAsync(f => f.DeadAt != null);
        }), "A statement set aside");
        var dead = await InOrgAsync(org.Id, db => db.Set<XapiForward>().SingleAsync(f => f.DeadAt != null));
        Assert.Equal(StatementForwarder.MaxAttempts, dead.Attempts);
        var page = (await Pages.GetAsync(admin, "/settings/xapi-forwarding")).Html;
        Assert.Contains(dead.StatementId.ToString(), page, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", page, StringComparison.Ordinal);
        receiver.Failing = 0;
        await Pages.PostFormAsync(admin, "/settings/xapi-forwarding", $"forwarding-retry-{dead.Id}", new Dictionary<string, string>()).ExpectAsync(HttpStatusCode.OK);
        await Poll.UntilAsync(() => InOrgAsync(org.Id, async db => await db.Set<XapiForward>().AllAsync(f => f.SentAt != null)), "Forwarding after the retry");
        Assert.Equal(4, receiver.Received.Count);
        Assert.Equal(4, receiver.Received.Distinct().Count());
        Assert.Contains(dead.StatementId, receiver.Received);
    }

    [Fact]
    public async Task A_person_reads_their_own_learning_record_for_a_period_and_exports_it()
    {
        var held = await TwoSessionsAsync();
        var org = held.Org;
        await PlayAsync(held);

        var learner = await held.First.Learner.GetJsonAsync<LearningRecordDto>("/api/me/learning-record");
        Assert.Equal((1, 0, 0.5), (learner.SessionsLearned, learner.SessionsTaught, learner.HoursLearned));
        Assert.Equal([FinanceAndSales.WantedSkill], learner.SkillsLearned);
        Assert.Equal(("sales1", "Great questions"), (Assert.Single(learner.Thanks).From, learner.Thanks[0].Text));
        Assert.Equal("sales1", Assert.Single(learner.Sessions).With.Single());
        Assert.Empty(learner.SubmittedTraining);

        var teacher = await held.First.Teacher.GetJsonAsync<LearningRecordDto>("/api/me/learning-record");
        Assert.Equal((0, 2, 1.0), (teacher.SessionsLearned, teacher.SessionsTaught, teacher.HoursTaught));
        var validated = Assert.Single(teacher.ValidatedSkills);
        Assert.Equal(new[] { held.First.LearnerName, held.Second.LearnerName }.Order(), validated.ValidatedBy.Order());
        Assert.Contains(teacher.Thanks, t => t.Text == "Brilliant, thank you"); // a private thank-you is the teacher's to see
        Assert.Equal("Open low next budget round", Assert.Single((await held.Second.Learner.GetJsonAsync<LearningRecordDto>("/api/me/learning-record")).CommitmentsKept).Text);

        // A period: one that holds the sessions, one that does not, and ones that are not periods.
        var day = DateOnly.FromDateTime(Clock.GetUtcNow().AddDays(-2).UtcDateTime);
        Assert.Equal(1, (await held.First.Learner.GetJsonAsync<LearningRecordDto>($"/api/me/learning-record?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}")).SessionsLearned);
        var before = await held.First.Learner.GetJsonAsync<LearningRecordDto>($"/api/me/learning-record?to={day.AddDays(-1):yyyy-MM-dd}");
        Assert.True(before.IsEmpty);
        await held.First.Learner.GetAsync("/api/me/learning-record?from=yesterday").ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await held.First.Learner.GetAsync("/api/me/learning-record?from=2026-02-02&to=2026-02-01").ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await held.First.Learner.GetAsync("/api/me/learning-record?format=pdf").ExpectAsync(HttpStatusCode.UnprocessableEntity);
        // An API token acts for the organisation, not a person: it has no record.
        await org.Facilitator.GetAsync("/api/me/learning-record").ExpectAsync(HttpStatusCode.Forbidden);

        using var csv = await held.First.Learner.GetAsync("/api/me/learning-record?format=csv");
        await csv.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind,date,skill,role,hours,with,cycle,detail", lines[0]);
        Assert.StartsWith($"session,{day:yyyy-MM-dd},{FinanceAndSales.WantedSkill},learned,0.5,sales1,", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("thanks,", StringComparison.Ordinal) && l.EndsWith(",Great questions", StringComparison.Ordinal));

        // The xAPI export: the learner's statements (attended, feedback), as the store keeps them.
        var statements = JsonNode.Parse(await held.First.Learner.GetStringAsync("/api/me/learning-record/statements"))!.AsArray();
        Assert.Equal([EvidenceRecorder.Attended, EvidenceRecorder.GaveFeedback], statements.Select(s => s!["verb"]!["id"]!.GetValue<string>()).Order());
        Assert.All(statements, s => Assert.Equal("mailto:" + org.Email(held.First.LearnerName), s!["actor"]!["mbox"]!.GetValue<string>()));
        Assert.Empty(JsonNode.Parse(await held.First.Learner.GetStringAsync($"/api/me/learning-record/statements?to={day.AddDays(-1):yyyy-MM-dd}"))!.AsArray());

        // The page: the record, an empty state for someone with nothing yet, and a bad date said plainly.
        var (status, html) = await Pages.GetAsync(held.First.Learner, "/me/learning-record");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Sessions learned", html, StringComparison.Ordinal);
        Assert.Contains("Great questions", html, StringComparison.Ordinal);
        Assert.Contains("/api/me/learning-record?format=csv", html, StringComparison.Ordinal);
        var stranger = await org.SignInAsync("fiona");
        Assert.Contains("Nothing here yet", (await Pages.GetAsync(stranger, "/me/learning-record")).Html, StringComparison.Ordinal);
        Assert.True((await stranger.GetJsonAsync<LearningRecordDto>("/api/me/learning-record")).IsEmpty);
        var bad = await Pages.GetAsync(held.First.Learner, "/me/learning-record?from=31-12-2026");
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Contains("yyyy-MM-dd", bad.Html, StringComparison.Ordinal);

        // Recognition counts: only the person sees them by default; the teacher opens them to the organisation, narrows that
        // to their manager (sam), then keeps them to themselves again.
        var recognition = $"/api/people/{org["sales1"]}/recognition";
        var sam = await org.SignInAsync("sam");
        Assert.Equal((0, 0, 2), ((await stranger.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught,
            (await sam.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught, (await held.First.Teacher.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught));
        await held.First.Teacher.PutAsJsonAsync("/api/me/recognition-visibility", new { visibility = "organisation" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, (await stranger.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught);
        await held.First.Teacher.PutAsJsonAsync("/api/me/recognition-visibility", new { visibility = "manager" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("manager", (await held.First.Teacher.GetJsonAsync<JsonObject>("/api/me/recognition-visibility"))["visibility"]!.GetValue<string>());
        Assert.Equal((0, 2), ((await stranger.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught, (await sam.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught));
        await Pages.PostFormAsync(held.First.Teacher, "/me/learning-record", "recognition-visibility", new Dictionary<string, string> { ["Visibility"] = "Private" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((0, 2), ((await sam.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught, (await held.First.Teacher.GetJsonAsync<PersonRecognition>(recognition)).SessionsTaught));
        var profile = (await Pages.GetAsync(sam, $"/people/{org["sales1"]}")).Html;
        Assert.Contains("sales1 keeps their learning and teaching counts to themselves", profile, StringComparison.Ordinal);
        Assert.DoesNotContain("taught (", profile, StringComparison.Ordinal);
        await held.First.Teacher.PutAsJsonAsync("/api/me/recognition-visibility", new { visibility = "everyone" }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
    }

    private Task<T> InOrgAsync<T>(Guid organisationId, Func<TacitDbContext, Task<T>> query) =>
        app.InScopeAsync(organisationId, sp => query(sp.GetRequiredService<TacitDbContext>()));

    private async Task<HttpClient> LrsClientAsync(Guid organisationId)
    {
        var (credential, secret) = await app.InScopeAsync(organisationId, sp => sp.GetRequiredService<LrsCredentials>().CreateAsync(organisationId, "Evidence test"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Key}:{secret}")));
        client.DefaultRequestHeaders.Add("X-Experience-API-Version", "1.0.3");
        return client;
    }

    private static async Task<List<JsonObject>> StatementsAsync(HttpClient lrs, string query) =>
        [.. (await lrs.GetJsonAsync<JsonObject>($"/xapi/statements?{query}"))["statements"]!.AsArray().Select(s => s!.AsObject())];
}

public sealed class EvidenceSqliteTests(SqliteApp app) : EvidenceTests(app), IClassFixture<SqliteApp>;

public sealed class EvidencePostgresTests(PostgresApp app) : EvidenceTests(app), IClassFixture<PostgresApp>;

public sealed class StatementIdTests
{
    [Fact]
    public void Statement_ids_are_rfc_9562_version_5_uuids()
    {
        // RFC 9562's DNS namespace and the name "python.org", as Python's uuid.uuid5 gives it.
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), EvidenceRecorder.NameBased(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
        var organisation = Guid.NewGuid();
        Assert.Equal(EvidenceRecorder.StatementId(organisation, "session/1/attended/2"), EvidenceRecorder.StatementId(organisation, "session/1/attended/2"));
        Assert.NotEqual(EvidenceRecorder.StatementId(organisation, "session/1/attended/2"), EvidenceRecorder.StatementId(Guid.NewGuid(), "session/1/attended/2"));
    }
}
