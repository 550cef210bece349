using System.Collections;
using System.Text.Json;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.People;

/// <summary>
/// docs/security.md, "Erasing a person": after an admin erases someone, no row of the organisation's database names them
/// or holds their words, the figures the organisation counts are the same, and the erasure itself is on record.
/// </summary>
public abstract class PersonErasureTests(TacitApp app)
{
    [Fact]
    public async Task An_erased_teacher_and_learner_are_nowhere_in_the_database_and_the_cycle_figures_stay_the_same()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycle = await org.Cycles.PublishedCycleAsync();
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        var first = await org.OfferOfAsync("sales1");
        var (teacher, held, learner, learnerName) = first;
        // Whole minutes, as a person picks them (PostgreSQL keeps microseconds, not ticks).
        DateTimeOffset InDays(int days) => new(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(days).AddHours(10), TimeSpan.Zero);
        var heldSession = await first.BookAsync(InDays(2));
        var upcomingOffer = (await teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).First(o => o.TeacherId == org["sales1"] && o.Id != held.Id);
        var upcomingLearner = await org.SignInAsync(org.NameOf(upcomingOffer.LearnerIds[0]));
        var upcoming = await new OfferInPlay(teacher, upcomingOffer, upcomingLearner, "").BookAsync(InDays(3));
        await learner.PutAsJsonAsync($"/api/sessions/{heldSession.Id}/questions/me", new { reason = "How do I open with sales1?" }).ExpectAsync(HttpStatusCode.OK);

