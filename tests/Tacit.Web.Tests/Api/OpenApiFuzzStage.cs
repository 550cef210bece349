using System.Globalization;
using System.Text.Json.Nodes;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Skills;

namespace Tacit.Web.Tests.Api;

/// <summary>
/// What the fuzzer works on, so that its requests reach the rules and not only the 404s: one organisation where ada
/// shares Negotiation with bob and dee and learns Coaching and Mentoring from cy; a cycle in draft with a question, one
/// in its intake with a question (ada is asked to support it, as eve's manager), a mapped one with a pair rule, and a
/// published one where ada teaches bob or dee in a session to come, has an offer to the other still to make, has
/// learned Coaching in a session now over (with a commitment), and has Mentoring times offered to accept; a suggestion
/// and a pending import; and eve, the one the admin token may change and deactivate. The admin token acts for the
/// organisation, ada's cookie for her; the organisation's own admin (also a facilitator) signs in with <see cref="CycleScenario.Password"/>.
/// </summary>
public sealed record OpenApiFuzzStage(HttpClient Admin, HttpClient Member, FuzzValues Values, CreatedOrganisation Organisation, ScenarioPeople People)
{
    public static async Task<OpenApiFuzzStage> SetUpAsync(TacitApp app)
    {
        var created = await app.CreateOrganisationAsync("fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        var organisation = created.Organisation.Id;
        var admin = await app.ClientWithTokenAsync(organisation, Roles.Admin);
        var scenario = new CycleScenario(app.Services, organisation)
            .Person("ada", "Sales").Shares("ada", "Negotiation", sessions: 2).Wants("ada", "Coaching").Wants("ada", "Mentoring")
            .Person("bob", "Finance").Wants("bob", "Negotiation")
            .Person("dee", "Finance").Wants("dee", "Negotiation")
            .Person("cy", "Engineering").Shares("cy", "Coaching").Shares("cy", "Mentoring")
            .Person("eve", "People", manager: "ada");
        var people = await scenario.SeedAsync();
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        DateTimeOffset At(int days) => new(today.AddDays(days), new TimeOnly(10, 0), TimeSpan.Zero);

        var draft = await scenario.CycleAsync(CycleState.Draft, "Draft");
        var draftQuestion = await AddQuestionAsync(admin, draft);
        var intake = await scenario.CycleAsync(CycleState.Enrolment, "Intake");
        var intakeQuestion = await AddQuestionAsync(admin, intake);
        await admin.PostAsync($"/api/cycles/{intake}/open-intake", null).ExpectAsync(HttpStatusCode.OK);
        var mapped = await scenario.CycleAsync(CycleState.Mapped, "Mapped");
        var rule = await admin.PostAsJsonAsync($"/api/cycles/{mapped}/pair-rules",
            new { learnerEmail = people.Email("bob"), teacherEmail = people.Email("ada"), skill = "Negotiation", kind = "pin" }).ReadAsync<JsonObject>(HttpStatusCode.Created);
        var published = await scenario.PublishedCycleAsync();

        var ada = await SignInAsync(app, people, "ada");
        var cy = await SignInAsync(app, people, "cy");
        var offers = await ada.GetJsonAsync<List<OfferDto>>("/api/offers");
        var teaching = offers.Where(o => o.TeacherId == people["ada"]).ToList();
        var learning = offers.Where(o => o.LearnerIds.Contains(people["ada"])).ToList();
        if (teaching.Count < 2 || learning.Count < 2) throw new InvalidOperationException($"The match gave ada {teaching.Count} offers to teach and {learning.Count} to learn, not two of each.");

        // ada teaches bob or dee at a time to come; the other offer waits for her times.
        var taught = await new OfferInPlay(ada, teaching[0], await SignInAsync(app, people, people.NameOf(teaching[0].LearnerIds[0])), "").BookAsync(At(5), At(6));
        // ada learned Coaching in a session now over, and has a commitment from it.
        var learned = await new OfferInPlay(cy, learning[0], ada, "ada").BookAsync(At(4));
        await app.InScopeAsync(organisation, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == learned.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, now.AddDays(-1))));
        var commitment = await ada.PostAsJsonAsync($"/api/sessions/{learned.Id}/commitments", new { text = "Coach one colleague", dueOn = today.AddDays(7) })
            .ReadAsync<CommitmentDto>(HttpStatusCode.Created);
        // cy offers ada Mentoring times she may accept.
        await cy.PostAsJsonAsync($"/api/offers/{learning[1].Id}/offer", new { times = new[] { At(8), At(9) } }).ExpectAsync(HttpStatusCode.OK);

