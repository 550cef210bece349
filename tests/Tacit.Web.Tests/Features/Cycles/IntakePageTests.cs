using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Tests.Infrastructure;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// The intake page's three forms, posted as a browser does: what the person wants and shares (the same forms as My
/// skills, refusing beside the field at fault) and the questionnaire, whose ticked boxes and answers arrive as repeated fields.
/// </summary>
public abstract class IntakePageTests(TacitApp app)
{
    private const string Password = "correct-horse-battery";
    private static readonly DateOnly Today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    private async Task<(Guid Org, Guid Cycle, Guid Question, Guid Me, HttpClient Member)> OpenIntakeAsync()
    {
        var slug = "intake-" + Guid.NewGuid().ToString("N")[..8];
        var created = await app.CreateOrganisationAsync(slug, Password);
        var facilitator = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Facilitator);
        var cycle = await (await facilitator.PostAsJsonAsync("/api/cycles", new
        {
            name = "Spring", intakeOpens = Today.AddDays(-1), intakeCloses = Today.AddDays(10), matchingDate = Today.AddDays(11),
        })).Content.ReadFromJsonAsync<JsonElement>();
        var id = cycle.GetProperty("id").GetGuid();
        var question = await (await facilitator.PostAsJsonAsync($"/api/cycles/{id}/questions",
            new { text = "How do you like to learn?", kind = "multipleChoice", options = new[] { "Pairing", "Talks", "Reading" } })).Content.ReadFromJsonAsync<JsonElement>();
        foreach (var step in new[] { "start-enrolment", "open-intake" })
            Assert.Equal(HttpStatusCode.OK, (await facilitator.PostAsync($"/api/cycles/{id}/{step}", null)).StatusCode);
        var member = await Pages.SignedInClientAsync(app, $"admin@{slug}.example", Password);
        return (created.Organisation.Id, id, question.GetProperty("id").GetGuid(), created.Admin.Id, member);
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wants_and_shares_are_added_by_any_name_and_refusals_show_beside_their_field()
    {
        var (_, cycle, _, _, member) = await OpenIntakeAsync();
        var path = $"/cycles/{cycle}/intake";

        var teacher = await HtmlAsync(await Pages.PostFormAsync(member, path, "want",
            new Dictionary<string, string> { ["Want.Skill"] = "Excel", ["Want.Priority"] = "High", ["Want.PreferredTeacher"] = "nobody@example.com" }));
        Assert.Contains("<div class=\"validation-message\">Nobody in your organisation has the email nobody@example.com.</div>", teacher, StringComparison.Ordinal);

        var added = await HtmlAsync(await Pages.PostFormAsync(member, path, "want", new Dictionary<string, string> { ["Want.Skill"] = "Excel", ["Want.Priority"] = "High" }));
        Assert.Contains("Added Spreadsheets to what you want to learn.", added, StringComparison.Ordinal);
        Assert.Contains("You want to learn: Spreadsheets.", added, StringComparison.Ordinal);

        var unknown = await HtmlAsync(await Pages.PostFormAsync(member, path, "share",
            new Dictionary<string, string> { ["Share.Skill"] = "Basket weaving on Mars", ["Share.Level"] = "4", ["Share.SessionsPerCycle"] = "2", ["Share.MaxGroupSize"] = "4" }));
        Assert.Contains("<div class=\"validation-message\">There is no skill called 'Basket weaving on Mars' in the catalogue; pick one from the suggestions.</div>",
            unknown, StringComparison.Ordinal);
        Assert.Contains("You have not said what you can share yet.", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_questionnaire_saves_every_ticked_box_and_shows_what_was_sent_when_refused()
    {
        var (org, cycle, question, me, member) = await OpenIntakeAsync();
        var path = $"/cycles/{cycle}/intake";
        KeyValuePair<string, string>[] answers =
        [
            new("Form.MaxLearnerSessions", "3"), new("Form.Barriers", "NoTime"), new("Form.Barriers", "NotSureWhatToLearn"),
            new("Form.BarrierNote", "Month end"), new("Form.TimeZone", "Europe/London"), new("Form.Slots", "mon-09"), new("Form.Slots", "thu-14"),
            new($"Form.Answers[{question}]", "Pairing"), new($"Form.Answers[{question}]", "Reading"),
        ];

        var refused = await HtmlAsync(await Pages.PostFormAsync(member, path, "intake", [.. answers.Where(a => a.Key != "Form.MaxLearnerSessions"), new("Form.MaxLearnerSessions", "many")]));
        Assert.Contains("Enter a number of sessions between 0 and 10.", refused, StringComparison.Ordinal);
        Assert.Contains("Month end</textarea>", refused, StringComparison.Ordinal);

        var saved = await HtmlAsync(await Pages.PostFormAsync(member, path, "intake", answers));
        Assert.Contains("Thank you: your answers are saved.", saved, StringComparison.Ordinal);
        var mine = await app.InScopeAsync(org, sp => sp.GetRequiredService<Intake>().MineAsync(cycle, me));
        Assert.NotNull(mine);
        Assert.Equal(3, mine.MaxLearnerSessions);
        Assert.Equal(IntakeBarrier.NoTime | IntakeBarrier.NotSureWhatToLearn, mine.Barriers);
        Assert.Equal(["mon-09", "thu-14"], mine.Availability);
        Assert.Equal(["Pairing", "Reading"], mine.Answers.Single(a => a.QuestionId == question).Values);

        var again = await HtmlAsync(await member.GetAsync(path));
        Assert.Contains("Save my changes", again, StringComparison.Ordinal);
        Assert.Contains("value=\"thu-14\" checked", again, StringComparison.Ordinal);
    }
}

public sealed class IntakePageSqliteTests(SqliteApp app) : IntakePageTests(app), IClassFixture<SqliteApp>;

public sealed class IntakePagePostgresTests(PostgresApp app) : IntakePageTests(app), IClassFixture<PostgresApp>;
