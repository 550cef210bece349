using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tacit.Domain.Notifications;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

/// <summary>
/// Tells people something: an in-app notification that is also emailed by <see cref="NotificationMailer"/>.
/// Adding is part of the caller's unit of work, so a notification exists exactly when what it announces was saved.
/// </summary>
public sealed class Notifier(TacitDbContext db, TimeProvider clock)
{
    public void Notify(Guid personId, string text, string link, bool email = true) => db.Notifications.Add(Create(personId, text, link, email));

    /// <summary>A notification not yet added anywhere, for callers that insert many in batches.</summary>
    public Notification Create(Guid personId, string text, string link, bool email = true) =>
        new(db.CurrentOrganisationId, personId, text, link, clock.GetUtcNow(), email);

    public void Notify(IEnumerable<Guid> personIds, string text, string link, bool email = true)
    {
        foreach (var id in personIds.Distinct()) Notify(id, text, link, email);
    }
}

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

/// <summary>
/// Counts the signed-in person's unread notifications once per page request, before the page renders, so the
/// header can show it without a second query racing the page's own queries on the same database context.
/// </summary>
public sealed class UnreadCountMiddleware(RequestDelegate next)
{
    public const string ItemKey = "tacit:unread";

    public async Task InvokeAsync(HttpContext context, Inbox inbox, CurrentUser current)
    {
        // Not on the error page: the failure it shows may be the database's, and the count would fail again.
        if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api")
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null
            && current.PersonId is { } me)
        {
            context.Items[ItemKey] = await inbox.UnreadForHeaderAsync(me, context.RequestAborted);
        }
        await next(context);
    }
}
