using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Skills;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Tests.Api;

/// <summary>
/// docs/api.md, "Retries and Idempotency-Key": a retried write gives the first answer and writes nothing more; the key
/// with another request is refused; keys are their sender's alone; a write and its stored answer commit together.
/// </summary>
public abstract class IdempotencyKeyTests(TacitApp app)
{
    [Fact]
    public async Task A_retried_post_creates_one_row_and_gives_the_first_answer_again()
    {
        var (_, admin) = await OrganisationAsync("idem-retry");
        var skill = NewSkill("Retried");

        using var first = await SendAsync(admin, HttpMethod.Post, "/api/skills", skill, "retry-1");
        using var retried = await SendAsync(admin, HttpMethod.Post, "/api/skills", skill, "retry-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retried.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, retried.Content.Headers.ContentType);
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal("true", retried.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(1, await SkillsNamedAsync(admin, "Retried"));
    }

    [Fact]
    public async Task Without_a_key_a_repeated_post_is_a_conflict_as_before()
    {
        var (_, admin) = await OrganisationAsync("idem-none");
        using var first = await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("Unkeyed"), key: null);
        using var again = await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("Unkeyed"), key: null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.False(again.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(1, await SkillsNamedAsync(admin, "Unkeyed"));
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_refused_with_422()
    {
        var (_, admin) = await OrganisationAsync("idem-other");
        await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("First body"), "reused").ExpectAsync(HttpStatusCode.Created);

        using var otherBody = await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("Second body"), "reused");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal("application/problem+json", otherBody.Content.Headers.ContentType?.MediaType);
        Assert.Contains("different request", await otherBody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The same body at another address is another request too.
        using var otherPath = await SendAsync(admin, HttpMethod.Post, "/api/wants", NewSkill("First body"), "reused");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherPath.StatusCode);
        Assert.Contains("different request", await otherPath.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await SkillsNamedAsync(admin, "Second body"));
    }

    [Fact]
    public async Task Keys_of_another_organisation_another_token_or_a_person_never_collide()
    {
        var (a, adminA) = await OrganisationAsync("idem-a");
        var (_, adminB) = await OrganisationAsync("idem-b");
        var secondTokenA = await app.ClientWithTokenAsync(a.Organisation.Id, Roles.Admin);
        var personA = await Pages.SignedInClientAsync(app, a.Admin.Email, "correct-horse-battery");

        foreach (var (client, name) in new[] { (adminA, "Shared key"), (adminB, "Shared key"), (secondTokenA, "Second token"), (personA, "A person") })
        {
            using var response = await SendAsync(client, HttpMethod.Post, "/api/skills", NewSkill(name), "same-key");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.False(response.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        }
        Assert.Equal(1, await SkillsNamedAsync(adminA, "Shared key"));
        Assert.Equal(1, await SkillsNamedAsync(adminB, "Shared key"));
        Assert.Equal(1, await SkillsNamedAsync(adminA, "Second token"));
        Assert.Equal(1, await SkillsNamedAsync(adminA, "A person"));
    }

    [Fact]
    public async Task A_refused_write_stores_nothing_and_the_key_serves_the_corrected_request()
    {
        var (_, admin) = await OrganisationAsync("idem-refused");
        var blank = NewSkill("");
        await SendAsync(admin, HttpMethod.Post, "/api/skills", blank, "fix-me").ExpectAsync(HttpStatusCode.UnprocessableEntity);
        using var again = await SendAsync(admin, HttpMethod.Post, "/api/skills", blank, "fix-me");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.False(again.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));

        await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("Corrected"), "fix-me").ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, await SkillsNamedAsync(admin, "Corrected"));
    }

    [Fact]
    public async Task A_key_in_flight_is_409_until_its_request_is_taken_to_have_died_then_a_retry_takes_it_over()
    {
        var (org, admin) = await OrganisationAsync("idem-flight");
        var created = await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("In flight"), key: null).ReadAsync<SkillSummary>(HttpStatusCode.Created);
        var rename = NewSkill("Renamed in flight");
        await SendAsync(admin, HttpMethod.Put, $"/api/skills/{created.Id}", rename, "flight").ExpectAsync(HttpStatusCode.OK);

        // As a request still running leaves its key: claimed, no answer yet.
        await SetKeyAsync(org.Organisation.Id, "flight", attemptedAgo: TimeSpan.FromSeconds(5));
        using var whileRunning = await SendAsync(admin, HttpMethod.Put, $"/api/skills/{created.Id}", rename, "flight");
        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Contains("in progress", await whileRunning.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // As an instance that died mid-request leaves it (its write rolled back with it): a retry runs and is kept.
        await SetKeyAsync(org.Organisation.Id, "flight", attemptedAgo: IdempotencyKeys.StalledAfter + TimeSpan.FromSeconds(5));
        using var takenOver = await SendAsync(admin, HttpMethod.Put, $"/api/skills/{created.Id}", rename, "flight");
        Assert.Equal(HttpStatusCode.OK, takenOver.StatusCode);
        Assert.False(takenOver.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        using var replayed = await SendAsync(admin, HttpMethod.Put, $"/api/skills/{created.Id}", rename, "flight");
        Assert.Equal("true", replayed.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
    }

    [Fact]
    public async Task A_write_whose_answer_cannot_be_stored_commits_nothing()
    {
        var (org, _) = await OrganisationAsync("idem-atomic");
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(org.Organisation.Id);
        var keys = scope.ServiceProvider.GetRequiredService<IdempotencyKeys>();
        var claim = await keys.ClaimAsync(org.Admin.Id, "atomic", new byte[32], CancellationToken.None);
        // A retry takes the key over while this request runs.
        await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().IdempotentRequests
            .Where(r => r.Key == "atomic").ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempt, Guid.NewGuid())));

        var committed = await scope.ServiceProvider.GetRequiredService<RequestTransaction>().RunAsync(async () =>
        {
            await scope.ServiceProvider.GetRequiredService<Catalogue>().CreateAsync(new SkillInput("Never stored", "Test", null, null));
            return await keys.AnswerAsync(claim, 201, "application/json", null, [1]);
        }, CancellationToken.None);

        Assert.False(committed);
        Assert.False(await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().Skills.AnyAsync(s => s.Name == "Never stored")));
    }

    [Fact]
    public async Task Keys_a_day_old_are_forgotten_by_the_sweep_and_may_be_used_again()
    {
        var (org, admin) = await OrganisationAsync("idem-expiry");
        await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("Yesterday"), "daily").ExpectAsync(HttpStatusCode.Created);
        await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().IdempotentRequests
            .Where(r => r.Key == "daily").ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, TimeProvider.System.GetUtcNow().AddMinutes(-1))));

        Assert.True(await app.InScopeAsync(Guid.Empty, sp => sp.GetRequiredService<IdempotencyKeys>().ForgetExpiredAsync(CancellationToken.None)) >= 1);
        Assert.False(await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<TacitDbContext>().IdempotentRequests.AnyAsync(r => r.Key == "daily")));
        await SendAsync(admin, HttpMethod.Post, "/api/skills", NewSkill("Today"), "daily").ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_keyed_acceptance_stores_its_reminders_once_committed_and_a_retry_books_nothing_more()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var offer = await org.OfferOfAsync("sales1");
        var time = new DateTimeOffset(TimeProvider.System.GetUtcNow().Date.AddDays(10).AddHours(10), TimeSpan.Zero);
        await SendAsync(offer.Teacher, HttpMethod.Post, $"/api/offers/{offer.Offer.Id}/offer", new { times = new[] { time } }, "offer-times").ExpectAsync(HttpStatusCode.OK);

        var session = await SendAsync(offer.Learner, HttpMethod.Post, $"/api/offers/{offer.Offer.Id}/accept", new { time }, "accept").ReadAsync<SessionDto>(HttpStatusCode.OK);
        using var retried = await SendAsync(offer.Learner, HttpMethod.Post, $"/api/offers/{offer.Offer.Id}/accept", new { time }, "accept");

        Assert.Equal(session.Id, (await retried.ReadAsync<SessionDto>(HttpStatusCode.OK)).Id);
        Assert.Equal(1, await app.QuartzTriggersAsync(org.Id, $"SessionComingUp:{session.Id:N}"));
        Assert.Equal(1, await app.QuartzTriggersAsync(org.Id, $"FeedbackDue:{session.Id:N}"));
        Assert.Equal(1, await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.CountAsync(s => s.OfferId == offer.Offer.Id)));
    }

    private async Task<(Tacit.Web.Features.Organisations.CreatedOrganisation Org, HttpClient Admin)> OrganisationAsync(string prefix)
    {
        var org = await app.CreateOrganisationAsync(prefix + "-" + Guid.NewGuid().ToString("N")[..6]);
        return (org, await app.ClientWithTokenAsync(org.Organisation.Id, Roles.Admin));
    }

    private static object NewSkill(string name) => new { name, category = "Test", description = "For the idempotency tests" };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body, string? key)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add(IdempotencyMiddleware.KeyHeader, key);
        return client.SendAsync(request);
    }

    private static async Task<int> SkillsNamedAsync(HttpClient client, string name) =>
        (await client.GetJsonAsync<Page<SkillSummary>>($"/api/skills?q={Uri.EscapeDataString(name)}&pageSize=100")).Items.Count(s => s.Name == name);

    /// <summary>Puts a key back in flight, as a request still running (or one that died) leaves it.</summary>
    private Task<int> SetKeyAsync(Guid organisationId, string key, TimeSpan attemptedAgo) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().IdempotentRequests.Where(r => r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, (int?)null).SetProperty(r => r.AttemptedAt, TimeProvider.System.GetUtcNow() - attemptedAgo)));
}

public sealed class IdempotencyKeySqliteTests(SqliteApp app) : IdempotencyKeyTests(app), IClassFixture<SqliteApp>;

public sealed class IdempotencyKeyPostgresTests(PostgresApp app) : IdempotencyKeyTests(app), IClassFixture<PostgresApp>;
