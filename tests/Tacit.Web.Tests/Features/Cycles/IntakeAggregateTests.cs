using System.Net;
using System.Text.RegularExpressions;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// The promise of docs/security.md, "Intake answers in aggregate": a facilitator who reads the intake's figures before
/// and after one person answers, or changes an answer, learns nothing of what they said. The test plays a whole intake
/// one step at a time, reading everything a facilitator can read of the answers (the aggregate through the API, the
/// responses page, the progress by department) around every step.
/// </summary>
public abstract partial class IntakeAggregateTests(TacitApp app)
{
    private const string Choice = "Have you taught a colleague before?", Open = "What would help you most?";

    /// <summary>Finance 8, Sales 6, and 4 in small departments (Legal 3, Ops 1): a pool too small to show.</summary>
    private static readonly (string Department, int People)[] Departments = [("Finance", 8), ("Sales", 6), ("Legal", 3), ("Ops", 1)];

    private sealed record Answer(IntakeBarrier Barriers, string? Choice, string Text);

    [Fact]
    public async Task Reading_before_and_after_each_answer_or_change_tells_nothing_of_it_and_every_answer_is_released_at_once_when_the_intake_closes()
    {
        var org = await app.CreateOrganisationAsync("release-" + Guid.NewGuid().ToString("N")[..8]);
        var scenario = new CycleScenario(app.Services, org.Organisation.Id);
        var names = Departments.SelectMany(d => Enumerable.Range(1, d.People).Select(i => (Name: $"{d.Department.ToLowerInvariant()}{i}", d.Department))).ToList();
        foreach (var (name, department) in names) scenario.Person(name, department);
        var people = await scenario.SeedAsync();
        var cycleId = await scenario.CycleAsync(CycleState.Enrolment);
        var (choice, open) = await InOrganisation(org.Organisation.Id, async sp =>
        {
            var intake = sp.GetRequiredService<Intake>();
            var added = (await intake.AddQuestionAsync(cycleId, Choice, QuestionKind.SingleChoice, ["Yes", "No"]),
                await intake.AddQuestionAsync(cycleId, Open, QuestionKind.FreeText, null));
            await intake.OpenAsync(cycleId);
            return added;
        });
        var reader = new Reader(await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Facilitator),
            await Pages.SignedInClientAsync(app, org.Admin.Email, CycleScenario.Password), cycleId, app);

        // Everyone but the admin (who reads) answers, in a shuffled order; every third answer, someone who answered
        // earlier changes theirs. Not one reading moves.
        var random = new Random(16);
        var given = new Dictionary<string, Answer>();
        var last = await reader.ReadAsync();
        foreach (var (name, step) in names.OrderBy(_ => random.Next()).Select((n, i) => (n.Name, i)))
        {
            var changing = step % 3 == 2 ? given.Keys.ElementAt(random.Next(given.Count)) : null;
            foreach (var who in changing is null ? [name] : new[] { name, changing })
            {
                given[who] = new Answer((IntakeBarrier)random.Next(32), random.Next(3) switch { 0 => null, 1 => "Yes", _ => "No" },
                    $"{who}: more time, step {step}");
                await InOrganisation(org.Organisation.Id, sp => sp.GetRequiredService<Intake>().AnswerAsync(cycleId, people[who], AnswersOf(given[who], choice.Id, open.Id)));
                var now = await reader.ReadAsync();
                Assert.True(last == now, $"Reading after {who} answered differs from reading before:\n{last}\n---\n{now}");
                Assert.DoesNotContain(given[who].Text, now, StringComparison.Ordinal);
            }
            var progress = await reader.Facilitator.GetJsonAsync<IntakeProgress>($"/api/cycles/{cycleId}/intake/progress");
            Assert.Equal(given.Count, progress.Answered);
            foreach (var (department, count) in Departments)
            {
                var answered = given.Keys.Count(n => names.Single(p => p.Name == n).Department == department);
                Assert.Equal(Intake.InFives(answered), progress.ByDepartment.Single(d => d.Department == department).Answered);
            }
        }

