using System.Security.Claims;
using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

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
    }
}
