using System.Net;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Tacit.Domain;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Webhooks;

namespace Tacit.Web.Tests.Features.Webhooks;

/// <summary>
/// Webhooks from the outbox to receivers on loopback that check the Standard Webhooks signature themselves: every event
/// of a cycle's life arrives signed and without what people wrote; a receiver that is down, then fails, then comes back
/// gets every event exactly once (by webhook-id) and in order; an address that keeps failing is paused, resumed and replayed.
/// </summary>
public abstract class WebhookTests(TacitApp app)
{
    /// <summary>
    /// The receiver's fixed port (its address is registered before it starts, as for a receiver that is down). The SQLite
    /// and PostgreSQL classes run at the same time, so each has its own ports: with the same ones, one class's receiver
    /// found the other's port taken.
    /// </summary>
    private int ReceiverPort(int offset) => WebhookReceiver.Port(app is PostgresApp ? offset + 3 : offset);

    private static async Task<(WebhookDto Webhook, string Secret)> SubscribeAsync(HttpClient admin, string url, params string[] events)
    {
        var created = await admin.PostAsJsonAsync("/api/webhooks", new { url, description = "Test receiver", events }).ReadAsync<CreatedWebhookDto>(HttpStatusCode.Created);
        return (created.Webhook, created.Secret);
    }

    private static Task<List<WebhookDeliveryView>> DeliveriesAsync(HttpClient admin, Guid webhookId) =>
        admin.GetJsonAsync<List<WebhookDeliveryView>>($"/api/webhooks/{webhookId}/deliveries");

    [Fact]
    public async Task A_cycles_events_arrive_signed_and_carry_no_private_text()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        await using var receiver = new WebhookReceiver(ReceiverPort(0));
        await receiver.StartAsync();
        var (webhook, secret) = await SubscribeAsync(admin, receiver.Url, [.. WebhookEventTypes.All]);
        receiver.Secret = secret;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/webhooks"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], await admin.GetStringAsync($"/api/webhooks/{webhook.Id}/deliveries"), StringComparison.Ordinal);

        var cycleId = (await org.Cycles.PublishedCycleAsync()).Id;
        var added = await admin.PostAsJsonAsync("/api/people", new { email = "newcomer@hooks.example", displayName = "Newcomer" }).ReadAsync<PersonDto>(HttpStatusCode.Created);
        await admin.DeleteAsync($"/api/people/{added.Id}").ExpectAsync(HttpStatusCode.NoContent);

