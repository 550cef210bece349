using System.Security.Claims;
using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

public sealed record MailPreferenceRequest(bool? Immediately);

public static class NotificationsApi
{
    public static void MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", async (Inbox inbox, CurrentUser current, int? page, int? pageSize, CancellationToken ct) =>
                await inbox.PageAsync(current.RequirePerson(), Paging.From(page, pageSize), ct))
            .WithSummary("Your notifications, newest first (API tokens act for no person and see none).");
        notifications.MapGet("/unread-count", async (Inbox inbox, CurrentUser current, CancellationToken ct) =>
                new { unread = await inbox.UnreadAsync(current.RequirePerson(), ct) })
            .WithName("countUnreadNotifications").WithSummary("How many of your notifications are unread.");
        notifications.MapPost("/read", async (Inbox inbox, CurrentUser current, CancellationToken ct) =>
                new { marked = await inbox.MarkAllReadAsync(current.RequirePerson(), ct) })
            .WithName("markNotificationsRead").WithSummary("Marks all your notifications read.");
        notifications.MapGet("/mail", async (MailPreferences preferences, CurrentUser current, CancellationToken ct) =>
                await preferences.ReadAsync(current.RequirePerson(), ct))
            .WithName("getMailPreference").WithSummary("Whether your notifications are mailed as they happen or in one digest a day (time-critical ones always go at once).");
        notifications.MapPut("/mail", async (MailPreferenceRequest request, MailPreferences preferences, CurrentUser current, CancellationToken ct) =>
                await preferences.ChooseAsync(current.RequirePerson(), request.Immediately
                    ?? throw new Domain.DomainException("Say whether each notification is mailed at once (true) or in a daily digest (false).", "immediately"), ct))
            .WithName("setMailPreference").WithSummary("Chooses a mail for each notification (immediately: true) or a daily digest (false, the default).");
    }
}
