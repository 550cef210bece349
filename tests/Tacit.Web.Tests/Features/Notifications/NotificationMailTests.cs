using Microsoft.Extensions.Options;
using MimeKit;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Offers;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Tests.Features.Notifications;

/// <summary>Mail people want: one mail for what happened together, subjects that fit whole, times in the reader's zone, both parts.</summary>
public abstract class NotificationMailTests(TacitApp app)
{
    [Fact]
    public async Task What_one_action_tells_a_person_arrives_as_one_mail_with_a_button_for_each_page_and_a_plain_text_part()
    {
        var created = await app.CreateOrganisationAsync("gather-" + Guid.NewGuid().ToString("N")[..8]);
        await app.InScopeAsync(created.Organisation.Id, async sp =>
        {
            var notifier = sp.GetRequiredService<Notifier>();
            notifier.Notify(created.Admin.Id, "Sam cannot go ahead with the session on Negotiation. Tacit looks for someone else.", "/offers");
            notifier.Notify(created.Admin.Id, "You have been matched to learn Negotiation from Lin in \"Spring\". They will offer you a time.", "/offers");
            notifier.Notify(created.Admin.Id, "Your part in \"Spring\" has changed.", "/cycles/123/me");
            return await sp.GetRequiredService<TacitDbContext>().SaveChangesAsync();
        });

        await app.Mail.WaitForMailToAsync(created.Admin.Email, "Tacit looks for someone else");
        // The background mailer runs every few seconds: wait past its next round to see that nothing else follows.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var mail = Assert.Single(MailsTo(created.Admin.Email));
        Assert.Equal("Tacit: 3 updates for you", mail.Subject);
        Assert.Contains("Tacit looks for someone else", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("They will offer you a time", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, CountOf("http://127.0.0.1/offers", mail.TextBody!));
        Assert.Contains("http://127.0.0.1/cycles/123/me", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(">Open your offers and sessions</a>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(">Open your part in the cycle</a>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&quot;Spring&quot;", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_invitation_gives_each_person_the_time_in_their_own_zone_with_a_link_and_a_named_calendar_file()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var play = await org.OfferOfAsync("sales1");
        var learnerId = org[play.LearnerName];
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var learner = await db.People.SingleAsync(p => p.Id == learnerId);
            learner.UpdateProfile(learner.DisplayName, learner.JobTitle, learner.Department, learner.AuthorityLevel, null, "America/New_York", null);
            return await db.SaveChangesAsync();
        });
        var startsAt = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(3).AddHours(15), TimeSpan.Zero);
        const string place = "Room 4.2, or https://meet.example/abc";
        await play.Teacher.PostAsJsonAsync($"/api/offers/{play.Offer.Id}/offer", new { times = new[] { startsAt }, place = "Room 4.2\nsecond line" })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var offered = await play.Teacher.PostAsJsonAsync($"/api/offers/{play.Offer.Id}/offer", new { times = new[] { startsAt }, place }).ReadAsync<OfferDto>(HttpStatusCode.OK);
        Assert.Equal(place, offered.Place);
        Assert.Equal(place, (await play.Learner.PostAsJsonAsync($"/api/offers/{play.Offer.Id}/accept", new { time = startsAt }).ReadAsync<SessionDto>(HttpStatusCode.OK)).Place);

        var newYork = TimeZoneInfo.ConvertTime(startsAt, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var london = TimeZoneInfo.ConvertTime(startsAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        await app.Mail.WaitForMailToAsync(org.Email(play.LearnerName), "New session");
        await app.Mail.WaitForMailToAsync(org.Email("sales1"), "New session");
        var toLearner = MailsTo(org.Email(play.LearnerName)).Single(m => m.Subject?.StartsWith("New session", StringComparison.Ordinal) == true);
        var toTeacher = MailsTo(org.Email("sales1")).Single(m => m.Subject?.StartsWith("New session", StringComparison.Ordinal) == true);
        Assert.Equal($"New session: Negotiation with sales1, {newYork:ddd d MMM HH:mm} America/New_York", toLearner.Subject);
        Assert.Equal($"New session: Negotiation with sales1, {london:ddd d MMM HH:mm} Europe/London", toTeacher.Subject);
        Assert.Contains($"{newYork:dddd d MMMM yyyy, HH:mm} (America/New_York)", toLearner.TextBody, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1/offers", toLearner.TextBody, StringComparison.Ordinal);
        Assert.Contains(">Open your offers and sessions</a>", toLearner.HtmlBody, StringComparison.Ordinal);
        var attachment = Assert.Single(toLearner.Attachments.OfType<MimePart>());
        Assert.Equal($"tacit-negotiation-{startsAt:yyyy-MM-dd}.ics", attachment.FileName);
        var calendar = toLearner.BodyParts.OfType<TextPart>().Single(p => p.ContentType.MimeType == "text/calendar").Text;
        Assert.Contains("URL:http://127.0.0.1/offers", calendar, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Tacit: Negotiation with sales1", calendar, StringComparison.Ordinal);
        // Where the teacher said it happens: the invitation's LOCATION (escaped as iCalendar text), the description and the mail.
        Assert.Contains("LOCATION:Room 4.2\\, or https://meet.example/abc\n", calendar.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"Where: {place}", toLearner.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daily_digest_holds_what_can_wait_until_the_morning_and_mails_what_cannot_at_once()
    {
        var created = await app.CreateOrganisationAsync("digest-" + Guid.NewGuid().ToString("N")[..8]);
        var (orgId, me, email) = (created.Organisation.Id, created.Admin.Id, created.Admin.Email);
        Task NotifyAsync(string text, bool urgent) => app.InScopeAsync(orgId, async sp =>
        {
            sp.GetRequiredService<Notifier>().Notify(me, text, "/offers", urgent: urgent);
            return await sp.GetRequiredService<TacitDbContext>().SaveChangesAsync();
        });

        // The first mail of a person who has had none goes at once, and starts their digest day.
        await NotifyAsync("First news that can wait.", urgent: false);
        await app.Mail.WaitForMailToAsync(email, "First news that can wait");
        var next = await app.InScopeAsync(orgId, sp => sp.GetRequiredService<TacitDbContext>().People.Where(p => p.Id == me).Select(p => p.NextDigestAt).SingleAsync());
        Assert.NotNull(next);
        Assert.True(next > TimeProvider.System.GetUtcNow());

        await NotifyAsync("Second news that can wait.", urgent: false);
        await NotifyAsync("Times to choose that expire tomorrow.", urgent: true);
        await app.Mail.WaitForMailToAsync(email, "Times to choose that expire tomorrow");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.DoesNotContain(MailsTo(email), m => m.TextBody!.Contains("Second news", StringComparison.Ordinal));

        // The morning comes: the held news goes as the day's digest.
        await app.InScopeAsync(orgId, sp => sp.GetRequiredService<TacitDbContext>().People.Where(p => p.Id == me)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextDigestAt, TimeProvider.System.GetUtcNow().AddMinutes(-1))));
        await app.Mail.WaitForMailToAsync(email, "Second news that can wait");

        // Someone who wants every mail at once gets it at once, whatever their digest day says.
        var client = await Pages.SignedInClientAsync(app, email, "correct-horse-battery");
        Assert.True((await client.PutAsJsonAsync("/api/notifications/mail", new { immediately = true }).ReadAsync<MailPreference>(HttpStatusCode.OK)).Immediately);
        await client.PutAsJsonAsync("/api/notifications/mail", new { }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await NotifyAsync("Third news that can wait.", urgent: false);
        await app.Mail.WaitForMailToAsync(email, "Third news that can wait");
        Assert.True((await client.GetAsync("/api/notifications/mail").ReadAsync<MailPreference>(HttpStatusCode.OK)).Immediately);
    }

    private List<MimeMessage> MailsTo(string email) => MailMessages.To(app, email);

    private static int CountOf(string text, string within) => (within.Length - within.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;
}

public sealed class NotificationMailSqliteTests(SqliteApp app) : NotificationMailTests(app), IClassFixture<SqliteApp>;

public sealed class NotificationMailPostgresTests(PostgresApp app) : NotificationMailTests(app), IClassFixture<PostgresApp>;

/// <summary>The words of a mail, without a database: subjects, buttons and the HTML made from the text.</summary>
public sealed class MailWordingTests
{
    private static readonly LinkBuilder Links = new(Options.Create(new LinkOptions { BaseUrl = "https://tacit.example" }));

    [Fact]
    public void A_subject_is_the_first_sentence_when_it_fits_and_otherwise_what_the_mail_is_about_never_cut()
    {
        Assert.Equal("Tacit: The intake of \"Spring\" is open", NotificationMail.Compose([("The intake of \"Spring\" is open. Answer by Friday.", "/cycles/1/intake")], Links).Subject);
        var matched = NotificationMail.Compose([("You have been matched to learn Negotiation from Grace Hopper in \"Spring 2027\". They will offer you a time.", "/offers")], Links);
        Assert.Equal("Tacit: news about your offers and sessions", matched.Subject);
        Assert.Equal("Tacit: 2 updates about your offers and sessions", NotificationMail.Compose([("One.", "/offers"), ("Two.", "/offers")], Links).Subject);
        Assert.All(new[] { matched.Subject }, s => Assert.True(s.Length <= NotificationMail.SubjectMaxLength));
    }

    [Fact]
    public void The_html_part_says_what_the_text_says_escaped_with_a_named_button_for_a_link_on_its_own_line()
    {
        var html = MailHtml.FromText("Choose a new Tacit password", "Hello <b>Ada</b>,\n\nSomeone asked to reset your password; choose a new one here:\nhttps://tacit.example/reset-password?email=a%40b&code=x\n\nIgnore this otherwise.");
        Assert.StartsWith("<!DOCTYPE html><html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>Choose a new Tacit password</title>", html, StringComparison.Ordinal);
        Assert.Contains("Hello &lt;b&gt;Ada&lt;/b&gt;,", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://tacit.example/reset-password?email=a%40b&amp;code=x\"", html, StringComparison.Ordinal);
        Assert.Contains(">Choose a new password</a>", html, StringComparison.Ordinal);
        Assert.Contains("<p style=\"margin:0 0 16px;\">Someone asked to reset your password; choose a new one here:</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p style=\"margin:0 0 16px;\">Ignore this otherwise.</p>", html, StringComparison.Ordinal);
        Assert.Equal("Open Tacit", MailHtml.ActionFor(new Uri("https://tacit.example/people")));
    }
}
