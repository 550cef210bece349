using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Tacit.Web.Tests.Api;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// No form a page sends answers 5xx, whatever a field holds. The forms are found, not listed: the pages are crawled from
/// their links as the organisation's admin (also a facilitator), as a member (ada, with offers, sessions and an intake
/// to answer) and as nobody (sign-in, sign-up, forgot and reset password, an invitation link, email confirmations), on
/// the <see cref="OpenApiFuzzStage"/>. Every form found (Blazor's POST forms with their handler and antiforgery token,
/// and plain GET forms) is sent with each field in turn missing or holding one of <see cref="OddValues"/> (NUL both
/// form-encoded, which the framework refuses before the page, and multipart, which reaches it), the other
/// fields as the page rendered them or, where it left them empty, with what a person would type (<see cref="Plausible"/>);
/// and every page that has a form is sent an unknown handler.
/// </summary>
public abstract partial class PageFormFuzzTests(TacitApp app)
{
    /// <summary>How many pages of one shape (<c>/cycles/{id}</c>) are read: the stage's cycles are in four different states.</summary>
    private const int PagesPerShape = 4;

    private const int MaxPagesPerVisitor = 120;

    private static readonly string Huge = new('x', 100_000);

    /// <summary>What each field holds in turn (null: the field is missing), and whether a form is expected to refuse it whatever the field.</summary>
    private static readonly (string Tries, string? Value, bool Refused)[] OddValues =
    [
        ("missing", null, true), ("NUL", "a\0b", true), (NulInMultipart, "a\0b", true), ("control characters", "\u0001\u001b\u007f", true), ("100 kB", Huge, true),
        ("empty", "", true), ("whitespace", " \t  ", true),
        ("an impossible date", "2025-02-30", false), ("year 9999", "9999-12-31T23:59", false), ("year 1", "0001-01-01", false),
        ("a negative number", "-1", false), ("a number too big", "99999999999", false), ("1e300", "1e300", false),
        ("not a guid", "not-a-guid", false), ("the empty guid", Guid.Empty.ToString(), false), ("other characters", "Zoë 🙂 日本語 <b>'\";--", false),
    ];

    /// <summary>A form-encoded body cannot carry NUL (the framework refuses it before the page); a multipart one can.</summary>
    private const string NulInMultipart = "NUL, sent as multipart";

    /// <summary>Forms that would end the fuzzer's own session; the same forms are fuzzed on another person's page.</summary>
    private static bool EndsOwnSession(PageForm form, Guid me) =>
        form.Handler == "signout" || (form.Page == $"/people/{me}/edit" && form.Handler is "admin" or "activation");

