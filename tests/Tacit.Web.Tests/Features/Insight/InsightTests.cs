using System.Globalization;
using System.Text.Json;
using Npgsql;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Insight;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.Insight;

/// <summary>
/// The insight pages' figures against a small organisation computed by hand, the group-of-five rule, who may see
/// what, the CSV files and "pass it on".
/// </summary>
public abstract class InsightTests(TacitApp app)
{
    private sealed record Org(Guid Id, string Slug, ScenarioPeople People, IReadOnlyDictionary<string, Guid> Skills);

    /// <summary>
    /// Finance f1–f6, Sales s1–s4, Ops o1–o5, and x of Legal, who has left. Tax law: wanted by f1–f5 and s1, shared by
    /// nobody. Fermentation: wanted by s1, s2. Old craft: shared only by x, wanted by o1–o5. Bartering: shared by s1,
    /// wanted by f1–f6. Tariff setting: shared by s2–s4, wanted by o1–o5. Spring holds five sessions — s1 to f1–f3 (a pair
    /// of four people), o1 to f1–f4, f6 to f5, o2 to f5, o3 to o4 — and Summer one, o1 to s3. o1 and s1 let the
    /// organisation see their teaching credit; o1 is rated 4, 4, 5, 5 and 3, s1 5 and 4.
    /// </summary>
    private async Task<Org> SeedAsync()
    {
        var slug = "insight-" + Guid.NewGuid().ToString("N")[..8];
        var org = (await app.CreateOrganisationAsync(slug)).Organisation.Id;
        string[] skillNames = ["Tax law", "Fermentation", "Old craft", "Bartering", "Tariff setting"];
        var skills = await app.InScopeAsync(org, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var made = skillNames.Select(n => new Skill(org, n, "Insight test", "", TimeProvider.System.GetUtcNow())).ToList();
            db.Skills.AddRange(made);
            await db.SaveChangesAsync();
            return made.ToDictionary(s => s.Name, s => s.Id);
        });
        var scenario = new CycleScenario(app.Services, org);
        foreach (var (prefix, department, count) in new[] { ("f", "Finance", 6), ("s", "Sales", 4), ("o", "Ops", 5) })
            for (var i = 1; i <= count; i++) scenario.Person($"{prefix}{i}", department);
        scenario.Person("x", "Legal");
        foreach (var f in Names("f", 5)) scenario.Wants(f, "Tax law");
        scenario.Wants("s1", "Tax law").Wants("s1", "Fermentation").Wants("s2", "Fermentation");
        scenario.Shares("x", "Old craft");
        foreach (var o in Names("o", 5)) scenario.Wants(o, "Old craft").Wants(o, "Tariff setting");
        scenario.Shares("s1", "Bartering");
        foreach (var f in Names("f", 6)) scenario.Wants(f, "Bartering");
        foreach (var s in new[] { "s2", "s3", "s4" }) scenario.Shares(s, "Tariff setting");
        var people = await scenario.SeedAsync();

