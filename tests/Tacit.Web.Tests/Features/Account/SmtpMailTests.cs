using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Tacit.Web.Tests.Infrastructure;

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

    [GeneratedRegex(@"http://127\.0\.0\.1/reset-password\?\S+")]
    private static partial Regex ResetLink();
}