    [Fact]
    public async Task No_form_answers_5xx_whatever_its_fields_hold()
    {
        var stage = await OpenApiFuzzStage.SetUpAsync(app);
        var adminId = stage.Organisation.Admin.Id;
        var admin = await Pages.SignedInClientAsync(app, stage.Organisation.Admin.Email, CycleScenario.Password);
        var anonymousSeeds = await LinksAnyoneFollowsAsync(admin, stage);
        var plausibleEmail = stage.People.Email("eve");
        var failures = new List<string>();
        var unreached = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();

        var visitors = new (string Who, Func<Task<HttpClient>> Client, bool FreshClientPerRequest, string[] Seeds)[]
        {
            ("nobody", () => Task.FromResult(NewClient()), true, ["/", "/signin", "/signup", "/forgot-password", .. anonymousSeeds]),
            ("ada", () => Task.FromResult(stage.Member), false, ["/"]),
            ("the admin", () => Task.FromResult(admin), false, ["/", "/settings", "/settings/audit", "/people/invitations", "/skills/merge", "/skills/new", "/people/new"]),
        };
        var forms = 0;
        foreach (var (who, clientFor, fresh, seeds) in visitors)
        {
            var client = await clientFor();
            var pages = await CrawlAsync(client, seeds, failures);
            foreach (var (page, html) in pages)
            {
                var pageForms = PageForms.Read(page, html).Where(f => !EndsOwnSession(f, adminId)).ToList();
                if (pageForms.Any(f => f.IsPost))
                {
                    var form = pageForms.First(f => f.IsPost);
                    await SendAsync(fresh ? NewClient() : client, form, Replaced(form, PageForm.HandlerField, "no-such-form"), $"{who}: {form} with an unknown handler");
                }
                forms += pageForms.Count;
                var reached = new HashSet<PageForm>();
                // Values a form refuses first, across the page's forms, then those it may take: a form that one of them
                // changes (a suggestion approved) leaves the page's other forms (merge, reject) tried with most of them.
                foreach (var pass in new[] { OddValues.Where(v => v.Refused), OddValues.Where(v => !v.Refused) })
                    foreach (var form in pageForms)
                        foreach (var field in form.Editable)
                            foreach (var (tries, value, _) in pass.Where(v => form.IsPost || v.Tries != NulInMultipart))
                            {
                                var target = form;
                                if (fresh)
                                {
                                    // Nobody's forms may sign the client in (an invitation accepted): each try starts as nobody again.
                                    client = NewClient();
                                    target = Same(form, PageForms.Read(page, (await Pages.GetAsync(client, page)).Html)) ?? form;
                                }
                                if (await SendAsync(client, target, Replaced(Plausible(target, plausibleEmail), field, value), $"{who}: {form} with {field} {tries}",
                                        multipart: tries == NulInMultipart) != HttpStatusCode.BadRequest)
                                    reached.Add(form);
                            }
                // A form that every try was refused as malformed (400) was never reached, unless it is gone from the page now.
                var now = PageForms.Read(page, (await Pages.GetAsync(client, page)).Html);
                unreached.AddRange(pageForms.Where(f => f.Editable.Any() && !reached.Contains(f) && Same(f, now) is not null).Select(f => $"{who}: {f}"));
            }
        }

        Assert.True(failures.Count == 0 && unreached.Count == 0,
            $"Of {sent} requests to {forms} forms in {clock.Elapsed.TotalSeconds:0} s, {failures.Count} answered 5xx:\n{string.Join("\n", failures)}\n\n"
            + $"Forms whose every request was refused as malformed (400), so the fuzzer never reached them:\n{string.Join("\n", unreached)}");

        async Task<HttpStatusCode> SendAsync(HttpClient client, PageForm form, IEnumerable<FormField> fields, string what, bool multipart = false)
        {
            var errorsBefore = app.ServerErrors.All.Count;
            using var request = form.Request(fields, multipart);
            using var response = await client.SendAsync(request);
            sent++;
            if ((int)response.StatusCode >= 500)
            {
                var logged = string.Join(" | ", app.ServerErrors.All.Skip(errorsBefore).Select(e => Short(e.ReplaceLineEndings(" "))));
                failures.Add($"{what}: {(int)response.StatusCode} {logged}");
            }
            return response.StatusCode;
        }
    }

    /// <summary>The links people are mailed: an invitation (to a newcomer the admin invites), a sign-in address to confirm, a password reset.</summary>
    private async Task<string[]> LinksAnyoneFollowsAsync(HttpClient admin, OpenApiFuzzStage stage)
    {
        var newcomer = await stage.Admin.PostAsJsonAsync("/api/people", new { email = $"newcomer@{stage.People.Slug}.example", displayName = "Newcomer" })
            .ReadAsync<Tacit.Web.Features.People.PersonDto>(HttpStatusCode.Created);
        (await Pages.PostFormAsync(admin, $"/people/{newcomer.Id}", "invite", new Dictionary<string, string>())).EnsureSuccessStatusCode();
        var invitation = MailedLink().Match(await app.Mail.WaitForMailToAsync(newcomer.Email, "/invitation/")).Groups[1].Value;
        return [invitation, "/reset-password?email=ada%40example.com&code=x", "/confirm-email?account=x&email=y&code=z", "/signup/confirm?code=x"];
    }

