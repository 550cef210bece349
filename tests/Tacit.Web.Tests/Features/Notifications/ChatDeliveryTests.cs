using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using MimeKit;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Notifications.Chat;

namespace Tacit.Web.Tests.Features.Notifications;

/// <summary>
/// A person's notifications in Slack or Teams: the payload each service expects, delivered to a receiver on loopback;
/// "instead of email" sends no mail, and a chat that is down never loses a notification (the email goes).
/// </summary>
public abstract class ChatDeliveryTests(TacitApp app)
{
    /// <summary>A Slack or Teams stand-in on 127.0.0.1: it keeps every JSON body and answers with <see cref="Answer"/>.</summary>
    private sealed class ChatReceiver : IAsyncDisposable
    {
        private readonly WebApplication server;
        public ConcurrentQueue<JsonElement> Posts { get; } = new();
        public int Answer { get; set; } = StatusCodes.Status200OK;
        public string Url { get; }

        public ChatReceiver()
        {
            var port = LoopbackPort.Free();
            Url = $"http://127.0.0.1:{port}/services/T000/B000/secret";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            server = builder.Build();
            server.MapPost("/services/T000/B000/secret", async (HttpContext context) =>
            {
                using var json = await JsonDocument.ParseAsync(context.Request.Body);
                Posts.Enqueue(json.RootElement.Clone());
                return Results.Text("ok", statusCode: Answer);
            });
        }

        public Task StartAsync() => server.StartAsync();

        public async ValueTask DisposeAsync() => await server.DisposeAsync();
    }

    private async Task NotifyAsync(Guid organisationId, Guid personId, string text) => await app.InScopeAsync(organisationId, async sp =>
    {
        sp.GetRequiredService<Notifier>().Notify(personId, text, "/offers");
        return await sp.GetRequiredService<TacitDbContext>().SaveChangesAsync();
    });

    private List<MimeMessage> MailsTo(string email, string containing) =>
        [.. MailMessages.To(app, email).Where(m => m.TextBody?.Contains(containing, StringComparison.Ordinal) == true)];

    [Fact]
    public async Task Slack_gets_blocks_with_a_link_and_instead_of_email_sends_no_mail()
    {
        var created = await app.CreateOrganisationAsync("chat-" + Guid.NewGuid().ToString("N")[..8]);
        await using var slack = new ChatReceiver();
        await slack.StartAsync();
        var me = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");

        // The page's own form: a bad address is refused in place, a good one is saved and never shown again.
        var refused = await Pages.PostFormAsync(me, "/me/chat", "chat-save", new Dictionary<string, string> { ["Input.Kind"] = "Slack", ["Input.Url"] = "ftp://example.com/x" });
        Assert.Contains("Give an http:// or https:// address.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var saved = await Pages.PostFormAsync(me, "/me/chat", "chat-save", new Dictionary<string, string>
        {
            ["Input.Kind"] = "Slack", ["Input.Url"] = slack.Url, ["Input.InsteadOfEmail"] = "true",
        });
        var html = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        Assert.Contains("Saved: your notifications go to Slack instead of email.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("T000/B000", html, StringComparison.Ordinal);
        var stored = await app.InScopeAsync(created.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().Set<ChatDelivery>().SingleAsync());
        Assert.DoesNotContain("T000/B000", stored.ProtectedUrl, StringComparison.Ordinal);

        await NotifyAsync(created.Organisation.Id, created.Admin.Id, "Sam offers you times for Negotiation <today> & tomorrow.");
        await Poll.UntilAsync(() => Task.FromResult(!slack.Posts.IsEmpty), "the Slack post");
        var post = Assert.Single(slack.Posts);
        Assert.Equal("Tacit: Sam offers you times for Negotiation <today> & tomorrow", post.GetProperty("text").GetString());
        var section = post.GetProperty("blocks")[1];
        Assert.Equal(("section", "mrkdwn"), (section.GetProperty("type").GetString(), section.GetProperty("text").GetProperty("type").GetString()));
        Assert.Equal("Sam offers you times for Negotiation &lt;today&gt; &amp; tomorrow.\n<http://127.0.0.1/offers|Open in Tacit>", section.GetProperty("text").GetProperty("text").GetString());
        // The notification is handled (no longer pending) and no mail carries it.
        await Poll.UntilAsync(async () => !await app.InScopeAsync(created.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().Notifications.AnyAsync(n => n.EmailPending)), "the notification handled");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Empty(MailsTo(created.Admin.Email, "Sam offers you times"));
    }

    [Fact]
    public async Task Teams_gets_an_adaptive_card_and_a_chat_that_is_down_leaves_the_email_to_go()
    {
        var created = await app.CreateOrganisationAsync("teams-" + Guid.NewGuid().ToString("N")[..8]);
        await using var teams = new ChatReceiver();
        await teams.StartAsync();
        var client = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");
        var view = await client.PutAsJsonAsync("/api/me/chat-delivery", new { kind = "teams", url = teams.Url, insteadOfEmail = true }).ReadAsync<ChatDeliveryView>(HttpStatusCode.OK);
        Assert.Equal((true, ChatKind.Teams, true), (view.Active, view.Kind, view.InsteadOfEmail));
        await client.PutAsJsonAsync("/api/me/chat-delivery", new { kind = "discord", url = teams.Url }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        // This is about where each notification goes, not when: each goes as it happens rather than in a daily digest.
        await client.PutAsJsonAsync("/api/notifications/mail", new { immediately = true }).ExpectAsync(HttpStatusCode.OK);

        await NotifyAsync(created.Organisation.Id, created.Admin.Id, "Your session on Excel moved to Friday.");
        await Poll.UntilAsync(() => Task.FromResult(!teams.Posts.IsEmpty), "the Teams post");
        var card = Assert.Single(teams.Posts).GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", card.GetProperty("contentType").GetString());
        var content = card.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (content.GetProperty("type").GetString(), content.GetProperty("version").GetString()));
        Assert.Equal("Your session on Excel moved to Friday.", content.GetProperty("body")[1].GetProperty("text").GetString());
        Assert.Equal("http://127.0.0.1/offers", content.GetProperty("actions")[0].GetProperty("url").GetString());

        // Teams answers 500: the notification is emailed instead, once.
        teams.Answer = StatusCodes.Status500InternalServerError;
        await NotifyAsync(created.Organisation.Id, created.Admin.Id, "Your session on Excel is cancelled.");
        await app.Mail.WaitForMailToAsync(created.Admin.Email, "Your session on Excel is cancelled.");
        Assert.Equal(2, teams.Posts.Count);
        Assert.Single(MailsTo(created.Admin.Email, "Your session on Excel is cancelled."));

        // Stopped: email only again; and an erased person's chat delivery goes with them (PersonErasureTests scans every table).
        await client.DeleteAsync("/api/me/chat-delivery").ExpectAsync(HttpStatusCode.NoContent);
        Assert.False((await client.GetJsonAsync<ChatDeliveryView>("/api/me/chat-delivery")).Active);
    }
}

public sealed class ChatDeliverySqliteTests(SqliteApp app) : ChatDeliveryTests(app), IClassFixture<SqliteApp>;

public sealed class ChatDeliveryPostgresTests(PostgresApp app) : ChatDeliveryTests(app), IClassFixture<PostgresApp>;
