using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Features.CalendarFeeds;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.CalendarFeeds;

/// <summary>
/// A person's private calendar feed: every session they teach or learn in, read by ical.js with the same UIDs and
/// SEQUENCE numbers as the mailed invitations; its address is the only key, and a renewed, revoked or wrong one is a
/// plain 404.
/// </summary>
public abstract class CalendarFeedTests(TacitApp app)
{
    [Fact]
    public async Task The_feed_lists_a_persons_sessions_as_teacher_and_learner_and_calendars_read_it()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var first = await org.OfferOfAsync("sales1");
        var kept = await first.BookAsync(FinanceAndSales.AtTen(3), FinanceAndSales.AtTen(4));
        var second = await org.OfferOfAsync("sales1", OfferStatus.Pending);
        var cancelled = await second.BookAsync(FinanceAndSales.AtTen(5));
        await second.Teacher.PostAsJsonAsync($"/api/sessions/{cancelled.Id}/cancel", new { reason = "Ill, sorry" }).ExpectAsync(HttpStatusCode.OK);
        await first.Teacher.PostAsJsonAsync($"/api/sessions/{kept.Id}/reschedule", new { startsAt = FinanceAndSales.AtTen(6) }).ExpectAsync(HttpStatusCode.OK);

        Assert.False((await first.Teacher.GetJsonAsync<CalendarFeedStatus>("/api/me/calendar-feed")).Active);
        var address = await first.Teacher.PostAsync("/api/me/calendar-feed", null).ReadAsync<CalendarFeedAddress>(HttpStatusCode.OK);
        Assert.StartsWith("http", address.Url, StringComparison.Ordinal);
        var status = await first.Teacher.GetJsonAsync<CalendarFeedStatus>("/api/me/calendar-feed");
        Assert.True(status.Active);
        Assert.Equal(address.CreatedAt, status.CreatedAt!.Value, TimeSpan.FromMilliseconds(1));

        // A calendar client sends no cookie.
        using var calendarClient = app.CreateClient();
        var response = await calendarClient.GetAsync(new Uri(address.Url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Ill, sorry", ics, StringComparison.Ordinal);

        var teacherFeed = await IcalJs.ParseAsync(ics);
        Assert.Null(teacherFeed.Method);
        Assert.Equal("Tacit sessions", teacherFeed.Name);
        Assert.Equal(new[] { $"session-{kept.Id:N}@tacit", $"session-{cancelled.Id:N}@tacit" }.Order(), teacherFeed.Events.Select(e => e.Uid).Order());
        var moved = teacherFeed.Events.Single(e => e.Uid == $"session-{kept.Id:N}@tacit");
        Assert.Equal((1, "CONFIRMED", "UTC"), (moved.Sequence, moved.Status, moved.StartZone));
        Assert.Equal(FinanceAndSales.AtTen(6).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), moved.Start);
        Assert.Equal(FinanceAndSales.AtTen(6).AddMinutes(30).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), moved.End);
        Assert.Equal($"Tacit: {FinanceAndSales.WantedSkill} with sales1", moved.Summary);
        Assert.Equal([$"mailto:{org.Email(first.LearnerName)}"], moved.Attendees);
        var gone = teacherFeed.Events.Single(e => e.Uid == $"session-{cancelled.Id:N}@tacit");
        Assert.Equal((1, "CANCELLED"), (gone.Sequence, gone.Status));

        // The invitation mailed for the same session carries the same UID and SEQUENCE, so a calendar holding both updates one event.
        var invitation = await IcalJs.ParseAsync(await first.Teacher.GetStringAsync($"/api/sessions/{kept.Id}.ics"));
        Assert.Equal((moved.Uid, moved.Sequence, moved.Start), (invitation.Events[0].Uid, invitation.Events[0].Sequence, invitation.Events[0].Start));

        // The learner's own feed holds their session only.
        var learnerAddress = await first.Learner.PostAsync("/api/me/calendar-feed", null).ReadAsync<CalendarFeedAddress>(HttpStatusCode.OK);
        var learnerFeed = await IcalJs.ParseAsync(await calendarClient.GetStringAsync(new Uri(learnerAddress.Url).PathAndQuery));
        Assert.Equal([$"session-{kept.Id:N}@tacit"], learnerFeed.Events.Select(e => e.Uid));