        // The first session is held: both sides give feedback and thank each other; the learner commits and follows up.
        await InDatabase(org.Id, db => db.Sessions.Where(s => s.Id == heldSession.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, TimeProvider.System.GetUtcNow().AddDays(-2))));
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        await learner.PutAsJsonAsync($"/api/sessions/{heldSession.Id}/feedback/me",
            new FeedbackInput(true, 4, "Anchoring, from sales1", null, "Thank you sales1!", true)).ExpectAsync(HttpStatusCode.OK);
        await teacher.PutAsJsonAsync($"/api/sessions/{heldSession.Id}/feedback/me",
            new FeedbackInput(true, null, null, $"{learnerName} asked sharp questions", $"Thanks {learnerName}", false)).ExpectAsync(HttpStatusCode.OK);
        await learner.PostAsJsonAsync($"/api/sessions/{heldSession.Id}/commitments", new CommitmentWrite($"Call {learnerName}'s biggest client", today.AddDays(7), null))
            .ExpectAsync(HttpStatusCode.Created);
        await learner.PostAsJsonAsync($"/api/sessions/{heldSession.Id}/follow-ups", new FollowUpWrite(today, "Lunch with sales1")).ExpectAsync(HttpStatusCode.Created);

        // The learning record store holds a statement by the teacher, one naming them as instructor, and one without them.
        var (credential, secret) = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<Tacit.Web.Features.Xapi.LrsCredentials>().CreateAsync(org.Id, "HR system"));
        var lrs = app.CreateClient();
        lrs.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credential.Key}:{secret}")));
        lrs.DefaultRequestHeaders.Add("X-Experience-API-Version", "1.0.3");
        object Statement(string actor, string? instructor = null) => new
        {
            actor = new { mbox = $"mailto:{actor}", name = actor },
            verb = new { id = "http://adlnet.gov/expapi/verbs/attended" },
            @object = new { id = "https://tacit.example/skills/negotiation" },
            context = instructor is null ? null : new { instructor = new { mbox = $"mailto:{instructor}" } },
        };
        await lrs.PostAsJsonAsync("/xapi/statements", new[] { Statement(org.Email("sales1")), Statement(org.Email("finance5"), org.Email("sales1")), Statement(org.Email("finance5")) },
            new System.Text.Json.JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }).ExpectAsync(HttpStatusCode.OK);

        // A course keeps the teacher's place in a state document (found by activity, agent and id, not by the agent alone).
        var teacherAgent = Uri.EscapeDataString($$"""{"mbox":"mailto:{{org.Email("sales1")}}"}""");
        var state = $"/xapi/activities/state?activityId={Uri.EscapeDataString("https://tacit.example/courses/negotiation")}&agent={teacherAgent}&stateId=bookmark";
        await lrs.PutAsync(state, new StringContent("""{"page": 7, "note": "sales1 stopped here"}""", System.Text.Encoding.UTF8, "application/json")).ExpectAsync(HttpStatusCode.NoContent);

        // Training the teacher submitted elsewhere (with a file, the learner asked to confirm it), and a pack shared with their manager.
        await teacher.PostAsJsonAsync("/api/me/training", new { what = "Coaching course taken by sales1", on = today.AddDays(-1), hours = 2, confirmerEmail = org.Email(learnerName),
            fileName = "sales1.pdf", fileBase64 = Convert.ToBase64String("%PDF-1.4 certificate of sales1"u8.ToArray()) }).ExpectAsync(HttpStatusCode.Created);
        await teacher.PostAsJsonAsync("/api/me/packs", new { title = "sales1 appraisal", contents = new[] { "submittedTraining" }, sharedWithId = org["sam"] })
            .ExpectAsync(HttpStatusCode.Created);

        // The teacher is erased: the upcoming session is cancelled for its learner, and the teacher's account is gone.
        var receipt = await admin.PostAsync($"/api/people/{org["sales1"]}/erasure", null).ReadAsync<ErasureReceipt>(HttpStatusCode.OK);
        Assert.Equal(1, receipt.Counts["upcomingSessionsChanged"]);
        Assert.Equal(1, receipt.Counts["shares"]);
        Assert.Equal(1, receipt.Counts["thanksReceived"]);
        // The two sent naming the teacher, and Tacit's own evidence of them: the session taught, their feedback, their training.
        Assert.Equal(5 + 1, receipt.Counts["learningRecords"]); // and the state document
        await lrs.GetAsync(state).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal((1, 1, 1), (receipt.Counts["trainingSubmitted"], receipt.Counts["trainingFiles"], receipt.Counts["evidencePacks"]));
        var left = await lrs.GetJsonAsync<System.Text.Json.Nodes.JsonObject>($"/xapi/statements?activity={Uri.EscapeDataString("https://tacit.example/skills/negotiation")}");
        Assert.Equal($"mailto:{org.Email("finance5")}", Assert.Single(left["statements"]!.AsArray())!["actor"]!["mbox"]!.GetValue<string>());
        // The learner's evidence of the same session stays theirs.
        var learnerAgent = Uri.EscapeDataString($$"""{"mbox":"mailto:{{org.Email(learnerName)}}"}""");
        // (Tacit's own two: the session attended and the feedback given; the learner may also be finance5 of the posted ones.)
        var learnerStatements = (await lrs.GetJsonAsync<System.Text.Json.Nodes.JsonObject>($"/xapi/statements?agent={learnerAgent}"))["statements"]!.AsArray()
            .Where(s => s!["object"]!["id"]!.GetValue<string>() != "https://tacit.example/skills/negotiation").ToList();
        Assert.True(learnerStatements.Count == 2, string.Join("\n", learnerStatements.Select(s => s!.ToJsonString())));
        var cancelled = (await upcomingLearner.GetJsonAsync<List<SessionDto>>("/api/sessions")).Single(s => s.Id == upcoming.Id);
        Assert.Equal(SessionStatus.Cancelled, cancelled.Status);
        Assert.False(await InDatabase(org.Id, db => db.Users.AnyAsync(u => u.PersonId == org["sales1"])));
        await AssertNowhereAsync(org.Id, "sales1", org.Email("sales1"));
        var review = await admin.GetStringAsync($"/api/cycles/{cycle.Id}/review");

        // Then the learner: what they wrote goes, what the cycle counts stays.
        await admin.PostAsync($"/api/people/{org[learnerName]}/erasure", null).ExpectAsync(HttpStatusCode.OK);
        await AssertNowhereAsync(org.Id, learnerName, org.Email(learnerName));
        var erased = await admin.GetJsonAsync<PersonDto>($"/api/people/{org[learnerName]}");
        Assert.Equal((Erasure.ErasedName, Erasure.ErasedEmail(org[learnerName]), false, "", ""), (erased.DisplayName, erased.Email, erased.IsActive, erased.Department, erased.JobTitle));
        Assert.Equal(["Member"], erased.Roles);
        var feedback = await InDatabase(org.Id, db => db.SessionFeedback.AsNoTracking().Where(f => f.SessionId == heldSession.Id).ToListAsync());
        Assert.Equal([(true, (int?)4), (true, null)], feedback.OrderBy(f => f.AsTeacher).Select(f => (f.Happened, f.Usefulness)));
        var commitment = await InDatabase(org.Id, db => db.Commitments.AsNoTracking().SingleAsync(c => c.SessionId == heldSession.Id));
        Assert.Equal(Erasure.RemovedText, commitment.Text);
        Assert.Equal(Figures(review), Figures(await admin.GetStringAsync($"/api/cycles/{cycle.Id}/review")));

        // Once is enough, and the record says it happened without saying who it was.
        await admin.PostAsync($"/api/people/{org[learnerName]}/erasure", null).ExpectAsync(HttpStatusCode.Conflict);
        var audit = await InDatabase(org.Id, db => db.AuditEntries.AsNoTracking().Where(e => e.Action == "person.erased").ToListAsync());
        Assert.Equal([$"person {org["sales1"]}", $"person {org[learnerName]}"], audit.OrderBy(e => e.At).Select(e => e.Subject));
        Assert.All(audit, e => Assert.DoesNotContain(learnerName, e.Details, StringComparison.Ordinal));
        // Nothing the erasure wrote to the log names them, not even as a deactivation on the way.
        Assert.False(await InDatabase(org.Id, db => db.AuditEntries.AnyAsync(e => e.Action == "person.deactivated")));
        using var signIn = await Pages.PostFormAsync(app.CreateClient(new() { AllowAutoRedirect = false }), "/signin", "signin",
            new Dictionary<string, string> { ["Input.Email"] = org.Email(learnerName), ["Input.Password"] = CycleScenario.Password });
        Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Only_another_admin_of_the_same_organisation_erases_and_the_page_asks_for_the_name()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var other = await FinanceAndSales.SeedAsync(app);
        await InDatabase(org.Id, async db =>
        {
            (await db.People.SingleAsync(p => p.Id == org["fiona"])).SetRoles(Roles.Admin | Roles.Facilitator);
            return await db.SaveChangesAsync();
        });
        var fiona = await org.SignInAsync("fiona");

        await org.Facilitator.PostAsync($"/api/people/{org["finance1"]}/erasure", null).ExpectAsync(HttpStatusCode.Forbidden);
        var otherAdmin = await app.ClientWithTokenAsync(other.Id, Roles.Admin);
        await otherAdmin.PostAsync($"/api/people/{org["finance1"]}/erasure", null).ExpectAsync(HttpStatusCode.NotFound);
        await fiona.PostAsync($"/api/people/{org["fiona"]}/erasure", null).ExpectAsync(HttpStatusCode.Conflict);

        var (status, page) = await Pages.GetAsync(fiona, $"/people/{org["finance1"]}/erase");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("To confirm, type their name: finance1", page, StringComparison.Ordinal);
        using var wrongName = await Pages.PostFormAsync(fiona, $"/people/{org["finance1"]}/erase", "erase", new Dictionary<string, string> { ["ConfirmName"] = "finance2" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongName.StatusCode);
        Assert.Contains("Type the name exactly as shown", await wrongName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("finance1", (await otherAdmin.GetJsonAsync<PersonDto>($"/api/people/{other["finance1"]}")).DisplayName);
        Assert.Equal("finance1", (await fiona.GetJsonAsync<PersonDto>($"/api/people/{org["finance1"]}")).DisplayName);

        using var erased = await Pages.PostFormAsync(fiona, $"/people/{org["finance1"]}/erase", "erase", new Dictionary<string, string> { ["ConfirmName"] = "finance1" });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("The person was erased on", await erased.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Erasure.ErasedName, (await fiona.GetJsonAsync<PersonDto>($"/api/people/{org["finance1"]}")).DisplayName);
        Assert.Equal("finance1", (await otherAdmin.GetJsonAsync<PersonDto>($"/api/people/{other["finance1"]}")).DisplayName);
        var (_, self) = await Pages.GetAsync(fiona, $"/people/{org["fiona"]}/erase");
        Assert.Contains("You cannot erase yourself", self, StringComparison.Ordinal);
    }

    /// <summary>Every row of every table the organisation can read, as JSON: none may hold the name or the address (the audit log aside, which names nobody erased).</summary>
    private async Task AssertNowhereAsync(Guid organisationId, string name, string email)
    {
        var everything = await InDatabase(organisationId, db =>
        {
            var tables = db.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.ClrType != typeof(Domain.Organisations.AuditEntry) && !t.HasSharedClrType);
            var rows = tables.SelectMany(t => ((IEnumerable)db.GetType().GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(t.ClrType).Invoke(db, null)!)
                .Cast<object>().Where(row => OfOrganisation(row, organisationId)).Select(row => $"{t.ClrType.Name}: {JsonSerializer.Serialize(row, row.GetType())}"));
            return Task.FromResult(rows.ToList());
        });
        Assert.True(everything.Count > 50, "The scan read too little to mean anything.");
        var found = everything.Where(row => row.Contains(email, StringComparison.OrdinalIgnoreCase)
            || System.Text.RegularExpressions.Regex.IsMatch(row, $@"(?<![\w@.-]){name}(?![\w])")).ToList();
        Assert.True(found.Count == 0, $"Still named after the erasure:\n{string.Join("\n", found)}");
    }

    /// <summary>Accounts are not filtered by organisation as the rest is; the scan keeps to this organisation's rows.</summary>
    private static bool OfOrganisation(object row, Guid organisationId) =>
        row.GetType().GetProperty("OrganisationId")?.GetValue(row) is not Guid owner || owner == organisationId;

    /// <summary>A review's figures, without the parts that are about who is still to act.</summary>
    private static string Figures(string review) => JsonDocument.Parse(review).RootElement.GetProperty("sessions").GetRawText();

    private Task<T> InDatabase<T>(Guid organisationId, Func<TacitDbContext, Task<T>> action) =>
        app.InScopeAsync(organisationId, sp => action(sp.GetRequiredService<TacitDbContext>()));
}

public sealed class PersonErasureSqliteTests(SqliteApp app) : PersonErasureTests(app), IClassFixture<SqliteApp>;

public sealed class PersonErasurePostgresTests(PostgresApp app) : PersonErasureTests(app), IClassFixture<PostgresApp>;
