using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Tacit.Domain.Tests;

namespace Tacit.Web.Tests.Features.Account;

/// <summary>The app configured with an SMTP server: mail leaves through MailKit and arrives at a real server on loopback.</summary>
public sealed partial class SmtpMailTests(SmtpMailTests.AppWithSmtp app) : IClassFixture<SmtpMailTests.AppWithSmtp>
{
    public sealed class AppWithSmtp : TacitApp
    {
        public SmtpSink Smtp { get; } = new();

        protected override string Provider => "Sqlite";

        protected override string ConnectionString => $"Data Source={TempPath("tacit.db")};Pooling=False";

        public override TacitApp AnotherInstance(bool runsReminders) => throw new NotSupportedException("The SMTP tests need one instance.");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Smtp:Security", "None");
            builder.UseSetting("Smtp:From", "Tacit <tacit@fabrikam.example>");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_password_reset_is_sent_over_smtp_and_its_link_works()
    {
        var org = await app.CreateOrganisationAsync("smtp-" + Guid.NewGuid().ToString("N")[..6]);
        var email = org.AdminUser.Email!;

        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await Pages.PostFormAsync(client, "/forgot-password", "forgot", new Dictionary<string, string> { ["Input.Email"] = email });
        var page = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("no SMTP server", page, StringComparison.Ordinal);

        await Poll.UntilAsync(() => app.Smtp.Messages.Any(m => m.To.Contains(email)), "The reset mail");
        var message = Assert.Single(app.Smtp.Messages, m => m.To.Contains(email));
        Assert.Equal("tacit@fabrikam.example", message.From);
        Assert.Contains("Subject: Choose a new Tacit password", message.Data, StringComparison.Ordinal);
        Assert.False(Directory.Exists(app.MailFolder) && Directory.EnumerateFiles(app.MailFolder).Any(), "nothing goes to the pickup folder when SMTP is configured");

        var body = message.Data.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        var link = ResetLink().Match(body);
        Assert.True(link.Success, body);
        var (status, form) = await Pages.GetAsync(client, new Uri(link.Value).PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("Choose a new password", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_invitations_wait_while_the_mail_server_is_down_then_all_arrive_with_one_uid_and_a_rising_sequence()
    {
        var org = await app.CreateOrganisationAsync("ics-" + Guid.NewGuid().ToString("N")[..6]);
        var now = TimeProvider.System.GetUtcNow();
        // A one-to-one session a learner accepted, built through the real domain transitions (not saved).
        var session = Builders.ASession(Guid.NewGuid(), Guid.NewGuid(), new DateTimeOffset(now.AddDays(3).UtcDateTime.Date.AddHours(10), TimeSpan.Zero), now);
        var teacher = new Tacit.Web.Features.Offers.CalendarPerson("Tara Teacher", "tara@ics.example");
        var learner = new Tacit.Web.Features.Offers.CalendarPerson("Lee Learner", "lee@ics.example");
        string Invitation() => Tacit.Web.Features.Offers.SessionCalendar.Build(session, "Forecasting", teacher, [learner], now, "http://tacit.example/offers");
        var first = Invitation();
        session.Reschedule(session.TeacherId, session.StartsAt.AddDays(1), now);
        var second = Invitation();
        var mailer = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Tacit.Web.Features.Notifications.NotificationMailer>().Single();

        app.Smtp.Down = true;
        try
        {
            await app.InScopeAsync(org.Organisation.Id, async sp =>
            {
                var db = sp.GetRequiredService<Tacit.Web.Data.TacitDbContext>();
                db.OutgoingMail.Add(new Tacit.Domain.Notifications.OutgoingMail(org.Organisation.Id, learner.Email, learner.Name, "New session", "Hello", first, "REQUEST", now));
                db.OutgoingMail.Add(new Tacit.Domain.Notifications.OutgoingMail(org.Organisation.Id, learner.Email, learner.Name, "Changed", "Hello", second, "REQUEST", now.AddTicks(1)));
                return await db.SaveChangesAsync();
            });
            Assert.Equal(0, await mailer.SendBatchAsync(CancellationToken.None));
            // The background mailer may be mid-attempt too; a refused row is always given back.
            for (var i = 0; i < 40 && await PendingMailAsync(org.Organisation.Id) != 2; i++) await Task.Delay(50);
            Assert.Equal(2, await PendingMailAsync(org.Organisation.Id));
            Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Contains(learner.Email));
        }
        finally
        {
            app.Smtp.Down = false;
        }
        // The background mailer (or this call) sends both once the server is back: nothing was lost.
        await mailer.SendBatchAsync(CancellationToken.None);
        for (var i = 0; i < 200 && app.Smtp.Messages.Count(m => m.To.Contains(learner.Email)) < 2; i++) await Task.Delay(50);
        Assert.Equal(0, await PendingMailAsync(org.Organisation.Id));
        var calendars = app.Smtp.Messages.Where(m => m.To.Contains(learner.Email))
            .Select(m => MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))))
            .Select(m => m.BodyParts.OfType<MimeKit.TextPart>().Single(p => p.ContentType.MimeType == "text/calendar").Text)
            .ToList();
        // Two senders (this call and the background mailer) may deliver them in either order; SEQUENCE tells calendars which is newer.
        calendars = [.. calendars.OrderBy(c => c.Contains("SEQUENCE:1", StringComparison.Ordinal))];
        Assert.Equal(2, calendars.Count);
        string Field(string calendar, string name) => calendar.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..];
        Assert.All(calendars, c => Assert.StartsWith("BEGIN:VCALENDAR", c, StringComparison.Ordinal));
        Assert.Equal(Field(calendars[0], "UID"), Field(calendars[1], "UID"));
        Assert.Equal(("0", "1"), (Field(calendars[0], "SEQUENCE"), Field(calendars[1], "SEQUENCE")));
        Assert.Equal("REQUEST", Field(calendars[1], "METHOD"));
        Assert.NotEqual(Field(calendars[0], "DTSTART"), Field(calendars[1], "DTSTART"));
    }

    /// <summary>
    /// Whether an account uses an address decides what is mailed, and how long mailing takes; the answer waits for
    /// neither. With the mail server holding every connection, each answer comes at once, and the mails follow.
    /// </summary>
    [Fact]
    public async Task Forgot_password_and_sign_up_answer_before_any_mail_is_sent_whether_or_not_an_account_uses_the_address()
    {
        var org = await app.CreateOrganisationAsync("held-" + Guid.NewGuid().ToString("N")[..6]);
        var known = org.AdminUser.Email!;
        var unknown = $"nobody-{org.Organisation.Slug}@example.com";
        var release = new TaskCompletionSource();
        app.Smtp.Held = release.Task;
        try
        {
            var answers = new List<string>();
            foreach (var email in new[] { known, unknown })
            {
                var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                client.Timeout = TimeSpan.FromSeconds(20);
                var forgot = await Pages.PostFormAsync(client, "/forgot-password", "forgot", new Dictionary<string, string> { ["Input.Email"] = email });
                var signUp = await Pages.PostFormAsync(client, "/signup", "signup", new Dictionary<string, string>
                {
                    ["Input.Name"] = "Held", ["Input.Slug"] = $"held-{Guid.NewGuid():N}"[..20], ["Input.AdminName"] = "Ada", ["Input.AdminEmail"] = email,
                });
                answers.Add(Main(await forgot.Content.ReadAsStringAsync()) + Main(await signUp.Content.ReadAsStringAsync()).Replace(email, "ADDRESS", StringComparison.Ordinal));
            }
            Assert.Equal(answers[0], answers[1]);
            Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Contains(known) || m.To.Contains(unknown));
        }
        finally
        {
            app.Smtp.Held = null;
            release.SetResult();
        }
        await Poll.UntilAsync(() => app.Smtp.Messages.Count(m => m.To.Contains(known)) == 2 && app.Smtp.Messages.Any(m => m.To.Contains(unknown)), "The mails");
        Assert.Contains(app.Smtp.Messages, m => m.To.Contains(known) && m.Data.Contains("Subject: Someone tried to create a Tacit organisation", StringComparison.Ordinal));
        Assert.Single(app.Smtp.Messages, m => m.To.Contains(unknown));

        static string Main(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];
    }

    [Fact]
    public async Task An_invitation_link_never_reaches_the_admins_screen_even_when_the_mail_server_is_down()
    {
        var org = await app.CreateOrganisationAsync("down-" + Guid.NewGuid().ToString("N")[..6]);
        var person = await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<Tacit.Web.Features.People.PeopleAdministration>()
            .CreateAsync("newcomer@down.example", new Tacit.Web.Features.People.ProfileInput("New Comer", null, null, 3, null, null, null), null, Tacit.Domain.People.Roles.Member));
        var admin = await Pages.SignedInClientAsync(app, org.AdminUser.Email!, "correct-horse-battery");

        app.Smtp.Down = true;
        string page;
        try
        {
            page = await (await Pages.PostFormAsync(admin, $"/people/{person.Id}", "invite", new Dictionary<string, string>())).Content.ReadAsStringAsync();
        }
        finally
        {
            app.Smtp.Down = false;
        }
        Assert.Contains("Invitation sent to newcomer@down.example.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/invitation/", page, StringComparison.Ordinal);
        // The outbox sends it once the server is back.
        await Poll.UntilAsync(() => app.Smtp.Messages.Any(m => m.To.Contains("newcomer@down.example")), "The invitation");
    }

    private Task<int> PendingMailAsync(Guid organisationId) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<Tacit.Web.Data.TacitDbContext>().OutgoingMail.CountAsync(m => m.Pending));

    [GeneratedRegex(@"http://127\.0\.0\.1/reset-password\?\S+")]
    private static partial Regex ResetLink();
}
