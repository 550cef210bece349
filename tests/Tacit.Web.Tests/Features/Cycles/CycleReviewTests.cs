using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Cycles;

public abstract class CycleReviewTests(TacitApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    private static NextCycleWrite NextCycle() => new("Autumn", Today.AddDays(7), Today.AddDays(21), Today.AddDays(22));

    [Fact]
    public async Task The_review_counts_what_happened_thanks_everyone_and_the_next_cycle_carries_the_unmet_wants()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var id = (await org.Cycles.PublishedCycleAsync()).Id;
        var offer = await org.OfferOfAsync("sales1");
        var (teacher, learner, learnerName) = (offer.Teacher, offer.Learner, offer.LearnerName);
        var sessionId = (await offer.BookAsync(new DateTimeOffset(TimeProvider.System.GetUtcNow().AddDays(2).UtcDateTime.Date.AddHours(9), TimeSpan.Zero))).Id;
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, TimeProvider.System.GetUtcNow().AddDays(-2))));
        await learner.PutAsJsonAsync($"/api/sessions/{sessionId}/feedback/me", new { happened = true, usefulness = 4, learned = "Pivot tables and anchoring" })
            .ExpectAsync(HttpStatusCode.OK);
        await teacher.PutAsJsonAsync($"/api/sessions/{sessionId}/feedback/me", new { happened = true, wentWell = "Sharp questions on pivot tables" }).ExpectAsync(HttpStatusCode.OK);
        var commitment = await learner.PostAsJsonAsync($"/api/sessions/{sessionId}/commitments", new { text = "Rebuild the forecast", dueOn = Today.AddDays(7) })
            .ReadAsync<CommitmentDto>(HttpStatusCode.Created);
        await learner.PostAsJsonAsync($"/api/commitments/{commitment.Id}/status", new { status = "done" }).ExpectAsync(HttpStatusCode.OK);
        var declined = await org.OfferOfAsync("sales2");
        await declined.Teacher.PostAsJsonAsync($"/api/offers/{declined.Offer.Id}/decline", new { reason = "Away" }).ExpectAsync(HttpStatusCode.OK);

        var review = await org.Facilitator.GetJsonAsync<CycleReviewDto>($"/api/cycles/{id}/review");
        var proposed = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers.CountAsync(o => o.CycleId == id));
        Assert.Equal((proposed, 1, 1, 1), (review.Offers.Proposed, review.Offers.Offered, review.Offers.Accepted, review.Offers.Declined));
        Assert.Equal((1, 1, 0), (review.Sessions.Booked, review.Sessions.Held, review.Sessions.Cancelled));
        Assert.Equal((1, (double?)4.0, 1), (review.Usefulness.Ratings, review.Usefulness.Average, review.Usefulness.CountsOneToFive[3]));
        Assert.Equal((1, 1), (review.Commitments.Made, review.Commitments.Done));
        var themes = review.Themes.Select(t => (t.Word, t.Mentions)).ToList();
        Assert.Contains(("pivot", 2), themes);
        Assert.Contains(("tables", 2), themes);
        Assert.DoesNotContain(themes, t => t.Word == "anchoring"); // said once only
        Assert.Equal([(learnerName, 1, 0), ("sales1", 0, 1)], review.Acknowledgements.Select(a => (a.Name, a.SessionsLearned, a.SessionsTaught)));
        Assert.True(review.UnmetWants >= 1); // finance1's want nobody shares, at least

        // Facilitators only, and only their own organisation's cycle.
        await learner.GetAsync($"/api/cycles/{id}/review").ExpectAsync(HttpStatusCode.Forbidden);
        var other = await app.CreateOrganisationAsync("other-" + Guid.NewGuid().ToString("N")[..8]);
        var outsider = await app.ClientWithTokenAsync(other.Organisation.Id, Roles.Facilitator);
        await outsider.GetAsync($"/api/cycles/{id}/review").ExpectAsync(HttpStatusCode.NotFound);
        await outsider.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()).ExpectAsync(HttpStatusCode.NotFound);
        await outsider.GetAsync($"/api/cycles/{id}/review/attendance").ExpectAsync(HttpStatusCode.NotFound);
        await outsider.PutAsJsonAsync($"/api/cycles/{id}/review/attendance", new { personIds = Array.Empty<Guid>() }).ExpectAsync(HttpStatusCode.NotFound);

        // The next cycle starts from the review, once, and carries the unmet wants (the learners are told).
        await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()).ExpectAsync(HttpStatusCode.Conflict);
        await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Cycles.Where(c => c.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ReviewDate, Today)));
        Guid[] attended = [org[learnerName], org["sales1"]];
        await org.Facilitator.PutAsJsonAsync($"/api/cycles/{id}/review/attendance", new { personIds = attended }).ExpectAsync(HttpStatusCode.Conflict);
        await org.Facilitator.PostAsync($"/api/cycles/{id}/start-review", null).ExpectAsync(HttpStatusCode.OK);

        // Who attended the review meeting: people of the organisation only; each gets one xAPI "attended" statement, never two.
        var attendance = $"/api/cycles/{id}/review/attendance";
        await org.Facilitator.PutAsJsonAsync(attendance, new { personIds = new[] { org["sales2"], Guid.NewGuid() } }).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty(await org.Facilitator.GetJsonAsync<List<ReviewAttendeeDto>>(attendance));
        var listed = await org.Facilitator.PutAsJsonAsync(attendance, new { personIds = attended }).ReadAsync<List<ReviewAttendeeDto>>(HttpStatusCode.OK);
        Assert.Equal(attended.Order(), listed.Select(a => a.PersonId).Order());
        await org.Facilitator.PutAsJsonAsync(attendance, new { personIds = new[] { org["sales1"] } }).ExpectAsync(HttpStatusCode.OK);
        await org.Facilitator.PutAsJsonAsync(attendance, new { personIds = attended }).ExpectAsync(HttpStatusCode.OK);
        var statements = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Set<Tacit.Web.Features.Xapi.XapiStatement>()
            .Where(s => s.Json.Contains($"/cycles/{id}/review\"")).Select(s => s.Json).ToListAsync());
        Assert.Equal(2, statements.Count);
        Assert.All(statements, json => Assert.Contains("http://adlnet.gov/expapi/verbs/attended", json, StringComparison.Ordinal));
        Assert.Contains(statements, json => json.Contains(org.Email("sales1"), StringComparison.Ordinal));
        await learner.GetAsync(attendance).ExpectAsync(HttpStatusCode.Forbidden);
        // The review page ticks who attended, and saving the form keeps the list it shows.
        var admin = await org.SignInAsync("admin");
        var reviewPage = await Pages.GetAsync(admin, $"/cycles/{id}/review");
        Assert.Contains($"id=\"attended-{org["sales1"]}\" name=\"Attendance.Attended\" value=\"{org["sales1"]}\" checked", reviewPage.Html, StringComparison.Ordinal);
        var saved = await Pages.PostFormAsync(admin, $"/cycles/{id}/review", "attendance",
            new Dictionary<string, string> { ["Attendance.Saved"] = "true", ["Attendance.Attended"] = org["sales1"].ToString() });
        Assert.Contains("Saved: 1 person attended the review.", WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal([org["sales1"]], (await org.Facilitator.GetJsonAsync<List<ReviewAttendeeDto>>(attendance)).Select(a => a.PersonId));

        await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", new NextCycleWrite("", Today, Today, Today))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var next = await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()).ReadAsync<NextCycleDto>(HttpStatusCode.Created);
        Assert.Equal(("Autumn", CycleState.Draft), (next.Cycle.Name, next.Cycle.State));
        Assert.Equal(review.UnmetWants, next.CarriedWants);
        var carried = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().CarriedWants.Where(w => w.CycleId == next.Cycle.Id)
            .Select(w => new { w.LearnerId, w.SkillId, w.FromCycleId }).ToListAsync());
        Assert.Contains(carried, w => w.LearnerId == org["finance1"] && w.SkillId == org.Unshared && w.FromCycleId == id);
        Assert.DoesNotContain(carried, w => w.LearnerId == org[learnerName] && w.SkillId == org.Wanted); // that one was held
        // A want whose offer is still open is being met: it is not carried.
        var open = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Offers
            .Where(o => o.CycleId == id && (o.Status == OfferStatus.Pending || o.Status == OfferStatus.Offered)).ToListAsync());
        Assert.NotEmpty(open);
        Assert.DoesNotContain(carried, w => open.Any(o => o.LearnerIds.Contains(w.LearnerId) && o.SkillId == w.SkillId));
        var finance1 = await org.SignInAsync("finance1");
        var carriedNotice = (await finance1.GetJsonAsync<Page<NotificationDto>>("/api/notifications")).Items.First(n => n.Text.Contains("carried over to \"Autumn\"", StringComparison.Ordinal));
        // Its link opens for the learner (it once led to the facilitators' list, "Not allowed").
        Assert.Equal($"/cycles/{next.Cycle.Id}/me", carriedNotice.Link);
        Assert.Equal(HttpStatusCode.OK, (await Pages.GetAsync(finance1, carriedNotice.Link)).Status);
        await org.Facilitator.PostAsJsonAsync($"/api/cycles/{id}/next", NextCycle()).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(next.Cycle.Id, (await org.Facilitator.GetJsonAsync<CycleReviewDto>($"/api/cycles/{id}/review")).NextCycleId);

        // The pages: the review with its acknowledgement list, and the printable agenda.
        var page = await admin.GetStringAsync($"/cycles/{id}/review");
        Assert.Contains("Acknowledgements", page, StringComparison.Ordinal);
        Assert.Contains($"/cycles/{next.Cycle.Id}", page, StringComparison.Ordinal);
        var agenda = await admin.GetStringAsync($"/cycles/{id}/review/agenda");
        Assert.Contains("Review meeting", agenda, StringComparison.Ordinal);
        Assert.Contains("sales1 (taught 1)", agenda, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/cycles/{Guid.NewGuid()}/review")).StatusCode);

        // Closing ends what is still open: an offer nobody answered expires, both sides are told, and no time can follow.
        var stillOpen = await org.OfferOfAsync("sales3", OfferStatus.Pending);
        await org.Facilitator.PostAsync($"/api/cycles/{id}/close", null).ExpectAsync(HttpStatusCode.OK);
        var ended = (await stillOpen.Teacher.GetJsonAsync<List<OfferDto>>("/api/offers")).Single(o => o.Id == stillOpen.Offer.Id);
        Assert.Equal(OfferStatus.Expired, ended.Status);
        await stillOpen.Teacher.PostAsJsonAsync($"/api/offers/{stillOpen.Offer.Id}/offer", new { times = new[] { TimeProvider.System.GetUtcNow().AddDays(3) } })
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains(await stillOpen.Teacher.NotificationTextsAsync(), t => t.Contains("has closed, so your offer to share Negotiation has ended", StringComparison.Ordinal));
        Assert.Contains(await stillOpen.Learner.NotificationTextsAsync(), t => t.Contains("has closed, so your match to learn Negotiation has ended", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await stillOpen.Learner.GetAsync($"/cycles/{id}/me")).StatusCode);
    }
}

public sealed class CycleReviewSqliteTests(SqliteApp app) : CycleReviewTests(app), IClassFixture<SqliteApp>;

public sealed class CycleReviewPostgresTests(PostgresApp app) : CycleReviewTests(app), IClassFixture<PostgresApp>;