        var suggestion = await ada.PostAsJsonAsync("/api/skills/suggestions", new { name = "Fuzzing" }).ReadAsync<JsonObject>(HttpStatusCode.Created);
        var import = await app.InScopeAsync(organisation, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var pending = new PendingImport { OrganisationId = organisation, FileName = "people.csv", Content = "name,email\nX,x@fuzz.example\n", UploadedBy = created.Admin.Id };
            db.PendingImports.Add(pending);
            await db.SaveChangesAsync();
            return pending.Id;
        });
        var skills = await admin.GetJsonAsync<Tacit.Web.Api.Page<SkillSummary>>("/api/skills?pageSize=200");
        Guid Skill(string name) => skills.Items.Single(s => s.Name == name).Id;
        var shares = await admin.GetJsonAsync<Tacit.Web.Api.Page<ShareDto>>("/api/shares?pageSize=200");
        var wants = await admin.GetJsonAsync<Tacit.Web.Api.Page<WantDto>>("/api/wants?pageSize=200");

        var ids = new Dictionary<string, IReadOnlyList<Guid>>
        {
            ["people"] = [people["eve"]],
            ["skills"] = [Skill("Storytelling"), Skill("Negotiation")],
            ["merge-into"] = [Skill("Negotiation")],
            ["suggestions"] = [(Guid)suggestion["id"]!],
            ["shares"] = [.. shares.Items.Select(s => s.Id)],
            ["wants"] = [.. wants.Items.Select(w => w.Id)],
            ["cycles"] = [draft, intake, mapped, published.Id],
            ["questions"] = [draftQuestion, intakeQuestion],
            ["runs"] = [published.RunId],
            ["pair-rules"] = [(Guid)rule["id"]!],
            ["offers"] = [.. offers.Select(o => o.Id)],
            ["sessions"] = [taught.Id, learned.Id],
            ["commitments"] = [commitment.Id],
            ["imports"] = [import],
        };
        string Day(int days) => today.AddDays(days).ToString("O", CultureInfo.InvariantCulture);
        var good = new Dictionary<string, JsonNode?>
        {
            ["personId"] = people["ada"].ToString(),
            ["skillId"] = Skill("Storytelling").ToString(),
            ["preferredTeacherId"] = people["cy"].ToString(),
            ["managerId"] = people["ada"].ToString(),
            ["runId"] = published.RunId.ToString(),
            ["email"] = "new.person@fuzz.example",
            ["updatePerson.email"] = people.Email("eve"),
            ["learnerEmail"] = people.Email("bob"),
            ["teacherEmail"] = people.Email("ada"),
            ["partnerEmail"] = people.Email("cy"),
            ["displayName"] = "Eve Example",
            ["roles"] = new JsonArray("Member"),
            ["authorityLevel"] = 5,
            ["timeZone"] = "Europe/London",
            ["name"] = "Fuzz testing",
            ["category"] = "Engineering",
            ["skill"] = "Negotiation",
            ["createCycleQuestion.kind"] = "singleChoice",
            ["createCyclePairRule.kind"] = "exclude",
            ["options"] = new JsonArray("Yes", "No"),
            ["priority"] = "high",
            ["status"] = "done",
            ["level"] = 3,
            ["sessionsPerCycle"] = 1,
            ["maxGroupSize"] = 1,
            ["usefulness"] = 4,
            ["maxLearnerSessions"] = 2,
            ["availability"] = new JsonArray("mon-09", "wed-14"),
            ["barriers"] = new JsonArray(),
            ["answers"] = new JsonObject { [intakeQuestion.ToString()] = new JsonArray("Yes") },
            // The intake stays open when a plausible request reschedules its cycle.
            ["intakeOpens"] = Day(-1),
            ["intakeCloses"] = Day(10),
            ["matchingDate"] = Day(11),
            ["reviewDate"] = null,
            ["departments"] = null,
            ["times"] = new JsonArray(At(12).ToString("O", CultureInfo.InvariantCulture), At(13).ToString("O", CultureInfo.InvariantCulture)),
            ["time"] = At(8).ToString("O", CultureInfo.InvariantCulture),
            ["startsAt"] = At(7).ToString("O", CultureInfo.InvariantCulture),
            ["heldOn"] = Day(0),
            ["dueOn"] = Day(7),
            // A step that is out of order for every cycle of the stage: a plausible request leaves them as they are.
            ["step"] = "start-review",
        };
        return new OpenApiFuzzStage(admin, ada, new FuzzValues(ids, good, now), created, people);
    }

    private static Task<HttpClient> SignInAsync(TacitApp app, ScenarioPeople people, string name) =>
        Pages.SignedInClientAsync(app, people.Email(name), CycleScenario.Password);

    private static async Task<Guid> AddQuestionAsync(HttpClient admin, Guid cycle) =>
        (await admin.PostAsJsonAsync($"/api/cycles/{cycle}/questions", new { text = "Is this useful?", kind = "singleChoice", options = new[] { "Yes", "No" } })
            .ReadAsync<QuestionDto>(HttpStatusCode.Created)).Id;
}
