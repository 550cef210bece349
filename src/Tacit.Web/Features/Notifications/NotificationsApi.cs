using System.Security.Claims;
using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

public static class NotificationsApi
{
    public static void MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", async (Inbox inbox, ClaimsPrincipal user, int? page, int? pageSize, CancellationToken ct) =>
                await inbox.Of(user.PersonId()).ToPageAsync(Paging.From(page, pageSize), n => n, ct))
            .WithSummary("Your notifications, newest first (API tokens act for no person and see none).");
        notifications.MapGet("/unread-count", async (Inbox inbox, ClaimsPrincipal user, CancellationToken ct) =>
                new { unread = await inbox.UnreadAsync(user.PersonId(), ct) })
            .WithSummary("How many of your notifications are unread.");
        notifications.MapPost("/read", async (Inbox inbox, ClaimsPrincipal user, CancellationToken ct) =>
                new { marked = await inbox.MarkAllReadAsync(user.PersonId(), ct) })
            .WithSummary("Marks all your notifications read.");
    }
}
