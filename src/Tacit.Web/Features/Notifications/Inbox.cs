using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Domain.Notifications;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

public sealed record NotificationDto(Guid Id, string Text, string Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>A person's own notifications: newest first, and the unread count shown in the header.</summary>
public sealed class Inbox(TacitDbContext db, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>How long the header's unread count may lag behind new notifications; reading them updates it at once.</summary>
    public static readonly TimeSpan HeaderCountFor = TimeSpan.FromSeconds(15);

    public Task<int> UnreadAsync(Guid personId, CancellationToken ct = default) =>
        db.Notifications.CountAsync(n => n.PersonId == personId && n.ReadAt == null, ct);

    /// <summary>The unread count for the header of every page, kept for a few seconds so a page view costs no query.</summary>
    public async Task<int> UnreadForHeaderAsync(Guid personId, CancellationToken ct = default)
    {
        var key = ("unread", personId);
        if (cache.TryGetValue(key, out int unread)) return unread;
        return cache.Set(key, await UnreadAsync(personId, ct), HeaderCountFor);
    }

    /// <summary>The person's notifications, newest first, a page at a time.</summary>
    public Task<Page<NotificationDto>> PageAsync(Guid personId, Paging paging, CancellationToken ct = default) =>
        db.Notifications.AsNoTracking().Where(n => n.PersonId == personId).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Select(n => new NotificationDto(n.Id, n.Text, n.Link, n.CreatedAt, n.ReadAt))
            .ToPageAsync(paging, n => n, ct);

    public Task<int> MarkAllReadAsync(Guid personId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        cache.Remove(("unread", personId));
        return db.Notifications.Where(n => n.PersonId == personId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
