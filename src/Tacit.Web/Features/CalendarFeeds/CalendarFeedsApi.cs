using Microsoft.AspNetCore.Http.HttpResults;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.CalendarFeeds;

public sealed record CalendarFeedStatus(bool Active, DateTimeOffset? CreatedAt);

/// <summary>The calendar feed itself (its secret address is its only key) and the API a person turns theirs on and off with.</summary>
public static class CalendarFeedsApi
{
    /// <summary>
    /// GET /calendar/{secret}.ics for calendar clients, which send no cookie or token. An unknown, revoked or malformed
    /// secret is the same 404 as any address that does not exist, so an answer says nothing about a feed.
    /// </summary>
    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet(CalendarFeeds.PathPrefix + "{secret}.ics", async Task<Results<ContentHttpResult, NotFound>> (string secret, CalendarFeeds feeds, HttpContext context, CancellationToken ct) =>
        {
            if (await feeds.WriteAsync(secret, ct) is not { } ics) return TypedResults.NotFound();
            // The feed is personal: no shared cache keeps it, and no search engine lists its address.
            context.Response.Headers.CacheControl = "private, no-store";
            context.Response.Headers["X-Robots-Tag"] = "noindex";
            return TypedResults.Text(ics, "text/calendar; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static void MapCalendarFeedsApi(this RouteGroupBuilder api)
    {
        var feed = api.MapGroup("/me/calendar-feed").WithTags("Calendar feed");
        feed.MapGet("/", async (CalendarFeeds feeds, CurrentUser current, CancellationToken ct) =>
            await feeds.CreatedAtAsync(current.RequirePerson(), ct) is { } created ? new CalendarFeedStatus(true, created) : new CalendarFeedStatus(false, null))
            .WithSummary("Whether you have a calendar feed, and since when (its address is shown only when made).");
        feed.MapPost("/", async (CalendarFeeds feeds, CurrentUser current, CancellationToken ct) => await feeds.RenewAsync(current.RequirePerson(), ct))
            .WithName("renewMyCalendarFeed").WithSummary("Makes your private iCalendar feed address, replacing any earlier one (which stops working). Shown once: keep it.");
        feed.MapDelete("/", async (CalendarFeeds feeds, CurrentUser current, CancellationToken ct) =>
        {
            await feeds.RevokeAsync(current.RequirePerson(), ct);
            return TypedResults.NoContent();
        }).WithSummary("Revokes your calendar feed: its address answers 404 from now on.");
    }
}