    /// <summary>The pages a visitor reaches by links from the seeds, a few of each shape; a page that answers 5xx is a failure too.</summary>
    private static async Task<List<(string Page, string Html)>> CrawlAsync(HttpClient client, IEnumerable<string> seeds, List<string> failures)
    {
        var queue = new Queue<string>(seeds);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ofShape = new Dictionary<string, int>(StringComparer.Ordinal);
        var pages = new List<(string, string)>();
        while (queue.TryDequeue(out var page) && pages.Count < MaxPagesPerVisitor)
        {
            if (!seen.Add(page) || !Crawlable(page)) continue;
            var shape = AnId().Replace(page.Split('?')[0], "{id}");
            if (ofShape.GetValueOrDefault(shape) >= PagesPerShape) continue;
            ofShape[shape] = ofShape.GetValueOrDefault(shape) + 1;
            using var response = await client.GetAsync(page);
            if ((int)response.StatusCode >= 500) failures.Add($"GET {page}: {(int)response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            var html = await response.Content.ReadAsStringAsync();
            pages.Add((page, html));
            foreach (var link in PageForms.Links(html)) queue.Enqueue(link);
        }
        return pages;
    }

    /// <summary>Pages, not the API, files, downloads or signing out.</summary>
    private static bool Crawlable(string path) =>
        !path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/openapi", StringComparison.Ordinal)
        && !path.StartsWith("/signout", StringComparison.Ordinal) && !path.StartsWith("/_", StringComparison.Ordinal)
        && !Path.HasExtension(path.Split('?')[0]);

    /// <summary>The form's fields with <paramref name="field"/> holding <paramref name="value"/> (once, however often it was there), or missing when null.</summary>
    private static IEnumerable<FormField> Replaced(PageForm form, string field, string? value)
    {
        var replaced = false;
        foreach (var f in form.Fields)
        {
            if (f.Name != field) yield return f;
            else if (value is not null && !replaced)
            {
                replaced = true;
                yield return f with { Value = value };
            }
        }
        if (value is not null && !replaced) yield return new FormField(field, value, "text");
    }

    /// <summary>
    /// The form with what a person would type in each field the page left empty, by its kind, so that a request with one
    /// odd field gets past the others to the code behind the form: an address (of someone in the organisation), a
    /// password that is nobody's, a date a week ahead, a number, a word, a small CSV file.
    /// </summary>
    private static PageForm Plausible(PageForm form, string email)
    {
        var day = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return form with
        {
            Fields = [.. form.Fields.Select(f => f.Value.Length > 0 || f.Type is "hidden" or "checkbox" or "radio" or "submit" ? f : f with
            {
                Value = f.Type switch
                {
                    "email" => email,
                    "password" => "not-anybodys-password",
                    "number" or "range" => "1",
                    "date" => day,
                    "datetime-local" => $"{day}T10:00",
                    "time" => "10:00",
                    "file" => $"name,email\nFuzz Person,fuzz.person@fuzz.example\n",
                    _ => "Fuzz",
                },
            })],
        };
    }

    /// <summary>The form of the same handler (and method, and place among the page's GET forms) in a page read again, if it is still there.</summary>
    private static PageForm? Same(PageForm form, IReadOnlyList<PageForm> forms) =>
        forms.FirstOrDefault(f => f.Handler == form.Handler && f.IsPost == form.IsPost && f.Action == form.Action);

    private HttpClient NewClient() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex AnId();

    [GeneratedRegex(@"http://127\.0\.0\.1(/invitation/[0-9a-f]+)")]
    private static partial Regex MailedLink();
}

public sealed class PageFormFuzzSqliteTests(SqliteApp app) : PageFormFuzzTests(app), IClassFixture<SqliteApp>;

public sealed class PageFormFuzzPostgresTests(PostgresApp app) : PageFormFuzzTests(app), IClassFixture<PostgresApp>;