        // Two learners of sales1 book, are taught and rate it well: the skill is validated by peers.
        var first = await org.OfferOfAsync("sales1");
        await first.Teacher.PostAsJsonAsync($"/api/offers/{first.Offer.Id}/offer", new { times = new[] { FinanceAndSales.AtTen(3) }, message = "PRIVATE-MESSAGE at the coffee corner" }).ExpectAsync(HttpStatusCode.OK);
        var held = await first.Learner.PostAsJsonAsync($"/api/offers/{first.Offer.Id}/accept", new { time = FinanceAndSales.AtTen(3) }).ReadAsync<SessionDto>(HttpStatusCode.OK);
        var second = await org.OfferOfAsync("sales1", OfferStatus.Pending);
        var alsoHeld = await second.BookAsync(FinanceAndSales.AtTen(4));
        await first.Teacher.PostAsJsonAsync($"/api/sessions/{alsoHeld.Id}/reschedule", new { startsAt = FinanceAndSales.AtTen(5) }).ExpectAsync(HttpStatusCode.OK);
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == held.Id || s.Id == alsoHeld.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, TimeProvider.System.GetUtcNow().AddDays(-1))));
        foreach (var (learner, session) in new[] { (first.Learner, held.Id), (second.Learner, alsoHeld.Id) })
            await learner.PutAsJsonAsync($"/api/sessions/{session}/feedback/me",
                new { happened = true, usefulness = 5, learned = "PRIVATE-LEARNED", thankYou = "PRIVATE-THANKS", thankYouIsPublic = false }).ExpectAsync(HttpStatusCode.OK);

        // Another teacher declines with a reason, and a third books and cancels with one.
        var declined = await org.OfferOfAsync("sales2");
        await declined.Teacher.PostAsJsonAsync($"/api/offers/{declined.Offer.Id}/decline", new { reason = "PRIVATE-DECLINE-REASON" }).ExpectAsync(HttpStatusCode.OK);
        var cancelled = await (await org.OfferOfAsync("sales3")).BookAsync(FinanceAndSales.AtTen(6));
        var sales3 = await org.SignInAsync("sales3");
        await sales3.PostAsJsonAsync($"/api/sessions/{cancelled.Id}/cancel", new { reason = "PRIVATE-CANCEL-REASON" }).ExpectAsync(HttpStatusCode.OK);

        await Poll.UntilAsync(() => WebhookEventTypes.All.All(t => receiver.Events.Any(e => e.Type == t)),
            "Every event type at the receiver", TimeSpan.FromSeconds(60));
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid && r.TimestampFresh, $"{r.Type} {r.WebhookId} is not signed as the specification says"));
        Assert.Equal(receiver.Requests.Count, receiver.Requests.Select(r => r.WebhookId).Distinct().Count());
        foreach (var r in receiver.Requests)
            Assert.DoesNotContain("PRIVATE", r.Body, StringComparison.Ordinal);

        Assert.Contains(receiver.Events, e => e.Type == WebhookEventTypes.PersonAdded && e.Data.GetProperty("personId").GetGuid() == added.Id);
        Assert.Contains(receiver.Events, e => e.Type == WebhookEventTypes.PersonLeft && e.Data.GetProperty("personId").GetGuid() == added.Id);
        var published = receiver.Events.Single(e => e.Type == WebhookEventTypes.CycleStateChanged && e.Data.GetProperty("to").GetString() == "published");
        Assert.Equal((cycleId, "matched"), (published.Data.GetProperty("cycleId").GetGuid(), published.Data.GetProperty("from").GetString()));
        var booked = receiver.Events.First(e => e.Type == WebhookEventTypes.SessionBooked && e.Data.GetProperty("sessionId").GetGuid() == held.Id).Data;
        Assert.Equal((FinanceAndSales.WantedSkill, $"session-{held.Id:N}@tacit", "oneToOne", org["sales1"]),
            (booked.GetProperty("skill").GetString(), booked.GetProperty("calendarUid").GetString(), booked.GetProperty("kind").GetString(), booked.GetProperty("teacherId").GetGuid()));
        Assert.Equal(FinanceAndSales.AtTen(3), booked.GetProperty("startsAt").GetDateTimeOffset());
        var moved = receiver.Events.Single(e => e.Type == WebhookEventTypes.SessionRescheduled).Data;
        Assert.Equal((alsoHeld.Id, FinanceAndSales.AtTen(5), 1), (moved.GetProperty("sessionId").GetGuid(), moved.GetProperty("startsAt").GetDateTimeOffset(), moved.GetProperty("sequence").GetInt32()));
        Assert.Equal(cancelled.Id, receiver.Events.Single(e => e.Type == WebhookEventTypes.SessionCancelled).Data.GetProperty("sessionId").GetGuid());
        Assert.Equal(declined.Offer.Id, receiver.Events.Single(e => e.Type == WebhookEventTypes.OfferDeclined).Data.GetProperty("offerId").GetGuid());
        Assert.Equal(2, receiver.Events.Count(e => e.Type == WebhookEventTypes.SessionHeld));
        Assert.Equal(2, receiver.Events.Count(e => e.Type == WebhookEventTypes.FeedbackGiven));
        var validated = receiver.Events.Single(e => e.Type == WebhookEventTypes.SkillValidated).Data;
        Assert.Equal((org["sales1"], FinanceAndSales.WantedSkill), (validated.GetProperty("personId").GetGuid(), validated.GetProperty("skill").GetString()));

        var deliveries = await DeliveriesAsync(admin, webhook.Id);
        Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryState.Delivered, 200, 1), (d.State, d.ResponseStatus, d.Attempts)));
        Assert.StartsWith("received msg_", deliveries[0].ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_is_down_then_failing_then_up_gets_every_event_once_and_in_order()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        await using var receiver = new WebhookReceiver(ReceiverPort(1));
        var (webhook, secret) = await SubscribeAsync(admin, receiver.Url, WebhookEventTypes.PersonAdded);
        receiver.Secret = secret;

        // Down: nothing listens on the port.
        var people = new List<Guid>();
        for (var i = 0; i < 3; i++)
            people.Add((await admin.PostAsJsonAsync("/api/people", new { email = $"down{i}@hooks.example", displayName = $"Down {i}" }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id);
        await Poll.UntilAsync(async () => (await DeliveriesAsync(admin, webhook.Id)).Any(d => d.Attempts >= 2), "Two refused attempts");
        var refused = (await DeliveriesAsync(admin, webhook.Id)).Single(d => d.Attempts >= 2);
        Assert.Equal((WebhookDeliveryState.Pending, (int?)null), (refused.State, refused.ResponseStatus));
        // The later events wait behind the first.
        Assert.Equal(2, (await DeliveriesAsync(admin, webhook.Id)).Count(d => d.Attempts == 0));

        // Up but failing: it takes the request, maybe acts on it, and answers 503; Tacit sends it again.
        receiver.Answer = StatusCodes.Status503ServiceUnavailable;
        await receiver.StartAsync();
        await Poll.UntilAsync(() => receiver.Requests.Count >= 1, "A request answered 503");
        people.Add((await admin.PostAsJsonAsync("/api/people", new { email = "failing@hooks.example", displayName = "Failing" }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id);
        receiver.Answer = StatusCodes.Status200OK;

        await Poll.UntilAsync(async () => (await DeliveriesAsync(admin, webhook.Id)).All(d => d.State == WebhookDeliveryState.Delivered), "Every delivery delivered");
        Assert.Equal(people, receiver.Events.Select(e => e.Data.GetProperty("personId").GetGuid()));
        Assert.True(receiver.Requests.Count > people.Count, "The failed request was sent again");
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
        var endpoint = await admin.GetJsonAsync<WebhookDto>($"/api/webhooks/{webhook.Id}");
        Assert.Equal((0, (DateTimeOffset?)null), (endpoint.ConsecutiveFailures, endpoint.PausedAt));
    }

    [Fact]
    public async Task An_address_that_keeps_failing_is_paused_then_resumed_and_a_delivery_replayed()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        await using var receiver = new WebhookReceiver(ReceiverPort(2)) { Answer = StatusCodes.Status500InternalServerError };
        await receiver.StartAsync();
        var (webhook, secret) = await SubscribeAsync(admin, receiver.Url, WebhookEventTypes.PersonAdded, WebhookEventTypes.PersonLeft);
        receiver.Secret = secret;
        var person = await admin.PostAsJsonAsync("/api/people", new { email = "paused@hooks.example", displayName = "Paused" }).ReadAsync<PersonDto>(HttpStatusCode.Created);

        await Poll.UntilAsync(async () => (await admin.GetJsonAsync<WebhookDto>($"/api/webhooks/{webhook.Id}")).PausedAt is not null, "The endpoint paused");
        var paused = await admin.GetJsonAsync<WebhookDto>($"/api/webhooks/{webhook.Id}");
        Assert.Equal(6, paused.ConsecutiveFailures);
        var tried = receiver.Requests.Count;
        Assert.Equal(6, tried);

        // Paused: nothing is sent, and a new event waits too.
        await admin.DeleteAsync($"/api/people/{person.Id}").ExpectAsync(HttpStatusCode.NoContent);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(tried, receiver.Requests.Count);

        receiver.Answer = StatusCodes.Status200OK;
        var resumed = await admin.PostAsync($"/api/webhooks/{webhook.Id}/resume", null).ReadAsync<WebhookDto>(HttpStatusCode.OK);
        Assert.Null(resumed.PausedAt);
        await Poll.UntilAsync(() => receiver.Events.Count == 2, "Both events after resuming");
        Assert.Equal([WebhookEventTypes.PersonAdded, WebhookEventTypes.PersonLeft], receiver.Events.Select(e => e.Type));

        var delivery = (await DeliveriesAsync(admin, webhook.Id)).Single(d => d.Type == WebhookEventTypes.PersonAdded);
        var before = receiver.Requests.Count;
        await admin.PostAsync($"/api/webhooks/deliveries/{delivery.Id}/replay", null).ExpectAsync(HttpStatusCode.Accepted);
        await Poll.UntilAsync(() => receiver.Requests.Count == before + 1, "The replay");
        Assert.Equal(delivery.WebhookId, receiver.Requests[^1].WebhookId);
        Assert.True(receiver.Requests[^1].SignatureValid);
        Assert.Equal(2, receiver.Events.Count);

        await admin.DeleteAsync($"/api/webhooks/{webhook.Id}").ExpectAsync(HttpStatusCode.NoContent);
        await admin.GetAsync($"/api/webhooks/{webhook.Id}").ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Subscribing_checks_the_address_and_the_events_and_is_for_admins()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        foreach (var body in new object[]
        {
            new { url = "ftp://example.com/hook", events = new[] { WebhookEventTypes.PersonAdded } },
            new { url = "not a url", events = new[] { WebhookEventTypes.PersonAdded } },
            new { url = "https://user:pass@example.com/hook", events = new[] { WebhookEventTypes.PersonAdded } },
            new { url = "https://example.com/hook", events = Array.Empty<string>() },
            new { url = "https://example.com/hook", events = new[] { "person.exploded" } },
            new { url = "", events = new[] { WebhookEventTypes.PersonAdded } },
        })
            await admin.PostAsJsonAsync("/api/webhooks", body).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await org.Facilitator.GetAsync("/api/webhooks").ExpectAsync(HttpStatusCode.Forbidden);
        await org.Facilitator.PostAsJsonAsync("/api/webhooks", new { url = "https://example.com/hook", events = new[] { WebhookEventTypes.PersonAdded } }).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(WebhookEventTypes.All.Order(), (await admin.GetJsonAsync<Dictionary<string, string>>("/api/webhooks/events")).Keys.Order());
    }

    [Fact]
    public async Task The_settings_page_shows_the_secret_once_and_lists_the_address()
    {
        var created = await app.CreateOrganisationAsync("hooks-page-" + Guid.NewGuid().ToString("N")[..6]);
        var admin = await Pages.SignedInClientAsync(app, created.AdminUser.Email!, "correct-horse-battery");
        var url = "https://hooks.example.com/tacit";
        var answer = await Pages.PostFormAsync(admin, "/settings/webhooks", "webhook",
            [new("Form.Url", url), new("Form.Description", "CRM"), new("Form.Events", WebhookEventTypes.SessionBooked), new("Form.Events", WebhookEventTypes.SessionCancelled)]);
        var html = await answer.Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "value=\"(whsec_[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(secret);
        var (status, again) = await Pages.GetAsync(admin, "/settings/webhooks");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(url, again, StringComparison.Ordinal);
        Assert.Contains("session.booked, session.cancelled", again, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);

        Assert.Contains("Give an http", await (await Pages.PostFormAsync(admin, "/settings/webhooks", "webhook", [new("Form.Url", "gopher://x"), new("Form.Events", WebhookEventTypes.SessionBooked)])).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Choose at least one event", await (await Pages.PostFormAsync(admin, "/settings/webhooks", "webhook", [new("Form.Url", url)])).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class WebhookSqliteTests(SqliteApp app) : WebhookTests(app), IClassFixture<SqliteApp>;

public sealed class WebhookPostgresTests(PostgresApp app) : WebhookTests(app), IClassFixture<PostgresApp>;

/// <summary>Which addresses a production server (private addresses not allowed) sends webhooks to.</summary>
public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public void Private_addresses_are_refused_unless_the_operator_allows_them(string url)
    {
        var refused = Assert.Throws<DomainException>(() => WebhookAddresses.Parse(url, allowPrivate: false));
        Assert.Equal("Url", refused.Field);
        Assert.Equal(new Uri(url).AbsoluteUri, WebhookAddresses.Parse(url, allowPrivate: true).AbsoluteUri);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("100.64.0.1", false)]
    [InlineData("172.15.0.1", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("224.0.0.1", false)]
    [InlineData("fe80::1", false)]
    public void Public_addresses_are_told_from_the_rest(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookAddresses.IsPublic(IPAddress.Parse(address)));
}