        var now = TimeProvider.System.GetUtcNow();
        await app.InScopeAsync(org, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            (await db.People.SingleAsync(p => p.Id == people["x"])).Deactivate();
            foreach (var consenting in new[] { "o1", "s1" })
                (await db.People.SingleAsync(p => p.Id == people[consenting])).SetRecognitionVisibility(RecognitionVisibility.Organisation);
            var time = new DateTimeOffset(now.Year, now.Month, now.Day, 10, 0, 0, TimeSpan.Zero).AddDays(2);
            MatchRun Cycle(string name, DateTimeOffset createdAt)
            {
                var today = DateOnly.FromDateTime(now.UtcDateTime);
                var cycle = new Cycle(org, name, today, today.AddDays(10), today.AddDays(12), null, null, createdAt);
                cycle.StartEnrolment();
                cycle.OpenIntake();
                cycle.PublishMap(now);
                var run = new MatchRun(cycle, 1, new MatchWeights(), Guid.Empty, now);
                db.Cycles.Add(cycle);
                db.MatchRuns.Add(run);
                return run;
            }
            void Held(MatchRun run, string teacher, params string[] learners)
            {
                var proposal = new Proposal(run, people[teacher], skills["Tax law"], learners.Length > 1 ? SessionKind.Group : SessionKind.OneToOne,
                    learners.Select(l => people[l]), "", false);
                var offer = new Offer(proposal, now);
                offer.MakeOffer(people[teacher], [time], null, now, TimeSpan.FromDays(1));
                var session = offer.Accept(people[learners[0]], time, now);
                foreach (var learner in learners.Skip(1)) session.Join(offer, people[learner], now);
                db.Proposals.Add(proposal);
                db.Offers.Add(offer);
                db.Sessions.Add(session);
            }
            var spring = Cycle("Spring", now);
            Held(spring, "s1", "f1", "f2", "f3");
            Held(spring, "o1", "f1", "f2", "f3", "f4");
            Held(spring, "f6", "f5");
            Held(spring, "o2", "f5");
            Held(spring, "o3", "o4");
            Held(Cycle("Summer", now.AddMinutes(1)), "o1", "s3");
            await db.SaveChangesAsync();
            return await db.Sessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.StartsAt, now.AddDays(-2)));
        });
        await app.InScopeAsync(org, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var sessions = await db.Sessions.ToListAsync();
            void Rate(string teacher, string learner, int usefulness)
            {
                var session = sessions.Single(s => s.TeacherId == people[teacher] && s.LearnerIds.Contains(people[learner]));
                var feedback = new SessionFeedback(session, people[learner], now);
                feedback.Give(session, true, usefulness, null, null, null, false, now);
                db.SessionFeedback.Add(feedback);
            }
            foreach (var (learner, rating) in new[] { ("f1", 4), ("f2", 4), ("f3", 5), ("f4", 5), ("s3", 3) }) Rate("o1", learner, rating);
            Rate("s1", "f1", 5);
            Rate("s1", "f2", 4);
            return await db.SaveChangesAsync();
        });
        return new Org(org, slug, people, skills);
    }

    private static IEnumerable<string> Names(string prefix, int count) => Enumerable.Range(1, count).Select(i => $"{prefix}{i}");

    [Fact]
    public async Task The_figures_match_a_hand_computed_organisation_and_small_groups_show_nothing()
    {
        var org = await SeedAsync();
        var facilitator = await app.ClientWithTokenAsync(org.Id, Roles.Facilitator);

        var needs = await facilitator.GetJsonAsync<TrainingNeedsReport>("/api/insight/training-needs");
        Assert.Equal(["Tax law", "Old craft", "Fermentation"], needs.Needs.Select(n => n.Skill));
        var tax = needs.Needs[0];
        // Six want it: Finance's five are named, Sales's one is "fewer than five".
        Assert.Equal((6, false, (int?)null), (tax.Wanted, tax.SharersLeft, tax.OtherDepartments));
        Assert.Equal([new DepartmentWanting("Finance", 5)], tax.Departments);
        var old = needs.Needs[1];
        Assert.Equal((5, true, (int?)0), (old.Wanted, old.SharersLeft, old.OtherDepartments));
        var forecasting = needs.Needs[2];
        Assert.Equal((null, 0, (int?)null), (forecasting.Wanted, forecasting.Departments.Count, forecasting.OtherDepartments));

        var succession = await facilitator.GetJsonAsync<SuccessionReport>("/api/insight/succession");
        Assert.Equal([new SkillRisk(org.Skills["Bartering"], "Bartering", "Insight test", 6)], succession.FewSharers);
        Assert.Equal([new SkillRisk(org.Skills["Old craft"], "Old craft", "Insight test", 5)], succession.Left);
        Assert.Equal([new SiloedSkill(org.Skills["Tariff setting"], "Tariff setting", "Insight test", "Sales", 5)], succession.OneDepartment);

        // Ops → Finance: o1, o2 and f1–f5 (seven people, five places). Sales → Finance is s1 and f1–f3: four people, not shown.
        var network = await facilitator.GetJsonAsync<NetworkReport>("/api/insight/network");
        Assert.Equal([new DepartmentFlow("Ops", "Finance", 5, 7)], network.Flows);
        Assert.Equal(6, network.HiddenLearnings);
        Assert.Equal([("Spring", 5, 3, (int?)60), ("Summer", 1, 1, null)], network.Trend.Select(t => (t.Cycle, t.Sessions, t.CrossingSessions, t.Percent)));
        var bridge = Assert.Single(network.Bridges);
        Assert.Equal((org.People["o1"], 5, 0), (bridge.PersonId, bridge.TaughtAcross, bridge.LearnedFromAcross));
        var spring = network.Cycles.Single(c => c.Name == "Spring").Id;
        var springOnly = await facilitator.GetJsonAsync<NetworkReport>($"/api/insight/network?cycle={spring}");
        Assert.Equal(5, springOnly.HiddenLearnings);
        Assert.Empty(springOnly.Bridges);
        await facilitator.GetAsync($"/api/insight/network?cycle={Guid.NewGuid()}").ExpectAsync(HttpStatusCode.NotFound);

        // Teaching credit: o1 and s1 allow it, o2 does not; s1's two ratings make no average.
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        var credit = await admin.GetJsonAsync<List<TeacherCredit>>("/api/insight/teaching-credit");
        Assert.Equal([("o1", 2, 1.5m, 5, (decimal?)4.2m), ("s1", 1, 1m, 2, null)],
            credit.Select(c => (c.Name, c.SessionsTaught, c.Hours, c.Ratings, c.AverageUsefulness)));

        // The CSV files say the same.
        var needsCsv = (await facilitator.GetStringAsync("/api/insight/training-needs?format=csv")).Split('\n');
        Assert.Equal("skill,category,sharers_left,department,wanted", needsCsv[0]);
        Assert.Equal(["Tax law,Insight test,no,,6", "Tax law,Insight test,no,Finance,5", "Old craft,Insight test,yes,,5", "Old craft,Insight test,yes,Ops,5",
            "Fermentation,Insight test,no,,fewer than five", ""], needsCsv[1..]);
        var creditCsv = (await admin.GetStringAsync("/api/insight/teaching-credit?format=csv")).Split('\n');
        Assert.Equal($"{org.People["o1"]},o1,Ops,2,1.5,5,4.2", creditCsv[1]);
        Assert.EndsWith(",s1,Sales,1,1,2,fewer than five", creditCsv[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_are_refused_teaching_credit_is_for_admins_and_pass_it_on_starts_a_cycle()
    {
        var org = await SeedAsync();
        var member = await app.ClientWithTokenAsync(org.Id, Roles.Member);
        foreach (var path in new[] { "/api/insight/training-needs", "/api/insight/succession", "/api/insight/network", "/api/insight/teaching-credit" })
            await member.GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        await member.PostAsync($"/api/insight/succession/{org.Skills["Bartering"]}/pass-it-on", null).ExpectAsync(HttpStatusCode.Forbidden);
        var facilitator = await app.ClientWithTokenAsync(org.Id, Roles.Facilitator);
        await facilitator.GetAsync("/api/insight/teaching-credit").ExpectAsync(HttpStatusCode.Forbidden);

        // A manager (f1 manages nobody here, but managers are members) is sent to the forbidden page.
        var f1 = await Pages.SignedInClientAsync(app, $"f1@{org.Slug}.example", CycleScenario.Password);
        foreach (var page in new[] { "/insight", "/insight/network", "/insight/teaching-credit" })
        {
            using var response = await f1.GetAsync(page);
            var landed = response.RequestMessage?.RequestUri?.AbsolutePath;
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden || Pages.PathOf(response.Headers.Location).StartsWith("/forbidden", StringComparison.Ordinal) || landed == "/forbidden",
                $"{page}: {(int)response.StatusCode} {response.Headers.Location} {landed}");
        }

        // Pass it on: a draft cycle named for the skill, for the departments of its sharer (Sales) and wanters (Finance).
        var cycle = await facilitator.PostAsync($"/api/insight/succession/{org.Skills["Bartering"]}/pass-it-on", null).ReadAsync<CycleDto>(HttpStatusCode.Created);
        Assert.Equal(("Pass it on: Bartering", CycleState.Draft), (cycle.Name, cycle.State));
        var stored = await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Cycles.SingleAsync(c => c.Id == cycle.Id));
        Assert.Equal(["Finance", "Sales"], stored.Departments);
        await facilitator.PostAsync($"/api/insight/succession/{Guid.NewGuid()}/pass-it-on", null).ExpectAsync(HttpStatusCode.NotFound);

        // The pages, as the organisation's admin: the picture, its table and the "fewer than five" wording.
        var admin = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", CycleScenario.Password);
        var (status, network) = await Pages.GetAsync(admin, "/insight/network");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {app.ServerErrors}");
        Assert.Contains("<svg", network, StringComparison.Ordinal);
        Assert.Contains("Ops to Finance: 5 learner places", network, StringComparison.Ordinal);
        Assert.DoesNotContain("Sales to Finance", network, StringComparison.Ordinal);
        var (_, needs) = await Pages.GetAsync(admin, "/insight/training-needs");
        Assert.Contains("other departments fewer than five", needs, StringComparison.Ordinal);
        var (_, credit) = await Pages.GetAsync(admin, "/insight/teaching-credit");
        Assert.Contains("4.2", credit, StringComparison.Ordinal);
        Assert.DoesNotContain(">o2<", credit, StringComparison.Ordinal);

        // The page's own "pass it on" form does the same.
        var (_, succession) = await Pages.GetAsync(admin, "/insight/succession");
        Assert.Contains("Pass it on", succession, StringComparison.Ordinal);
        using var posted = await Pages.PostFormAsync(admin, "/insight/succession", $"silo-{org.Skills["Tariff setting"]:N}", new Dictionary<string, string>());
        Assert.True(posted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK, $"{posted.StatusCode}: {app.ServerErrors}");
        Assert.True(await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().Cycles.AnyAsync(c => c.Name == "Pass it on: Tariff setting")));
    }

    [Fact]
    public async Task Figures_are_held_until_someone_asks_again_while_consent_and_names_are_always_current()
    {
        var org = await SeedAsync();
        var facilitator = await app.ClientWithTokenAsync(org.Id, Roles.Facilitator);
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        using var first = await facilitator.GetAsync("/api/insight/training-needs");
        var computedAt = first.Content.Headers.LastModified;
        Assert.NotNull(computedAt);
        await admin.GetJsonAsync<List<TeacherCredit>>("/api/insight/teaching-credit");
        await facilitator.GetJsonAsync<NetworkReport>("/api/insight/network");

        // Five more of Finance want Fermentation (two wanted it), o1 is renamed and s1 withdraws their consent.
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            foreach (var f in Names("f", 5)) db.Wants.Add(new Want(org.Id, org.People[f], org.Skills["Fermentation"], Priority.Medium, "", null, TimeProvider.System.GetUtcNow()));
            (await db.People.SingleAsync(p => p.Id == org.People["o1"])).UpdateProfile("Olu One", "", "Ops", 1, "", "UTC", "");
            (await db.People.SingleAsync(p => p.Id == org.People["s1"])).SetRecognitionVisibility(RecognitionVisibility.Private);
            return await db.SaveChangesAsync();
        });

        // The held figures stand, with their time, until someone asks again...
        using var held = await facilitator.GetAsync("/api/insight/training-needs");
        Assert.Equal(computedAt, held.Content.Headers.LastModified);
        Assert.Null((await held.Content.ReadFromJsonAsync<TrainingNeedsReport>(ApiJson.Options))!.Needs.Single(n => n.Skill == "Fermentation").Wanted);
        var again = await facilitator.GetJsonAsync<TrainingNeedsReport>("/api/insight/training-needs?refresh=true");
        Assert.Equal(7, again.Needs.Single(n => n.Skill == "Fermentation").Wanted);

        // ...but a name is always today's, and someone who withdrew their consent is gone at once, CSV included.
        Assert.Equal("Olu One", Assert.Single((await facilitator.GetJsonAsync<NetworkReport>("/api/insight/network")).Bridges).Name);
        Assert.Equal(["Olu One"], (await admin.GetJsonAsync<List<TeacherCredit>>("/api/insight/teaching-credit")).Select(c => c.Name));
        Assert.DoesNotContain(",s1,", await admin.GetStringAsync("/api/insight/teaching-credit?format=csv"), StringComparison.Ordinal);

        // The pages say how old their figures are and read them again on request.
        var signedIn = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", CycleScenario.Password);
        var (_, page) = await Pages.GetAsync(signedIn, "/insight/teaching-credit");
        Assert.Contains("Figures as of", page, StringComparison.Ordinal);
        Assert.Contains("1 person taught in this period", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">s1<", page, StringComparison.Ordinal);
        using var refreshed = await Pages.PostFormAsync(signedIn, "/insight/training-needs", "refresh-figures", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Contains("less than a minute ago", await refreshed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_last_day_puts_skills_only_leavers_share_at_risk_for_admins_alone()
    {
        var org = await SeedAsync();
        var admin = await app.ClientWithTokenAsync(org.Id, Roles.Admin);
        var facilitator = await app.ClientWithTokenAsync(org.Id, Roles.Facilitator);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var s1 = org.People["s1"];

        // Only admins record it; a past day, one too far ahead or someone already gone is refused with a reason.
        await facilitator.PutAsJsonAsync($"/api/people/{s1}/leaving", new LeavingDto(today.AddDays(30))).ExpectAsync(HttpStatusCode.Forbidden);
        var refused = await admin.PutAsJsonAsync($"/api/people/{s1}/leaving", new LeavingDto(today.AddDays(-1))).ReadAsync<JsonElement>(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("from today", refused.ToString(), StringComparison.Ordinal);
        await admin.PutAsJsonAsync($"/api/people/{s1}/leaving", new LeavingDto(today.AddYears(4))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await admin.PutAsJsonAsync($"/api/people/{org.People["x"]}/leaving", new LeavingDto(today.AddDays(30))).ExpectAsync(HttpStatusCode.Conflict);
        await admin.PutAsJsonAsync($"/api/people/{Guid.NewGuid()}/leaving", new LeavingDto(today.AddDays(30))).ExpectAsync(HttpStatusCode.NotFound);

        // s1 alone shares Bartering (six want it); s2 of the three who share Tariff setting leaving is not enough.
        Assert.Equal(new LeavingDto(today.AddDays(30)), await admin.PutAsJsonAsync($"/api/people/{s1}/leaving", new LeavingDto(today.AddDays(30))).ReadAsync<LeavingDto>(HttpStatusCode.OK));
        await admin.PutAsJsonAsync($"/api/people/{org.People["s2"]}/leaving", new LeavingDto(today)).ReadAsync<LeavingDto>(HttpStatusCode.OK);
        Assert.Equal(new LeavingDto(today.AddDays(30)), await admin.GetJsonAsync<LeavingDto>($"/api/people/{s1}/leaving"));
        var seen = await admin.GetJsonAsync<SuccessionReport>("/api/insight/succession?refresh=true");
        Assert.Equal([new SkillRisk(org.Skills["Bartering"], "Bartering", "Insight test", 6)], seen.Leaving);
        Assert.Empty((await facilitator.GetJsonAsync<SuccessionReport>("/api/insight/succession")).Leaving);

        // Cleared, it is gone at the next reading; the audit log says who changed what.
        Assert.Equal(new LeavingDto(null), await admin.PutAsJsonAsync($"/api/people/{s1}/leaving", new LeavingDto(null)).ReadAsync<LeavingDto>(HttpStatusCode.OK));
        Assert.Empty((await admin.GetJsonAsync<SuccessionReport>("/api/insight/succession?refresh=true")).Leaving);
        Assert.Equal(3, await app.InScopeAsync(org.Id, sp => sp.GetRequiredService<TacitDbContext>().AuditEntries.CountAsync(a => a.Action == "person.leaving-changed")));

        // The admin's form on the profile, and the succession page's list for admins only.
        var signedIn = await Pages.SignedInClientAsync(app, $"admin@{org.Slug}.example", CycleScenario.Password);
        using var saved = await Pages.PostFormAsync(signedIn, $"/people/{s1}", "leaving", new Dictionary<string, string> { ["LeavingOn"] = today.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        Assert.Contains("Last day saved", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var wrong = await Pages.PostFormAsync(signedIn, $"/people/{s1}", "leaving", new Dictionary<string, string> { ["LeavingOn"] = "soon" });
        Assert.Contains("Give the last day as a date", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(new LeavingDto(today.AddDays(7)), await admin.GetJsonAsync<LeavingDto>($"/api/people/{s1}/leaving"));
        using var refreshed = await Pages.PostFormAsync(signedIn, "/insight/succession", "refresh-figures", new Dictionary<string, string>());
        Assert.Contains("Only people who are leaving share it", await refreshed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var f1 = await Pages.SignedInClientAsync(app, $"f1@{org.Slug}.example", CycleScenario.Password);
        var (_, profile) = await Pages.GetAsync(f1, $"/people/{s1}");
        Assert.DoesNotContain("Last day", profile, StringComparison.Ordinal);
    }
}

public sealed class InsightSqliteTests(SqliteApp app) : InsightTests(app), IClassFixture<SqliteApp>;

public sealed class InsightPostgresTests(PostgresApp app) : InsightTests(app), IClassFixture<PostgresApp>
{
    /// <summary>
    /// A report is computed without PostgreSQL's JIT, and its connection goes back to the pool as it came: connections
    /// are not reset on their return, so a session setting left on one would hold for the next request that takes it.
    /// </summary>
    [Fact]
    public async Task Computing_a_report_turns_jit_off_for_itself_only()
    {
        string serverDefault;
        await using (var server = new NpgsqlConnection(PostgresApp.ServerConnection))
        {
            await server.OpenAsync();
            await using var show = new NpgsqlCommand("SELECT current_setting('jit')", server);
            serverDefault = (string)(await show.ExecuteScalarAsync())!;
        }
        Assert.NotEqual("off", serverDefault);

        var (pid, during) = (0, "");
        await app.Services.GetRequiredService<InsightFigures>().GetAsync(Guid.NewGuid(), "jit", async (scope, ct) =>
        {
            var db = scope.GetRequiredService<TacitDbContext>();
            pid = (await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").ToListAsync(ct)).Single();
            during = (await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").ToListAsync(ct)).Single();
            return during;
        }, _ => 1, refresh: true, CancellationToken.None);
        Assert.Equal("off", during);

        // Take connections from the app's pool, holding each, until the one the report used comes back.
        var held = new List<AsyncServiceScope>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var scope = app.Services.CreateAsyncScope();
                held.Add(scope);
                var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
                await db.Database.OpenConnectionAsync();
                if ((await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").ToListAsync()).Single() != pid) continue;
                Assert.Equal(serverDefault, (await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").ToListAsync()).Single());
                return;
            }
            Assert.Fail($"The connection the report used (backend {pid}) did not come back to the pool.");
        }
        finally
        {
            foreach (var scope in held) await scope.DisposeAsync();
        }
    }
}