        // The release: one reading to the next, with every answer (more than five) and nothing held back.
        var aggregate = await reader.Facilitator.GetJsonAsync<IntakeAggregateDto>($"/api/cycles/{cycleId}/intake/aggregate");
        Assert.False(aggregate.Released);
        await reader.Facilitator.PostAsync($"/api/cycles/{cycleId}/publish-map", null).ExpectAsync(HttpStatusCode.OK);
        var released = await reader.ReadAsync();
        Assert.NotEqual(last, released);
        aggregate = await reader.Facilitator.GetJsonAsync<IntakeAggregateDto>($"/api/cycles/{cycleId}/intake/aggregate");
        Assert.True(aggregate.Released);
        Assert.Equal(names.Count, aggregate.Respondents);
        Assert.True(aggregate.Respondents >= IntakeBarriers.MinimumGroupSize);
        // Finance and Sales are shown; Legal and Ops pooled are four, so hidden, and so is "Everyone", which minus
        // Finance and Sales would be those four.
        Assert.Equal(["Finance", "Sales"], aggregate.Groups.Select(g => g.Name));
        Assert.Equal(4, aggregate.HiddenRespondents);
        foreach (var group in aggregate.Groups)
        {
            var theirs = given.Where(g => g.Key.StartsWith(group.Name.ToLowerInvariant(), StringComparison.Ordinal)).Select(g => g.Value).ToList();
            Assert.Equal(theirs.Count, group.Respondents);
            foreach (var barrier in IntakeBarriers.All)
                Assert.Equal(theirs.Count(a => a.Barriers.HasFlag(barrier)), group.Counts[ApiEnums.Name(barrier)]);
        }
        var choices = aggregate.Questions.Single(q => q.QuestionId == choice.Id);
        Assert.Equal((given.Values.Count(a => a.Choice == "Yes"), given.Values.Count(a => a.Choice == "No")), (choices.Counts["Yes"], choices.Counts["No"]));
        Assert.Equal(given.Values.Select(a => a.Text).Order(StringComparer.OrdinalIgnoreCase), aggregate.Questions.Single(q => q.QuestionId == open.Id).FreeText);

        // After it, the answers cannot change, and neither someone leaving nor someone moving to another department
        // (which would take their answer from one group to the other) changes a figure.
        var finance1 = await Pages.SignedInClientAsync(app, people.Email("finance1"), CycleScenario.Password);
        await finance1.PutAsJsonAsync($"/api/cycles/{cycleId}/intake/me", new { barriers = Array.Empty<string>() }).ExpectAsync(HttpStatusCode.Conflict);
        await InOrganisation(org.Organisation.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            (await db.People.SingleAsync(p => p.Id == people["finance2"])).Deactivate();
            (await db.People.SingleAsync(p => p.Id == people["finance3"])).UpdateProfile("finance3", null, "Sales", 4, null, "UTC", null);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(released, await reader.ReadAsync());
    }

    [Fact]
    public async Task Free_text_answers_are_shown_a_hundred_to_a_page_in_alphabetical_order()
    {
        var org = await app.CreateOrganisationAsync("free-text-" + Guid.NewGuid().ToString("N")[..8]);
        var organisationId = org.Organisation.Id;
        var cycleId = await new CycleScenario(app.Services, organisationId).CycleAsync(CycleState.Enrolment);
        var open = await InOrganisation(organisationId, async sp =>
        {
            var intake = sp.GetRequiredService<Intake>();
            var question = await intake.AddQuestionAsync(cycleId, Open, QuestionKind.FreeText, null);
            await intake.OpenAsync(cycleId);
            return question;
        });
        // 205 people (no accounts needed) answer, in the reverse of the order the page shows them in.
        await InOrganisation(organisationId, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            var people = Enumerable.Range(0, 205).Select(i => new Person(organisationId, $"idea{i}@{org.Organisation.Slug}.example", $"Idea giver {i}", now)).ToList();
            db.People.AddRange(people);
            await db.SaveChangesAsync();
            var intake = sp.GetRequiredService<Intake>();
            for (var i = 0; i < people.Count; i++)
                await intake.AnswerAsync(cycleId, people[i].Id, new IntakeAnswers(2, IntakeBarrier.None, null, [], "UTC",
                    new Dictionary<Guid, IReadOnlyList<string>> { [open.Id] = [$"Idea {204 - i:000}"] }));
            return people.Count;
        });
        var facilitator = await app.ClientWithTokenAsync(organisationId, Roles.Facilitator);
        await facilitator.PostAsync($"/api/cycles/{cycleId}/publish-map", null).ExpectAsync(HttpStatusCode.OK);
        var browser = await Pages.SignedInClientAsync(app, org.Admin.Email, CycleScenario.Password);
        Task<(string Text, string[] Ideas)> ResponsesAsync(string query) => Pages.ReadListAsync(app, browser, $"/cycles/{cycleId}/responses{query}", IdeaItem());
        static string[] Ideas(int from, int count) => [.. Enumerable.Range(from, count).Select(i => $"Idea {i:000}")];