        // Someone signed in to another organisation who opens the address reads the same feed: the address is the key,
        // and the feed's organisation, not the reader's, decides what it holds.
        var other = await app.CreateOrganisationAsync("cal-other-" + Guid.NewGuid().ToString("N")[..6]);
        var outsider = await Pages.SignedInClientAsync(app, other.AdminUser.Email!, "correct-horse-battery");
        Assert.Equal(ics.Split("DTSTAMP")[0], (await outsider.GetStringAsync(new Uri(address.Url).PathAndQuery)).Split("DTSTAMP")[0]);
        Assert.False((await outsider.GetJsonAsync<CalendarFeedStatus>("/api/me/calendar-feed")).Active);
    }

    [Fact]
    public async Task Renewed_revoked_wrong_and_leavers_addresses_are_a_plain_404()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var sam = await org.SignInAsync("sam");
        using var calendarClient = app.CreateClient();
        async Task<HttpStatusCode> FetchAsync(string url) => (await calendarClient.GetAsync(new Uri(url).PathAndQuery)).StatusCode;

        var old = await sam.PostAsync("/api/me/calendar-feed", null).ReadAsync<CalendarFeedAddress>(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(old.Url));
        Assert.Contains("BEGIN:VCALENDAR", await calendarClient.GetStringAsync(new Uri(old.Url).PathAndQuery), StringComparison.Ordinal);

        var renewed = await sam.PostAsync("/api/me/calendar-feed", null).ReadAsync<CalendarFeedAddress>(HttpStatusCode.OK);
        Assert.NotEqual(old.Url, renewed.Url);
        Assert.Equal(HttpStatusCode.NotFound, await FetchAsync(old.Url));
        Assert.Equal(HttpStatusCode.OK, await FetchAsync(renewed.Url));

        // Wrong secrets of every shape answer exactly as an address that never existed.
        var unknown = await calendarClient.GetAsync("/calendar/" + CalendarFeed.SecretPrefix + new string('a', 64) + ".ics");
        var nowhere = await calendarClient.GetAsync("/no-such-page-at-all");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(await nowhere.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        foreach (var wrong in new[] { "x", "tcal_", CalendarFeed.SecretPrefix + new string('A', 64), renewed.Url.Split('/')[^1][..^4] + "0", "..%2F..%2Fetc", "tcal_%20" })
            Assert.Equal(HttpStatusCode.NotFound, (await calendarClient.GetAsync($"/calendar/{wrong}.ics")).StatusCode);

        // A token has no person, so no feed.
        await org.Facilitator.PostAsync("/api/me/calendar-feed", null).ExpectAsync(HttpStatusCode.Forbidden);

        await sam.DeleteAsync("/api/me/calendar-feed").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, await FetchAsync(renewed.Url));
        Assert.False((await sam.GetJsonAsync<CalendarFeedStatus>("/api/me/calendar-feed")).Active);

        // A person who leaves: their feed stops at once.
        var fiona = await org.SignInAsync("fiona");
        var hers = await fiona.PostAsync("/api/me/calendar-feed", null).ReadAsync<CalendarFeedAddress>(HttpStatusCode.OK);
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        await admin.DeleteAsync($"/api/people/{org["fiona"]}").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, await FetchAsync(hers.Url));
    }

    [Fact]
    public async Task The_page_shows_the_address_once_and_revokes_it()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var sam = await org.SignInAsync("sam");
        var (status, page) = await Pages.GetAsync(sam, "/me/calendar");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("You have no calendar feed.", page, StringComparison.Ordinal);

        var made = await (await Pages.PostFormAsync(sam, "/me/calendar", "calendar-feed-renew", new Dictionary<string, string>())).Content.ReadAsStringAsync();
        var url = System.Text.RegularExpressions.Regex.Match(made, "value=\"(http[^\"]+/calendar/tcal_[0-9a-f]{64}\\.ics)\"").Groups[1].Value;
        Assert.NotEmpty(url);
        using var calendarClient = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await calendarClient.GetAsync(new Uri(url).PathAndQuery)).StatusCode);

        var (_, again) = await Pages.GetAsync(sam, "/me/calendar");
        Assert.Contains("Your feed is on", again, StringComparison.Ordinal);
        Assert.DoesNotContain("/calendar/tcal_", again, StringComparison.Ordinal);

        var revoked = await (await Pages.PostFormAsync(sam, "/me/calendar", "calendar-feed-revoke", new Dictionary<string, string>())).Content.ReadAsStringAsync();
        Assert.Contains("Your calendar feed is revoked", revoked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await calendarClient.GetAsync(new Uri(url).PathAndQuery)).StatusCode);
    }
}

public sealed class CalendarFeedSqliteTests(SqliteApp app) : CalendarFeedTests(app), IClassFixture<SqliteApp>;

public sealed class CalendarFeedPostgresTests(PostgresApp app) : CalendarFeedTests(app), IClassFixture<PostgresApp>;
