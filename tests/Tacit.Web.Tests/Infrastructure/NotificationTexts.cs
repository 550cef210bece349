using Tacit.Web.Api;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Tests.Infrastructure;

public static class NotificationTexts
{
    /// <summary>What the signed-in person's notifications say, newest first (the first page).</summary>
    public static async Task<List<string>> NotificationTextsAsync(this HttpClient person) =>
        [.. (await person.GetJsonAsync<Page<NotificationDto>>("/api/notifications")).Items.Select(n => n.Text)];
}
