using Tacit.Domain.Cycles;
using Tacit.Domain.People;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>A query value a page cannot read is as if absent: the page answers, never a 500.</summary>
public abstract partial class PageQueryTests(TacitApp app)
{
    [Fact]
    public async Task Pages_answer_whatever_their_query_values_say()
    {
        var created = await app.CreateOrganisationAsync("query-" + Guid.NewGuid().ToString("N")[..8]);
        var cycleId = await new CycleScenario(app.Services, created.Organisation.Id).CycleAsync(CycleState.Draft);
        var admin = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");

        foreach (var path in new[]
        {
            "/people?page=abc", "/people?page=99999999999", "/people?page=-3", "/skills?page=abc", "/skills?decided=x",
            "/me/skills?cycle=x&welcome=yes", "/people/import?welcome=x&added=many&updated=&skipped=1e9",
            $"/cycles/{cycleId}/matching?a=x&b=99999999999", $"/cycles/{cycleId}/runs/{Guid.NewGuid()}?page=abc",
            $"/cycles/{cycleId}/responses?question=x&page=abc", $"/cycles/{cycleId}/responses?question={Guid.NewGuid()}&page=99999999999",
        })
        {
            var (status, html) = await Pages.GetAsync(admin, path);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)status}\n{app.ServerErrors}");
            Assert.DoesNotContain("Something went wrong", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_control_character_in_a_query_or_a_text_is_refused_with_a_reason_and_nothing_is_stored()
    {
        var created = await app.CreateOrganisationAsync("nul-" + Guid.NewGuid().ToString("N")[..8]);
        var member = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Member);
        var search = await member.GetAsync("/api/skills?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Contains("control character", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var admin = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Admin);
        var added = await admin.PostAsJsonAsync("/api/people", new { email = "nul@example.com", displayName = "Nu\u0000ll", authorityLevel = 4 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, added.StatusCode);
        Assert.Contains("control character", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/people?q=nul")).StatusCode);

        var signedIn = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");
        var (status, html) = await Pages.GetAsync(signedIn, "/people?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("control character", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_control_character_in_a_sign_in_or_reset_address_is_refused_with_a_reason()
    {
        var errorsBefore = app.ServerErrors.All.Count;
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // A form-encoded body cannot carry NUL: the framework refuses it, and so the whole form is refused with a reason.
        var encoded = await Pages.PostFormAsync(anonymous, "/signin", "signin",
            new Dictionary<string, string> { ["Input.Email"] = "a\0b@example.com", ["Input.Password"] = "not-anybodys-password" });
        Assert.Equal(HttpStatusCode.BadRequest, encoded.StatusCode);
        Assert.Contains("it holds a control character (such as NUL)", await encoded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A multipart one can carry it, as it can any other control character: the page refuses the address beside its field.
        foreach (var email in new[] { "a\0b@example.com", "a\u0001b@example.com" })
        {
            var (_, page) = await Pages.GetAsync(anonymous, "/signin");
            using var multipart = new MultipartFormDataContent
            {
                { new StringContent(email), "Input.Email" }, { new StringContent("not-anybodys-password"), "Input.Password" },
                { new StringContent("signin"), "_handler" },
                { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            };
            var signIn = await anonymous.PostAsync("/signin", multipart);
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Contains("Email contains a control character", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var forgot = await Pages.PostFormAsync(anonymous, "/forgot-password", "forgot", new Dictionary<string, string> { ["Input.Email"] = "a\u0001b@example.com" });
        Assert.Equal(HttpStatusCode.OK, forgot.StatusCode);
        Assert.Contains("control character", await forgot.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The address and code of a reset link come back from the page: one that is not a link's is refused as out of date.
        foreach (var email in new[] { "a\u0001b@example.com", null })
        {
            var fields = new Dictionary<string, string> { ["Input.Code"] = "x", ["Input.Password"] = "not-anybodys-password" };
            if (email is not null) fields["Input.Email"] = email;
            var reset = await Pages.PostFormAsync(anonymous, "/reset-password?email=x&code=y", "reset", fields);
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            Assert.Contains("This link is not valid any more", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.True(app.ServerErrors.All.Count == errorsBefore, app.ServerErrors.ToString());
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryToken();
}

public sealed class PageQuerySqliteTests(SqliteApp app) : PageQueryTests(app), IClassFixture<SqliteApp>;

public sealed class PageQueryPostgresTests(PostgresApp app) : PageQueryTests(app), IClassFixture<PostgresApp>;