        var (first, ideas) = await ResponsesAsync("");
        Assert.Equal(Ideas(0, 100), ideas);
        Assert.Contains("205 answers, without names, in alphabetical order (here 1–100):", first, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cycles/{cycleId}/responses?question={open.Id}&page=2#question-{open.Id}\" rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 3", first, StringComparison.Ordinal);
        var (last, lastIdeas) = await ResponsesAsync($"?question={open.Id}&page=3");
        Assert.Equal(Ideas(200, 5), lastIdeas);
        Assert.Contains("(here 201–205):", last, StringComparison.Ordinal);
        // A page past the end shows the last; a page of another question leaves this one at its first.
        Assert.Equal(Ideas(200, 5), (await ResponsesAsync($"?question={open.Id}&page=9")).Ideas);
        Assert.Equal(Ideas(0, 100), (await ResponsesAsync($"?question={Guid.NewGuid()}&page=2")).Ideas);
        // The API gives every answer.
        var aggregate = await facilitator.GetJsonAsync<IntakeAggregateDto>($"/api/cycles/{cycleId}/intake/aggregate");
        Assert.Equal(Ideas(0, 205), aggregate.Questions.Single().FreeText);
    }

    [GeneratedRegex("<li>(Idea [0-9]{3})</li>")]
    private static partial Regex IdeaItem();

    private static IntakeAnswers AnswersOf(Answer answer, Guid choice, Guid open) =>
        new(2, answer.Barriers, "A note nobody else reads", ["mon-09"], "UTC", answer.Choice is null
            ? new Dictionary<Guid, IReadOnlyList<string>> { [open] = [answer.Text] }
            : new Dictionary<Guid, IReadOnlyList<string>> { [open] = [answer.Text], [choice] = [answer.Choice] });

    private Task<T> InOrganisation<T>(Guid organisationId, Func<IServiceProvider, Task<T>> action) => app.InScopeAsync(organisationId, action);

    /// <summary>Everything a facilitator reads of the answers themselves: the aggregate's JSON and the responses page below its progress.</summary>
    private sealed record Reader(HttpClient Facilitator, HttpClient Page, Guid CycleId, TacitApp App)
    {
        public async Task<string> ReadAsync()
        {
            var json = await Facilitator.GetStringAsync($"/api/cycles/{CycleId}/intake/aggregate");
            var (status, html) = await Pages.GetAsync(Page, $"/cycles/{CycleId}/responses");
            Assert.True(HttpStatusCode.OK == status, App.ServerErrors.ToString());
            return json + "\n" + BelowProgress().Match(html).Value;
        }
    }

    [GeneratedRegex("<section aria-labelledby=\"barriers-heading\".*</main>", RegexOptions.Singleline)]
    private static partial Regex BelowProgress();
}

public sealed class IntakeAggregateSqliteTests(SqliteApp app) : IntakeAggregateTests(app), IClassFixture<SqliteApp>;

public sealed class IntakeAggregatePostgresTests(PostgresApp app) : IntakeAggregateTests(app), IClassFixture<PostgresApp>;
