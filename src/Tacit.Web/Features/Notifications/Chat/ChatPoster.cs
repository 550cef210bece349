using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Tacit.Web.Features.Webhooks;

namespace Tacit.Web.Features.Notifications.Chat;

/// <summary>One notification as a chat message shows it: its sentence and the page where the person acts.</summary>
public sealed record ChatItem(string Text, string Url);

/// <summary>
/// Posts a person's notifications to their Slack or Teams webhook: Slack's incoming-webhook JSON (a text fallback and a
/// section block per notification with a link), or a Teams Workflows message with an Adaptive Card (a text block per
/// notification and an "Open" action for the first). Any answer but 2xx, a timeout or a refused connection is a failure
/// the caller falls back to email for.
/// </summary>
public sealed class ChatPoster(IDataProtectionProvider protection, IOptions<WebhookOptions> webhooks, ILogger<ChatPoster> logger) : IDisposable
{
    private readonly HttpClient http = WebhookAddresses.Client(webhooks.Value.AllowPrivateAddresses, webhooks.Value.Timeout, "Tacit-Chat/1.0");

    public async Task<bool> TryPostAsync(ChatDelivery delivery, string subject, IReadOnlyList<ChatItem> items, CancellationToken ct)
    {
        try
        {
            var url = protection.CreateProtector(ChatDeliveries.Purpose).Unprotect(delivery.ProtectedUrl);
            var body = delivery.Kind == ChatKind.Teams ? Teams(subject, items) : Slack(subject, items);
            using var response = await http.PostAsync(url, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
            if (response.IsSuccessStatusCode) return true;
            logger.LogWarning("A {Kind} webhook answered {Status}; the notification goes by email.", delivery.Kind, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Security.Cryptography.CryptographicException)
        {
            // Never the address in the log: it is the channel's key.
            logger.LogWarning("Posting to a {Kind} webhook failed ({Error}); the notification goes by email.", delivery.Kind, e.GetType().Name);
        }
        return false;
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as markup: they are escaped in what people wrote.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static JsonObject Slack(string subject, IReadOnlyList<ChatItem> items) => new()
    {
        ["text"] = subject,
        ["blocks"] = new JsonArray([
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = subject } },
            .. items.Select(i => (JsonNode)new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"{Escape(i.Text)}\n<{i.Url}|Open in Tacit>" },
            })]),
    };

    public static JsonObject Teams(string subject, IReadOnlyList<ChatItem> items) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["contentUrl"] = null,
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JsonArray([
                    new JsonObject { ["type"] = "TextBlock", ["text"] = subject, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                    .. items.Select(i => (JsonNode)new JsonObject { ["type"] = "TextBlock", ["text"] = i.Text, ["wrap"] = true })]),
                ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in Tacit", ["url"] = items[0].Url }),
            },
        }),
    };

    public void Dispose() => http.Dispose();
}
