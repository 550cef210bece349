using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Tests.Infrastructure;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// A learning cycle from creation to published offers through the API, on a small organisation: Finance (a manager
/// and six people who want Negotiation) and Sales (a manager and three people who share it); one person also wants a
/// skill nobody shares. The match runs in the app's real background worker.
/// </summary>
public abstract class LearningCycleTests(TacitApp app)
{
    private const string Password = "correct-horse-battery";
    private static readonly TimeProvider Clock = TimeProvider.System;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private sealed record Org(Guid Id, HttpClient Facilitator, Dictionary<string, Guid> People, Guid Wanted, Guid Unshared, string Slug)
    {
        public string Email(string name) => $"{name}@{Slug}.example";
    }

    private async Task<Org> SeedAsync()
    {
        var slug = "cycle-" + Guid.NewGuid().ToString("N")[..8];
        var created = await app.CreateOrganisationAsync(slug);
        var orgId = created.Organisation.Id;
        var people = await app.InScopeAsync(orgId, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var users = sp.GetRequiredService<UserManager<TacitUser>>();
            var now = Clock.GetUtcNow();
            var skills = await db.Skills.OrderBy(s => s.Name).Take(2).ToListAsync();
            var byName = new Dictionary<string, Guid>();
            async Task<Person> AddAsync(string name, string department, Person? manager, int level)
            {
                var person = new Person(orgId, $"{name}@{slug}.example", name, now);
                person.UpdateProfile(name, "Analyst", department, level, null, "Europe/London", null);
                person.AssignManager(manager?.Id);
                db.People.Add(person);
                await db.SaveChangesAsync();
                var user = new TacitUser { UserName = person.Email, Email = person.Email, OrganisationId = orgId, PersonId = person.Id, EmailConfirmed = true };
                var result = await users.CreateAsync(user, Password);
                if (!result.Succeeded) throw new InvalidOperationException(string.Join(", ", result.Errors.Select(e => e.Description)));
                byName[name] = person.Id;
                return person;
            }
            var financeHead = await AddAsync("fiona", "Finance", null, 7);
            var salesHead = await AddAsync("sam", "Sales", null, 7);
            for (int i = 1; i <= 6; i++)
            {
                var learner = await AddAsync($"finance{i}", "Finance", financeHead, 3);
                db.Wants.Add(new Want(orgId, learner.Id, skills[0].Id, i % 2 == 0 ? Priority.High : Priority.Medium, "For the budget round", null, now));
            }
            db.Wants.Add(new Want(orgId, byName["finance1"], skills[1].Id, Priority.Low, null, null, now));
            for (int i = 1; i <= 3; i++)
            {
                var teacher = await AddAsync($"sales{i}", "Sales", salesHead, 4);
                db.Shares.Add(new Share(orgId, teacher.Id, skills[0].Id, 4, 2, false, 1, now));
            }
            await db.SaveChangesAsync();
            return (byName, skills[0].Id, skills[1].Id);
        });
        var facilitator = await app.ClientWithTokenAsync(orgId, Roles.Facilitator);
        return new Org(orgId, facilitator, people.byName, people.Item2, people.Item3, slug);
    }

    private static object NewCycle() => new
    {
        name = "Spring", intakeOpens = Today.AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), intakeCloses = Today.AddDays(10).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        matchingDate = Today.AddDays(11).ToString("O", System.Globalization.CultureInfo.InvariantCulture), reviewDate = (string?)null, departments = (string[]?)null,
    };

    private async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}\n{app.ServerErrors.All.LastOrDefault()}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static object Intake(string[] barriers, string[] slots, Dictionary<Guid, string[]>? answers = null) => new
    {
        maxLearnerSessions = 2, barriers, barrierNote = "Month end", availability = slots, timeZone = "Europe/London", answers,
    };

    [Fact]
    public async Task A_cycle_goes_from_creation_to_published_offers_with_managers_intake_map_and_a_background_match()
    {
        var org = await SeedAsync();
        var f = org.Facilitator;
        var cycle = await JsonAsync(await f.PostAsJsonAsync("/api/cycles", NewCycle()), HttpStatusCode.Created);
        var id = cycle.GetProperty("id").GetGuid();

        // Enrolment: both managers are invited and answer for themselves; the facilitator sees it attributed.
        await JsonAsync(await f.PostAsync($"/api/cycles/{id}/start-enrolment", null), HttpStatusCode.OK);
        var managers = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/enrolments"), HttpStatusCode.OK);
        Assert.Equal(["fiona", "sam"], managers.EnumerateArray().Select(m => m.GetProperty("name").GetString()).Order());
        var fiona = await Pages.SignedInClientAsync(app, org.Email("fiona"), Password);
        await JsonAsync(await fiona.PutAsJsonAsync($"/api/cycles/{id}/enrolments/me", new { supports = true, expectedBarriers = "Quarter end is busy" }), HttpStatusCode.NoContent);
        var finance1 = await Pages.SignedInClientAsync(app, org.Email("finance1"), Password);
        await JsonAsync(await finance1.PutAsJsonAsync($"/api/cycles/{id}/enrolments/me", new { supports = true }), HttpStatusCode.Forbidden);
        managers = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/enrolments"), HttpStatusCode.OK);
        var fionaRow = managers.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "fiona");
        Assert.Equal("Quarter end is busy", fionaRow.GetProperty("expectedBarriers").GetString());
        Assert.True(fionaRow.GetProperty("supports").GetBoolean());

        // The facilitator's own question, fixed once the intake opens.
        var question = await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/questions", new { text = "Have you taught before?", kind = "singleChoice", options = new[] { "Yes", "No" } }), HttpStatusCode.Created);
        var questionId = question.GetProperty("id").GetGuid();
        await JsonAsync(await f.PostAsync($"/api/cycles/{id}/open-intake", null), HttpStatusCode.OK);
        await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/questions", new { text = "Late?", kind = "freeText" }), HttpStatusCode.Conflict);

        // Intake: a person's answers are theirs alone; bad answers are refused whole.
        await JsonAsync(await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09"], new() { [questionId] = ["Maybe"] })), HttpStatusCode.UnprocessableEntity);
        await JsonAsync(await finance1.GetAsync($"/api/cycles/{id}/intake/me"), HttpStatusCode.NotFound);
        var mine = await JsonAsync(await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09", "tue-14"], new() { [questionId] = ["Yes"] })), HttpStatusCode.OK);
        Assert.Equal(["noTime"], mine.GetProperty("barriers").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(["mon-09", "tue-14"], (await JsonAsync(await finance1.GetAsync($"/api/cycles/{id}/intake/me"), HttpStatusCode.OK)).GetProperty("availability").EnumerateArray().Select(s => s.GetString()));
        await JsonAsync(await fiona.GetAsync($"/api/cycles/{id}/intake/me"), HttpStatusCode.NotFound);
        await JsonAsync(await f.GetAsync($"/api/cycles/{id}/intake/me"), HttpStatusCode.Forbidden);
        await JsonAsync(await fiona.GetAsync($"/api/cycles/{id}/intake/aggregate"), HttpStatusCode.Forbidden);

        // One answer is no group: nothing of it shows. Five Finance answers make a group; Sales's one stays hidden.
        var aggregate = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/intake/aggregate"), HttpStatusCode.OK);
        Assert.Empty(aggregate.GetProperty("groups").EnumerateArray());
        Assert.Equal(1, aggregate.GetProperty("hiddenRespondents").GetInt32());
        Assert.False(aggregate.GetProperty("questions")[0].GetProperty("shown").GetBoolean());
        foreach (var name in new[] { "finance2", "finance3", "finance4", "finance5", "sales1" })
        {
            var client = await Pages.SignedInClientAsync(app, org.Email(name), Password);
            await JsonAsync(await client.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(name == "finance2" ? ["noTime", "dontKnowWhoCouldTeach"] : ["noTime"], ["wed-10"], new() { [questionId] = ["No"] })), HttpStatusCode.OK);
        }
        aggregate = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/intake/aggregate"), HttpStatusCode.OK);
        var groups = aggregate.GetProperty("groups").EnumerateArray().ToList();
        var finance = Assert.Single(groups);
        Assert.Equal(("Finance", 5, 5, 1), (finance.GetProperty("name").GetString(), finance.GetProperty("respondents").GetInt32(),
            finance.GetProperty("counts").GetProperty("noTime").GetInt32(), finance.GetProperty("counts").GetProperty("dontKnowWhoCouldTeach").GetInt32()));
        Assert.Equal(1, aggregate.GetProperty("hiddenRespondents").GetInt32());
        Assert.Equal((5, 1), (aggregate.GetProperty("questions")[0].GetProperty("counts").GetProperty("No").GetInt32(), aggregate.GetProperty("questions")[0].GetProperty("counts").GetProperty("Yes").GetInt32()));
        var progress = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/intake/progress"), HttpStatusCode.OK);
        Assert.Equal((6, 12), (progress.GetProperty("answered").GetInt32(), progress.GetProperty("participants").GetInt32()));
        Assert.Equal(6, (await JsonAsync(await f.PostAsync($"/api/cycles/{id}/intake/reminders", null), HttpStatusCode.OK)).GetProperty("reminded").GetInt32());

        // The map, and its CSV.
        var map = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/map"), HttpStatusCode.OK);
        var top = map.GetProperty("skills")[0];
        Assert.Equal((6, 3, 6), (top.GetProperty("wanted").GetInt32(), top.GetProperty("sharers").GetInt32(), top.GetProperty("sessionsOffered").GetInt32()));
        Assert.Equal(org.Unshared, map.GetProperty("outsideLearning")[0].GetProperty("skillId").GetGuid());
        Assert.Equal(6, map.GetProperty("coverage").GetProperty("withWant").GetInt32());
        var csv = await f.GetAsync($"/api/cycles/{id}/map?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("section,skill,category", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Closing the intake freezes the answers.
        await JsonAsync(await f.PostAsync($"/api/cycles/{id}/publish-map", null), HttpStatusCode.OK);
        await JsonAsync(await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], [])), HttpStatusCode.Conflict);
        Assert.Equal(["noTime"], (await JsonAsync(await finance1.GetAsync($"/api/cycles/{id}/intake/me"), HttpStatusCode.OK)).GetProperty("barriers").EnumerateArray().Select(b => b.GetString()));

        // Weights out of range are refused before any job exists.
        await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { highPriority = 0 }), HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await JsonAsync(await f.GetAsync($"/api/cycles/{id}/runs"), HttpStatusCode.OK)).EnumerateArray());

        // A pin is honoured by the next run.
        await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", new { learnerEmail = org.Email("finance6"), teacherEmail = org.Email("sales3"), skill = SkillName(map, org.Wanted), kind = "pin" }), HttpStatusCode.Created);
        await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/pair-rules", new { learnerEmail = org.Email("finance1"), teacherEmail = org.Email("fiona"), skill = SkillName(map, org.Wanted), kind = "pin" }), HttpStatusCode.UnprocessableEntity);

        var run = await RunToTheEndAsync(f, id);
        var figures = run.GetProperty("figures");
        Assert.Equal((6, 6), (figures.GetProperty("learnersServed").GetInt32(), figures.GetProperty("learners").GetInt32()));
        Assert.Equal(7, figures.GetProperty("wantsTotal").GetInt32());
        var runId = run.GetProperty("id").GetGuid();
        var proposals = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/runs/{runId}/proposals?pageSize=100"), HttpStatusCode.OK);
        var items = proposals.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, p => p.GetProperty("pinned").GetBoolean() && p.GetProperty("teacherId").GetGuid() == org.People["sales3"]
            && p.GetProperty("learnerIds")[0].GetGuid() == org.People["finance6"]);
        var reasons = items.Where(p => !p.GetProperty("pinned").GetBoolean()).SelectMany(p => p.GetProperty("reasons").EnumerateArray()).Select(r => r.GetString()).ToList();
        Assert.All(reasons, r => Assert.Contains("crosses departments: Finance → Sales", r, StringComparison.Ordinal));
        var unmet = await JsonAsync(await f.GetAsync($"/api/cycles/{id}/runs/{runId}/unmet"), HttpStatusCode.OK);
        var unmetWant = Assert.Single(unmet.GetProperty("items").EnumerateArray());
        Assert.Equal(("noSharers", org.People["finance1"]), (unmetWant.GetProperty("reasonCode").GetString(), unmetWant.GetProperty("learnerId").GetGuid()));

        // Publishing makes offers and tells everyone; publishing twice is refused and changes nothing.
        var published = await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId }), HttpStatusCode.OK);
        Assert.Equal("published", published.GetProperty("state").GetString());
        await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId }), HttpStatusCode.Conflict);
        await JsonAsync(await f.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }), HttpStatusCode.Conflict);
        var (offers, teacherNews, learnerNews) = await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            return (await db.Offers.CountAsync(), await db.Notifications.Where(n => n.PersonId == org.People["sales3"]).Select(n => n.Text).ToListAsync(),
                await db.Notifications.Where(n => n.PersonId == org.People["finance1"]).Select(n => n.Text).ToListAsync());
        });
        Assert.Equal(items.Count, offers);
        Assert.Contains(teacherNews, t => t.StartsWith("You have been asked to share", StringComparison.Ordinal));
        Assert.Contains(learnerNews, t => t.Contains("nobody taking part shares this skill", StringComparison.Ordinal));
        var news = await JsonAsync(await finance1.GetAsync("/api/notifications"), HttpStatusCode.OK);
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains("matched to learn", StringComparison.Ordinal));
        var (_, page) = await Pages.GetAsync(finance1, $"/cycles/{id}/me");
        Assert.Contains("We could not match you", page, StringComparison.Ordinal);

        // Notifications are also emailed, by the background sender, to the pickup folder in tests.
        await WaitForAsync(() => Directory.Exists(app.MailFolder) && Directory.EnumerateFiles(app.MailFolder, "*.eml")
            .Any(file => File.ReadAllText(file).Contains("Quarter end", StringComparison.Ordinal) || File.ReadAllText(file).Contains($"fiona@{org.Slug}.example", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_second_run_while_one_is_running_is_refused_even_when_two_arrive_at_once()
    {
        var org = await SeedAsync();
        var id = (await JsonAsync(await org.Facilitator.PostAsJsonAsync("/api/cycles", NewCycle()), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var step in new[] { "start-enrolment", "open-intake", "publish-map" })
            await JsonAsync(await org.Facilitator.PostAsync($"/api/cycles/{id}/{step}", null), HttpStatusCode.OK);
        // A run stuck as running, as if another instance were doing it.
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var cycle = await db.Cycles.SingleAsync(c => c.Id == id);
            db.MatchRuns.Add(new MatchRun(cycle, 1, new MatchWeights(), org.People["fiona"], Clock.GetUtcNow()));
            await db.SaveChangesAsync();
            await db.MatchRuns.Where(r => r.CycleId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MatchRunStatus.Running));
            // The database refuses a second active run too, not only the use case.
            db.MatchRuns.Add(new MatchRun(cycle, 2, new MatchWeights(), org.People["fiona"], Clock.GetUtcNow()));
            await Assert.ThrowsAsync<ConflictException>(() => db.SaveChangesAsync());
            return 0;
        });
        var refused = await JsonAsync(await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { }), HttpStatusCode.Conflict);
        Assert.Contains("still running", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var runs = await JsonAsync(await org.Facilitator.GetAsync($"/api/cycles/{id}/runs"), HttpStatusCode.OK);
        Assert.Single(runs.EnumerateArray());
    }

    [Fact]
    public async Task Nothing_of_a_cycle_crosses_organisations()
    {
        var org = await SeedAsync();
        var f = org.Facilitator;
        var id = (await JsonAsync(await f.PostAsJsonAsync("/api/cycles", NewCycle()), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var step in new[] { "start-enrolment", "open-intake" })
            await JsonAsync(await f.PostAsync($"/api/cycles/{id}/{step}", null), HttpStatusCode.OK);
        var finance1 = await Pages.SignedInClientAsync(app, org.Email("finance1"), Password);
        await JsonAsync(await finance1.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake(["noTime"], ["mon-09"])), HttpStatusCode.OK);

        var other = await SeedAsync();
        var stranger = await Pages.SignedInClientAsync(app, other.Email("finance1"), Password);
        foreach (var path in new[] { "enrolments", "questions", "intake/progress", "intake/aggregate", "map", "runs", "pair-rules" })
            Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.GetAsync($"/api/cycles/{id}/{path}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/cycles/{id}/intake/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync($"/api/cycles/{id}/intake/me", Intake([], []))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.PostAsync($"/api/cycles/{id}/intake/reminders", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/runs", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = Guid.NewGuid() })).StatusCode);
        foreach (var page in new[] { "", "/managers", "/questions", "/responses", "/map", "/matching", "/intake", "/me" })
        {
            var (status, html) = await Pages.GetAsync(stranger, $"/cycles/{id}{page}");
            Assert.DoesNotContain("Spring", html, StringComparison.Ordinal);
        }
        var mine = await JsonAsync(await finance1.GetAsync($"/api/cycles/{id}/intake/me"), HttpStatusCode.OK);
        Assert.Equal(["mon-09"], mine.GetProperty("availability").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Published_offers_become_sessions_with_calendar_invitations_and_races_end_consistently()
    {
        var org = await SeedAsync();
        var f = org.Facilitator;
        var (id, run) = await PublishedCycleAsync(f);

        var teacher = await Pages.SignedInClientAsync(app, org.Email("sales1"), Password);
        var offers = await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK);
        var offer = offers.EnumerateArray().First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales1"]);
        var offerId = offer.GetProperty("id").GetGuid();
        var learnerName = org.People.Single(p => p.Value == offer.GetProperty("learnerIds")[0].GetGuid()).Key;
        var learner = await Pages.SignedInClientAsync(app, org.Email(learnerName), Password);
        var stranger = await Pages.SignedInClientAsync(app, org.Email("sam"), Password);

        var times = new[] { Clock.GetUtcNow().AddDays(3).ToUniversalTime(), Clock.GetUtcNow().AddDays(4).ToUniversalTime() }
            .Select(t => new DateTimeOffset(t.Year, t.Month, t.Day, 10, 0, 0, TimeSpan.Zero)).ToArray();
        await JsonAsync(await learner.PostAsJsonAsync($"/api/offers/{offerId}/offer", new { times, message = "Hi" }), HttpStatusCode.Forbidden);
        await JsonAsync(await stranger.PostAsJsonAsync($"/api/offers/{offerId}/offer", new { times }), HttpStatusCode.NotFound);
        await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{offerId}/offer", new { times = Array.Empty<DateTimeOffset>() }), HttpStatusCode.UnprocessableEntity);
        var offered = await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{offerId}/offer", new { times, message = "Coffee corner?" }), HttpStatusCode.OK);
        Assert.Equal("offered", offered.GetProperty("status").GetString());

        var session = await JsonAsync(await learner.PostAsJsonAsync($"/api/offers/{offerId}/accept", new { time = times[1] }), HttpStatusCode.OK);
        Assert.Equal("scheduled", session.GetProperty("status").GetString());
        var sessionId = session.GetProperty("id").GetGuid();
        Assert.Equal("accepted", (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .Single(o => o.GetProperty("id").GetGuid() == offerId).GetProperty("status").GetString());
        var mine = Assert.Single((await JsonAsync(await learner.GetAsync("/api/sessions"), HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((times[1], 30), (mine.GetProperty("startsAt").GetDateTimeOffset(), mine.GetProperty("durationMinutes").GetInt32()));
        var ics = await learner.GetStringAsync($"/api/sessions/{sessionId}.ics");
        Assert.Contains("METHOD:REQUEST\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:session-{sessionId:N}@tacit\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:0\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{times[1]:yyyyMMdd}T100000Z", ics, StringComparison.Ordinal);
        Assert.Contains($"ORGANIZER;CN=sales1:mailto:sales1@{org.Slug}.example", ics, StringComparison.Ordinal);
        Assert.Contains($"ATTENDEE;CN={learnerName};", ics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/sessions/{sessionId}.ics")).StatusCode);
        await JsonAsync(await learner.PostAsJsonAsync($"/api/offers/{offerId}/accept", new { time = times[0] }), HttpStatusCode.Conflict);

        var cancelled = await JsonAsync(await teacher.PostAsJsonAsync($"/api/sessions/{sessionId}/cancel", new { reason = "Ill" }), HttpStatusCode.OK);
        Assert.Equal(("cancelled", 1), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("sequence").GetInt32()));
        var cancellation = await learner.GetStringAsync($"/api/sessions/{sessionId}.ics");
        Assert.Contains("METHOD:CANCEL", cancellation, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:1", cancellation, StringComparison.Ordinal);
        Assert.Contains($"UID:session-{sessionId:N}@tacit", cancellation, StringComparison.Ordinal);
        // Invitations leave through the mail outbox, in the background.
        List<string> mails = [];
        await WaitForAsync(() =>
        {
            if (!Directory.Exists(app.MailFolder)) return false;
            mails = [.. Directory.EnumerateFiles(app.MailFolder, "*.eml").Select(ReadFinished).Where(m => m.Contains("session.ics", StringComparison.Ordinal))];
            return mails.Any(m => m.Contains("method=CANCEL", StringComparison.OrdinalIgnoreCase) && m.Contains($"sales1@{org.Slug}.example", StringComparison.Ordinal));
        });
        Assert.Contains(mails, m => m.Contains("method=REQUEST", StringComparison.OrdinalIgnoreCase) && m.Contains($"{learnerName}@{org.Slug}.example", StringComparison.Ordinal));
        Assert.Contains(mails, m => m.Contains("method=CANCEL", StringComparison.OrdinalIgnoreCase) && m.Contains($"sales1@{org.Slug}.example", StringComparison.Ordinal));

        // Feedback opens when the session is over; two learners rating sales1 four or more validate the skill.
        var second = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales1"] && o.GetProperty("status").GetString() == "pending");
        var secondName = org.People.Single(p => p.Value == second.GetProperty("learnerIds")[0].GetGuid()).Key;
        var secondLearner = await Pages.SignedInClientAsync(app, org.Email(secondName), Password);
        await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{second.GetProperty("id").GetGuid()}/offer", new { times }), HttpStatusCode.OK);
        var secondSession = (await JsonAsync(await secondLearner.PostAsJsonAsync($"/api/offers/{second.GetProperty("id").GetGuid()}/accept", new { time = times[0] }), HttpStatusCode.OK)).GetProperty("id").GetGuid();
        await JsonAsync(await secondLearner.PutAsJsonAsync($"/api/sessions/{secondSession}/questions/me", new { reason = "How do I open low?" }), HttpStatusCode.OK);
        await JsonAsync(await teacher.PutAsJsonAsync($"/api/sessions/{secondSession}/questions/me", new { reason = "Not mine" }), HttpStatusCode.Forbidden);
        Assert.Equal("How do I open low?", Assert.Single((await JsonAsync(await teacher.GetAsync($"/api/sessions/{secondSession}/questions"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("text").GetString());
        await JsonAsync(await stranger.GetAsync($"/api/sessions/{secondSession}/questions"), HttpStatusCode.NotFound);
        var feedback = new { happened = true, usefulness = 5, learned = "Anchoring", thankYou = "Brilliant, thank you", thankYouIsPublic = true };
        await JsonAsync(await secondLearner.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", feedback), HttpStatusCode.Conflict);
        // The session moved into the past, as if it had been held.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == secondSession)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, Clock.GetUtcNow().AddDays(-1))));
        await JsonAsync(await secondLearner.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", new { happened = true }), HttpStatusCode.UnprocessableEntity);
        await JsonAsync(await secondLearner.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", feedback), HttpStatusCode.OK);
        await JsonAsync(await stranger.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", feedback), HttpStatusCode.NotFound);
        await JsonAsync(await teacher.PutAsJsonAsync($"/api/sessions/{secondSession}/feedback/me", new { happened = true, wentWell = "Good questions", thankYou = "Great questions", thankYouIsPublic = true }), HttpStatusCode.OK);
        var recognition = await JsonAsync(await stranger.GetAsync($"/api/people/{org.People["sales1"]}/recognition"), HttpStatusCode.OK);
        Assert.Equal((0, 1, 0.5), (recognition.GetProperty("sessionsLearned").GetInt32(), recognition.GetProperty("sessionsTaught").GetInt32(), recognition.GetProperty("hoursGiven").GetDouble()));
        Assert.Empty(recognition.GetProperty("validatedSkills").EnumerateArray()); // one learner is not enough
        Assert.Equal("Brilliant, thank you", Assert.Single(recognition.GetProperty("thankYous").EnumerateArray()).GetProperty("text").GetString());
        var learnerRecognition = await JsonAsync(await stranger.GetAsync($"/api/people/{org.People[secondName]}/recognition"), HttpStatusCode.OK);
        Assert.Equal((1, "Great questions"), (learnerRecognition.GetProperty("sessionsLearned").GetInt32(), learnerRecognition.GetProperty("thankYous")[0].GetProperty("text").GetString()));

        // Follow-ups: a conversation logged, and a follow-up session proposed as a new pending offer to the same teacher.
        var todayDate = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        await JsonAsync(await secondLearner.PostAsJsonAsync($"/api/sessions/{secondSession}/follow-ups", new { heldOn = todayDate, note = "Showed my first model" }), HttpStatusCode.Created);
        await JsonAsync(await stranger.PostAsJsonAsync($"/api/sessions/{secondSession}/follow-ups", new { heldOn = todayDate, note = "Not mine" }), HttpStatusCode.NotFound);
        Assert.Equal("Showed my first model", Assert.Single((await JsonAsync(await teacher.GetAsync($"/api/sessions/{secondSession}/follow-ups"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("note").GetString());
        var followUpOffer = await JsonAsync(await secondLearner.PostAsync($"/api/sessions/{secondSession}/follow-up-session", null), HttpStatusCode.Created);
        Assert.Equal(("pending", org.People["sales1"]), (followUpOffer.GetProperty("status").GetString(), followUpOffer.GetProperty("teacherId").GetGuid()));
        Assert.Contains((await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray(), o => o.GetProperty("id").GetGuid() == followUpOffer.GetProperty("id").GetGuid());

        // A commitment with an accountability partner, who is asked once on the due date.
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        await JsonAsync(await secondLearner.PostAsJsonAsync($"/api/sessions/{secondSession}/commitments", new { text = "Model next year's budget", dueOn = today, partnerEmail = "nobody@nowhere.example" }), HttpStatusCode.UnprocessableEntity);
        var commitment = await JsonAsync(await secondLearner.PostAsJsonAsync($"/api/sessions/{secondSession}/commitments", new { text = "Model next year's budget", dueOn = today, partnerEmail = org.Email("sam") }), HttpStatusCode.Created);
        // The check-in reminder's trigger is in the store (this test app's scheduler does not run); running its work twice asks once.
        var checkIn = (Tacit.Web.Features.Reminders.ReminderKind.CheckInDue, commitment.GetProperty("id").GetGuid());
        Assert.Equal(1, await QuartzTriggersAsync(org.Id, $"CheckInDue:{checkIn.Item2:N}"));
        // The due date moved into the past, as if it had come (the partner is asked at 09:00 their time).
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Commitments.Where(c => c.Id == checkIn.Item2)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.DueOn, today.AddDays(-1))));
        for (int i = 0; i < 2; i++)
            Assert.Null(await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<Tacit.Web.Features.Reminders.DueReminders>().SendAsync(checkIn.Item1, checkIn.Item2)));
        var partnerNews = await JsonAsync(await stranger.GetAsync("/api/notifications"), HttpStatusCode.OK);
        Assert.Single(partnerNews.GetProperty("items").EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains("check in today", StringComparison.Ordinal));
        var commitmentId = commitment.GetProperty("id").GetGuid();
        await JsonAsync(await stranger.PostAsJsonAsync($"/api/commitments/{commitmentId}/status", new { status = "done" }), HttpStatusCode.Forbidden);
        var done = await JsonAsync(await secondLearner.PostAsJsonAsync($"/api/commitments/{commitmentId}/status", new { status = "done" }), HttpStatusCode.OK);
        Assert.Equal("done", done.GetProperty("status").GetString());

        // Another teacher's offer: the learner accepts while the teacher declines. Exactly one wins, and the offer says which.
        var teacher2 = await Pages.SignedInClientAsync(app, org.Email("sales2"), Password);
        var other = (await JsonAsync(await teacher2.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales2"]);
        var otherId = other.GetProperty("id").GetGuid();
        var otherLearner = await Pages.SignedInClientAsync(app, org.Email(org.People.Single(p => p.Value == other.GetProperty("learnerIds")[0].GetGuid()).Key), Password);
        await JsonAsync(await teacher2.PostAsJsonAsync($"/api/offers/{otherId}/offer", new { times }), HttpStatusCode.OK);
        var results = await Task.WhenAll(
            otherLearner.PostAsJsonAsync($"/api/offers/{otherId}/accept", new { time = times[0] }),
            teacher2.PostAsJsonAsync($"/api/offers/{otherId}/decline", new { reason = "Changed my mind" }));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Conflict);
        var after = (await JsonAsync(await teacher2.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == otherId);
        var otherSessions = (await JsonAsync(await otherLearner.GetAsync("/api/sessions"), HttpStatusCode.OK)).EnumerateArray().Count(s => s.GetProperty("offerId").GetGuid() == otherId);
        Assert.Equal(results[0].StatusCode == HttpStatusCode.OK ? ("accepted", 1) : ("declined", 0), (after.GetProperty("status").GetString(), otherSessions));

        // An offer nobody answers in time expires in the background, and both sides are told.
        var teacher3 = await Pages.SignedInClientAsync(app, org.Email("sales3"), Password);
        var late = (await JsonAsync(await teacher3.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales3"] && o.GetProperty("status").GetString() == "pending");
        var lateId = late.GetProperty("id").GetGuid();
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.Where(o => o.Id == lateId)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ExpiresAt, Clock.GetUtcNow().AddMinutes(-1))));
        Assert.True(await app.Services.GetRequiredService<Tacit.Web.Features.Offers.DueWork>().ExpireDueAsync(CancellationToken.None) >= 1);
        var expired = (await JsonAsync(await teacher3.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == lateId);
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        await JsonAsync(await teacher3.PostAsJsonAsync($"/api/offers/{lateId}/offer", new { times }), HttpStatusCode.Conflict);
        var teacherNews = await JsonAsync(await teacher3.GetAsync("/api/notifications"), HttpStatusCode.OK);
        Assert.Contains(teacherNews.GetProperty("items").EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains("expired before it was answered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_offers_and_feedback_pages_act_through_their_forms()
    {
        var org = await SeedAsync();
        await PublishedCycleAsync(org.Facilitator);
        var teacher = await Pages.SignedInClientAsync(app, org.Email("sales1"), Password);
        var offer = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales1"]);
        var offerId = offer.GetProperty("id").GetGuid();
        var learner = await Pages.SignedInClientAsync(app, org.Email(org.People.Single(p => p.Value == offer.GetProperty("learnerIds")[0].GetGuid()).Key), Password);
        async Task<string> PostAsync(HttpClient client, string path, string form, Dictionary<string, string> fields)
        {
            var response = await Pages.PostFormAsync(client, path, form, fields);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }

        // The teacher's picker has no zone: it is read in the teacher's own (Europe/London).
        var local = DateTime.SpecifyKind(Clock.GetUtcNow().UtcDateTime.Date.AddDays(3).AddHours(10), DateTimeKind.Unspecified);
        var expected = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")), TimeSpan.Zero);
        var unread = await PostAsync(teacher, "/offers", $"offer-{offerId}", new() { ["Input.Times[0]"] = "tomorrow", ["Input.Times[1]"] = "", ["Input.Times[2]"] = "" });
        Assert.Contains("A time could not be read; use the date and time pickers.", unread, StringComparison.Ordinal);
        var sent = await PostAsync(teacher, "/offers", $"offer-{offerId}", new()
        {
            ["Input.Times[0]"] = local.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), ["Input.Times[1]"] = "", ["Input.Times[2]"] = "", ["Input.Message"] = "Coffee corner?",
        });
        Assert.Contains("Your offer is sent.", sent, StringComparison.Ordinal);
        var offered = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == offerId);
        Assert.Equal((expected, "Coffee corner?"), (offered.GetProperty("times")[0].GetDateTimeOffset(), offered.GetProperty("message").GetString()));

        var accepted = await PostAsync(learner, "/offers", $"accept-{offerId}", new() { ["Input.Time"] = expected.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("Accepted: the session is in your calendar invitation.", accepted, StringComparison.Ordinal);
        var sessionId = Assert.Single((await JsonAsync(await learner.GetAsync("/api/sessions"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("id").GetGuid();

        // A refusal shows inside the form it is about; then the decline goes through.
        var teacher2 = await Pages.SignedInClientAsync(app, org.Email("sales2"), Password);
        var other = (await JsonAsync(await teacher2.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales2"]).GetProperty("id").GetGuid();
        var refused = await PostAsync(teacher2, "/offers", $"decline-{other}", new() { ["Input.Reason"] = "" });
        var beforeLabel = refused[..refused.IndexOf($"for=\"reason-{other}\"", StringComparison.Ordinal)];
        Assert.Contains("role=\"alert\"", beforeLabel[beforeLabel.LastIndexOf("<form", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("Declined. Thank you for saying so.", await PostAsync(teacher2, "/offers", $"decline-{other}", new() { ["Input.Reason"] = "Away" }), StringComparison.Ordinal);
        Assert.Equal("declined", (await JsonAsync(await teacher2.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .Single(o => o.GetProperty("id").GetGuid() == other).GetProperty("status").GetString());

        // After the session: feedback, a follow-up, a commitment, and the commitment marked done on the offers page.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, Clock.GetUtcNow().AddDays(-2))));
        var feedbackPage = $"/sessions/{sessionId}/feedback";
        Assert.Contains("Thank you: your feedback is saved.", await PostAsync(learner, feedbackPage, "feedback", new()
        {
            ["Feedback.Happened"] = "true", ["Feedback.Usefulness"] = "5", ["Feedback.Learned"] = "Anchoring", ["Feedback.ThankYou"] = "Thanks!",
        }), StringComparison.Ordinal);
        var given = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().SessionFeedback.SingleAsync(x => x.SessionId == sessionId));
        Assert.Equal((true, 5, "Anchoring", false), (given.Happened, given.Usefulness, given.Learned, given.ThankYouIsPublic));
        Assert.Contains("Choose the date you talked.", await PostAsync(learner, feedbackPage, "follow-up", new() { ["FollowUp.Note"] = "Lunch" }), StringComparison.Ordinal);
        var today = Today.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("The follow-up is logged.", await PostAsync(learner, feedbackPage, "follow-up", new() { ["FollowUp.HeldOn"] = today, ["FollowUp.Note"] = "Lunch" }), StringComparison.Ordinal);
        Assert.Contains("Your commitment is saved", await PostAsync(learner, feedbackPage, "commit", new()
        {
            ["Commit.Text"] = "Rebuild the forecast", ["Commit.DueOn"] = Today.AddDays(7).ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["Commit.PartnerEmail"] = "",
        }), StringComparison.Ordinal);
        var commitmentId = Assert.Single((await JsonAsync(await learner.GetAsync("/api/commitments"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Contains("Commitment updated.", await PostAsync(learner, "/offers", $"commitment-{commitmentId}", new() { ["Input.Status"] = "Done" }), StringComparison.Ordinal);
        Assert.Equal("done", Assert.Single((await JsonAsync(await learner.GetAsync("/api/commitments"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_declined_offer_goes_back_to_the_engine_and_nobody_elses_offer_moves()
    {
        var org = await SeedAsync();
        var f = org.Facilitator;
        var (id, run) = await PublishedCycleAsync(f);
        // sales1 now offers one session more than was matched: the room the engine can use.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Shares.Where(x => x.PersonId == org.People["sales1"])
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 3)));

        var teacher = await Pages.SignedInClientAsync(app, org.Email("sales2"), Password);
        var before = (await JsonAsync(await f.GetAsync($"/api/cycles/{id}/runs/{run.GetProperty("id").GetGuid()}/proposals?pageSize=100"), HttpStatusCode.OK))
            .GetProperty("items").GetArrayLength();
        var offer = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales2"]);
        var learnerId = offer.GetProperty("learnerIds")[0].GetGuid();
        var learner = await Pages.SignedInClientAsync(app, org.Email(org.People.Single(p => p.Value == learnerId).Key), Password);
        await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{offer.GetProperty("id").GetGuid()}/decline", new { reason = "Parental leave" }), HttpStatusCode.OK);

        var mine = (await JsonAsync(await learner.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().ToList();
        var next = Assert.Single(mine, o => o.GetProperty("status").GetString() == "pending");
        Assert.Equal(org.People["sales1"], next.GetProperty("teacherId").GetGuid());
        Assert.Equal(("declined", learnerId), (mine.Single(o => o.GetProperty("id").GetGuid() == offer.GetProperty("id").GetGuid()).GetProperty("status").GetString(), next.GetProperty("learnerIds")[0].GetGuid()));
        var after = (await JsonAsync(await f.GetAsync($"/api/cycles/{id}/runs/{run.GetProperty("id").GetGuid()}/proposals?pageSize=100"), HttpStatusCode.OK));
        Assert.Equal(before + 1, after.GetProperty("items").GetArrayLength());
        var news = (await JsonAsync(await learner.GetAsync("/api/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("text").GetString()!).ToList();
        Assert.Contains(news, n => n.Contains("cannot go ahead this time", StringComparison.Ordinal) && !n.Contains("sales2", StringComparison.Ordinal));
        Assert.Contains(news, n => n.Contains("from sales1", StringComparison.Ordinal));
        // Every other offer is as it was: still pending.
        var statuses = await app.InScopeAsync(org.Id, async sp => await sp.GetRequiredService<TacitDbContext>().Offers.Where(o => o.CycleId == id)
            .Select(o => o.Status).ToListAsync());
        Assert.Equal((before + 1, 1), (statuses.Count, statuses.Count(s => s == Tacit.Domain.Offers.OfferStatus.Declined)));
    }

    [Fact]
    public async Task Reminders_stored_while_no_scheduler_ran_fire_after_a_restart_exactly_once()
    {
        var org = await SeedAsync();
        await PublishedCycleAsync(org.Facilitator);
        var teacher = await Pages.SignedInClientAsync(app, org.Email("sales1"), Password);
        var offer = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales1"]);
        var offerId = offer.GetProperty("id").GetGuid();
        var learnerName = org.People.Single(p => p.Value == offer.GetProperty("learnerIds")[0].GetGuid()).Key;
        var learner = await Pages.SignedInClientAsync(app, org.Email(learnerName), Password);
        // A session in three hours: its "coming up" reminder (a day before) is already due, its feedback request is not.
        var soon = Clock.GetUtcNow().AddHours(3);
        var time = new DateTimeOffset(soon.Year, soon.Month, soon.Day, soon.Hour, soon.Minute, 0, TimeSpan.Zero);
        await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{offerId}/offer", new { times = new[] { time } }), HttpStatusCode.OK);
        var sessionId = (await JsonAsync(await learner.PostAsJsonAsync($"/api/offers/{offerId}/accept", new { time }), HttpStatusCode.OK)).GetProperty("id").GetGuid();
        Assert.Equal(1, await QuartzTriggersAsync(org.Id, $"SessionComingUp:{sessionId:N}"));
        Assert.Equal(1, await QuartzTriggersAsync(org.Id, $"FeedbackDue:{sessionId:N}"));
        Assert.Equal(0, await RemindersOfAsync(learner, "Reminder: you learn"));

        // Another server starts on the same database: it fires the due reminder once, to both sides, and keeps the other.
        await using (var restarted = app.AnotherInstance(runsReminders: true))
        {
            _ = restarted.Server;
            for (var waited = 0; waited < 30 && await RemindersOfAsync(learner, "Reminder: you learn") == 0; waited++) await Task.Delay(500);
        }
        Assert.Equal(1, await RemindersOfAsync(learner, "Reminder: you learn"));
        Assert.Equal(1, await RemindersOfAsync(teacher, "Reminder: you share"));
        Assert.Equal(0, await QuartzTriggersAsync(org.Id, $"SessionComingUp:{sessionId:N}"));
        Assert.Equal(1, await QuartzTriggersAsync(org.Id, $"FeedbackDue:{sessionId:N}"));

        // And again: nothing fires twice.
        await using (var again = app.AnotherInstance(runsReminders: true))
        {
            _ = again.Server;
            await Task.Delay(2000);
        }
        Assert.Equal(1, await RemindersOfAsync(learner, "Reminder: you learn"));
        Assert.Equal(1, await RemindersOfAsync(teacher, "Reminder: you share"));
    }

    /// <summary>A mail file's text, or "" while the mailer is still writing it.</summary>
    private static string ReadFinished(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }

    private async Task<int> RemindersOfAsync(HttpClient person, string text) =>
        (await JsonAsync(await person.GetAsync("/api/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Count(n => n.GetProperty("text").GetString()!.StartsWith(text, StringComparison.Ordinal));

    /// <summary>How many Quartz triggers whose name starts with the given text are stored (Quartz's own table, read directly).</summary>
    private Task<int> QuartzTriggersAsync(Guid organisationId, string namePrefix) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM qrtz_triggers WHERE trigger_name LIKE {namePrefix + "%"}").SingleAsync());

    [Fact]
    public async Task The_review_counts_what_happened_thanks_everyone_and_the_next_cycle_carries_the_unmet_wants()
    {
        var org = await SeedAsync();
        var (id, _) = await PublishedCycleAsync(org.Facilitator);
        var teacher = await Pages.SignedInClientAsync(app, org.Email("sales1"), Password);
        var offer = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales1"]);
        var offerId = offer.GetProperty("id").GetGuid();
        var learnerName = org.People.Single(p => p.Value == offer.GetProperty("learnerIds")[0].GetGuid()).Key;
        var learner = await Pages.SignedInClientAsync(app, org.Email(learnerName), Password);
        var time = new DateTimeOffset(Clock.GetUtcNow().AddDays(2).UtcDateTime.Date.AddHours(9), TimeSpan.Zero);
        await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{offerId}/offer", new { times = new[] { time } }), HttpStatusCode.OK);
        var sessionId = (await JsonAsync(await learner.PostAsJsonAsync($"/api/offers/{offerId}/accept", new { time }), HttpStatusCode.OK)).GetProperty("id").GetGuid();
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, Clock.GetUtcNow().AddDays(-2))));
        await JsonAsync(await learner.PutAsJsonAsync($"/api/sessions/{sessionId}/feedback/me",
            new { happened = true, usefulness = 4, learned = "Pivot tables and anchoring" }), HttpStatusCode.OK);
        await JsonAsync(await teacher.PutAsJsonAsync($"/api/sessions/{sessionId}/feedback/me", new { happened = true, wentWell = "Sharp questions on pivot tables" }), HttpStatusCode.OK);
        var commitment = await JsonAsync(await learner.PostAsJsonAsync($"/api/sessions/{sessionId}/commitments", new { text = "Rebuild the forecast", dueOn = Today.AddDays(7) }), HttpStatusCode.Created);
        await JsonAsync(await learner.PostAsJsonAsync($"/api/commitments/{commitment.GetProperty("id").GetGuid()}/status", new { status = "done" }), HttpStatusCode.OK);
        var teacher2 = await Pages.SignedInClientAsync(app, org.Email("sales2"), Password);
        var declined = (await JsonAsync(await teacher2.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray()
            .First(o => o.GetProperty("teacherId").GetGuid() == org.People["sales2"]).GetProperty("id").GetGuid();
        await JsonAsync(await teacher2.PostAsJsonAsync($"/api/offers/{declined}/decline", new { reason = "Away" }), HttpStatusCode.OK);

        var review = await JsonAsync(await org.Facilitator.GetAsync($"/api/cycles/{id}/review"), HttpStatusCode.OK);
        var offers = review.GetProperty("offers");
        var proposed = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.CountAsync(o => o.CycleId == id));
        Assert.Equal((proposed, 1, 1, 1), (offers.GetProperty("proposed").GetInt32(), offers.GetProperty("offered").GetInt32(),
            offers.GetProperty("accepted").GetInt32(), offers.GetProperty("declined").GetInt32()));
        var sessions = review.GetProperty("sessions");
        Assert.Equal((1, 1, 0), (sessions.GetProperty("booked").GetInt32(), sessions.GetProperty("held").GetInt32(), sessions.GetProperty("cancelled").GetInt32()));
        var usefulness = review.GetProperty("usefulness");
        Assert.Equal((1, 4.0, 1), (usefulness.GetProperty("ratings").GetInt32(), usefulness.GetProperty("average").GetDouble(), usefulness.GetProperty("countsOneToFive")[3].GetInt32()));
        Assert.Equal((1, 1), (review.GetProperty("commitments").GetProperty("made").GetInt32(), review.GetProperty("commitments").GetProperty("done").GetInt32()));
        var themes = review.GetProperty("themes").EnumerateArray().Select(t => (t.GetProperty("word").GetString(), t.GetProperty("mentions").GetInt32())).ToList();
        Assert.Contains(("pivot", 2), themes);
        Assert.Contains(("tables", 2), themes);
        Assert.DoesNotContain(themes, t => t.Item1 == "anchoring"); // said once only
        var thanked = review.GetProperty("acknowledgements").EnumerateArray()
            .Select(a => (a.GetProperty("name").GetString(), a.GetProperty("sessionsLearned").GetInt32(), a.GetProperty("sessionsTaught").GetInt32())).ToList();
        Assert.Equal([(learnerName, 1, 0), ("sales1", 0, 1)], thanked);
        Assert.True(review.GetProperty("unmetWants").GetInt32() >= 1); // finance1's want nobody shares, at least

        // Facilitators only, and only their own organisation's cycle.
        await JsonAsync(await learner.GetAsync($"/api/cycles/{id}/review"), HttpStatusCode.Forbidden);
        var other = await app.CreateOrganisationAsync("other-" + Guid.NewGuid().ToString("N")[..8]);
        var outsider = await app.ClientWithTokenAsync(other.Organisation.Id, Roles.Facilitator);
        await JsonAsync(await outsider.GetAsync($"/api/cycles/{id}/review"), HttpStatusCode.NotFound);
        await JsonAsync(await outsider.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()), HttpStatusCode.NotFound);

        // The next cycle starts from the review, once, and carries the unmet wants (the learners are told).
        await JsonAsync(await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()), HttpStatusCode.Conflict);
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Cycles.Where(c => c.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ReviewDate, Today)));
        await JsonAsync(await org.Facilitator.PostAsync($"/api/cycles/{id}/start-review", null), HttpStatusCode.OK);
        await JsonAsync(await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", new { name = "", intakeOpens = Today, intakeCloses = Today, matchingDate = Today }), HttpStatusCode.UnprocessableEntity);
        var next = await JsonAsync(await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()), HttpStatusCode.Created);
        var nextId = next.GetProperty("cycle").GetProperty("id").GetGuid();
        Assert.Equal(("Autumn", "draft"), (next.GetProperty("cycle").GetProperty("name").GetString(), next.GetProperty("cycle").GetProperty("state").GetString()));
        Assert.Equal(review.GetProperty("unmetWants").GetInt32(), next.GetProperty("carriedWants").GetInt32());
        var carried = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().CarriedWants.Where(w => w.CycleId == nextId)
            .Select(w => new { w.LearnerId, w.SkillId, w.FromCycleId }).ToListAsync());
        Assert.Contains(carried, w => w.LearnerId == org.People["finance1"] && w.SkillId == org.Unshared && w.FromCycleId == id);
        Assert.DoesNotContain(carried, w => w.LearnerId == org.People[learnerName] && w.SkillId == org.Wanted); // that one was held
        var finance1 = await Pages.SignedInClientAsync(app, org.Email("finance1"), Password);
        Assert.Contains((await JsonAsync(await finance1.GetAsync("/api/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray(),
            n => n.GetProperty("text").GetString()!.Contains("carried over to \"Autumn\"", StringComparison.Ordinal));
        await JsonAsync(await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()), HttpStatusCode.Conflict);
        Assert.Equal(nextId, (await JsonAsync(await org.Facilitator.GetAsync($"/api/cycles/{id}/review"), HttpStatusCode.OK)).GetProperty("nextCycleId").GetGuid());

        // The pages: the review with its acknowledgement list, and the printable agenda.
        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", Password);
        var page = await admin.GetStringAsync($"/cycles/{id}/review");
        Assert.Contains("Acknowledgements", page, StringComparison.Ordinal);
        Assert.Contains($"/cycles/{nextId}", page, StringComparison.Ordinal);
        var agenda = await admin.GetStringAsync($"/cycles/{id}/review/agenda");
        Assert.Contains("Review meeting", agenda, StringComparison.Ordinal);
        Assert.Contains("sales1 (taught 1)", agenda, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/cycles/{Guid.NewGuid()}/review")).StatusCode);
    }

    private static object NextCycle() => new
    {
        name = "Autumn", intakeOpens = Today.AddDays(7).ToString("O", System.Globalization.CultureInfo.InvariantCulture), intakeCloses = Today.AddDays(21).ToString("O", System.Globalization.CultureInfo.InvariantCulture), matchingDate = Today.AddDays(22).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Group_learners_join_one_by_one_and_simultaneous_joins_end_consistently()
    {
        var org = await SeedAsync();
        // sales1 takes one group of up to four; the others one learner each: the engine must group.
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            await db.Shares.Where(x => x.PersonId == org.People["sales1"]).ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 1)
                .SetProperty(x => x.AcceptsGroups, true).SetProperty(x => x.MaxGroupSize, 4));
            return await db.Shares.Where(x => x.PersonId != org.People["sales1"]).ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 1));
        });
        var (_, _) = await PublishedCycleAsync(org.Facilitator);
        var teacher = await Pages.SignedInClientAsync(app, org.Email("sales1"), Password);
        var group = (await JsonAsync(await teacher.GetAsync("/api/offers"), HttpStatusCode.OK)).EnumerateArray().Single(o => o.GetProperty("teacherId").GetGuid() == org.People["sales1"]);
        Assert.Equal("group", group.GetProperty("kind").GetString());
        var groupId = group.GetProperty("id").GetGuid();
        var learners = new List<HttpClient>();
        foreach (var id in group.GetProperty("learnerIds").EnumerateArray().Select(l => l.GetGuid()))
            learners.Add(await Pages.SignedInClientAsync(app, org.Email(org.People.Single(p => p.Value == id).Key), Password));
        Assert.True(learners.Count >= 3, $"expected a group of at least three, got {learners.Count}");
        var time = new DateTimeOffset(Clock.GetUtcNow().AddDays(5).UtcDateTime.Date.AddHours(14), TimeSpan.Zero);
        await JsonAsync(await teacher.PostAsJsonAsync($"/api/offers/{groupId}/offer", new { times = new[] { time } }), HttpStatusCode.OK);
        await JsonAsync(await learners[1].PostAsync($"/api/offers/{groupId}/join", null), HttpStatusCode.Conflict); // nobody accepted yet
        var session = await JsonAsync(await learners[0].PostAsJsonAsync($"/api/offers/{groupId}/accept", new { time }), HttpStatusCode.OK);
        Assert.Equal((60, false), (session.GetProperty("durationMinutes").GetInt32(), session.GetProperty("confirmed").GetBoolean()));

        var joins = await Task.WhenAll(learners.Skip(1).Select(l => l.PostAsync($"/api/offers/{groupId}/join", null)));
        Assert.All(joins, j => Assert.Contains(j.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var final = (await JsonAsync(await learners[0].GetAsync("/api/sessions"), HttpStatusCode.OK)).EnumerateArray().Single(s => s.GetProperty("offerId").GetGuid() == groupId);
        Assert.Equal(1 + joins.Count(j => j.StatusCode == HttpStatusCode.OK), final.GetProperty("learnerIds").GetArrayLength());
        Assert.Equal(final.GetProperty("learnerIds").GetArrayLength() - 1, final.GetProperty("sequence").GetInt32());
        Assert.Contains(joins, j => j.StatusCode == HttpStatusCode.OK);
        Assert.True(final.GetProperty("confirmed").GetBoolean());
    }

    [Fact]
    public async Task A_leavers_open_offers_go_back_to_the_engine_and_their_learners_are_matched_again()
    {
        var org = await SeedAsync();
        var (cycleId, _) = await PublishedCycleAsync(org.Facilitator);
        Task<List<Offer>> OffersAsync() => app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.AsNoTracking().Where(o => o.CycleId == cycleId).ToListAsync());
        // sales2 can teach more than the plan gave them: room for the leaver's learners.
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Shares.Where(x => x.PersonId == org.People["sales2"])
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionsPerCycle, 6)));
        var leaversOffers = (await OffersAsync()).Where(o => o.TeacherId == org.People["sales1"] && o.IsOpen).ToList();
        Assert.NotEmpty(leaversOffers);
        var theirLearners = leaversOffers.SelectMany(o => o.LearnerIds).ToList();
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);

        var left = await admin.DeleteAsync($"/api/people/{org.People["sales1"]}");
        Assert.True(left.IsSuccessStatusCode, await left.Content.ReadAsStringAsync());

        var after = await OffersAsync();
        Assert.All(after.Where(o => leaversOffers.Any(l => l.Id == o.Id)), o => Assert.Equal((OfferStatus.Declined, Offer.TeacherLeftReason), (o.Status, o.DeclineReason)));
        foreach (var learner in theirLearners)
            Assert.Contains(after, o => o.IsOpen && o.LearnerIds.Contains(learner) && o.TeacherId != org.People["sales1"] && o.SkillId == org.Wanted);
        var told = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Notifications
            .Where(n => n.PersonId == theirLearners[0] && n.Text.Contains("cannot go ahead")).CountAsync());
        Assert.Equal(1, told);

        // A learner who leaves is taken off their offer; a one-to-one with nobody left ends.
        var oneToOne = after.First(o => o.IsOpen && o.TeacherId == org.People["sales3"] && o.LearnerIds.Count == 1);
        var learnerLeft = await admin.DeleteAsync($"/api/people/{oneToOne.LearnerIds[0]}");
        Assert.True(learnerLeft.IsSuccessStatusCode, await learnerLeft.Content.ReadAsStringAsync());
        var ended = (await OffersAsync()).Single(o => o.Id == oneToOne.Id);
        Assert.Equal(OfferStatus.Expired, ended.Status);
        Assert.Empty(ended.LearnerIds);
    }

    /// <summary>A cycle taken through the API to published proposals, with the run that was published.</summary>
    private async Task<(Guid Cycle, JsonElement Run)> PublishedCycleAsync(HttpClient facilitator)
    {
        var id = (await JsonAsync(await facilitator.PostAsJsonAsync("/api/cycles", NewCycle()), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var step in new[] { "start-enrolment", "open-intake", "publish-map" })
            await JsonAsync(await facilitator.PostAsync($"/api/cycles/{id}/{step}", null), HttpStatusCode.OK);
        var run = await RunToTheEndAsync(facilitator, id);
        await JsonAsync(await facilitator.PostAsJsonAsync($"/api/cycles/{id}/publish", new { runId = run.GetProperty("id").GetGuid() }), HttpStatusCode.OK);
        return (id, run);
    }

    private static string SkillName(JsonElement map, Guid skill) =>
        map.GetProperty("skills").EnumerateArray().Single(s => s.GetProperty("skillId").GetGuid() == skill).GetProperty("skill").GetString()!;

    private async Task<JsonElement> RunToTheEndAsync(HttpClient facilitator, Guid cycleId)
    {
        var queued = await JsonAsync(await facilitator.PostAsJsonAsync($"/api/cycles/{cycleId}/runs", new { }), HttpStatusCode.Accepted);
        var runId = queued.GetProperty("id").GetGuid();
        JsonElement run = queued;
        await WaitForAsync(async () =>
        {
            run = await JsonAsync(await facilitator.GetAsync($"/api/cycles/{cycleId}/runs/{runId}"), HttpStatusCode.OK);
            return run.GetProperty("status").GetString() is "succeeded" or "failed";
        });
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        return run;
    }

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = Clock.GetUtcNow().AddSeconds(30);
        while (!await condition())
        {
            if (Clock.GetUtcNow() > deadline) throw new TimeoutException("The background work did not finish within 30 seconds.");
            await Task.Delay(100);
        }
    }
}

public sealed class LearningCycleSqliteTests(SqliteApp app) : LearningCycleTests(app), IClassFixture<SqliteApp>;

public sealed class LearningCyclePostgresTests(PostgresApp app) : LearningCycleTests(app), IClassFixture<PostgresApp>;
