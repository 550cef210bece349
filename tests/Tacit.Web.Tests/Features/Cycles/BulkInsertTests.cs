using System.Collections;
using System.Globalization;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Notifications;
using Tacit.Domain.Offers;
using Tacit.Web.Features.Cycles;

namespace Tacit.Web.Tests.Features.Cycles;

/// <summary>
/// A match run's proposals, unmet wants and skipped pins, and a publish's offers and notifications, are written in bulk
/// (<see cref="BulkInsert"/>: binary COPY on PostgreSQL, multi-row INSERTs on SQLite). These check that the stored rows
/// are exactly the rows SaveChanges stored before, column by column, and that a failure while saving leaves nothing.
/// </summary>
public abstract class BulkInsertTests(TacitApp app)
{
    [Fact]
    public async Task Rows_written_in_bulk_are_stored_exactly_as_SaveChanges_stores_them()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycleId = await org.Cycles.CycleAsync(CycleState.Mapped);
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var cycle = await db.Cycles.SingleAsync(c => c.Id == cycleId);
            var now = TimeProvider.System.GetUtcNow();
            var run = new MatchRun(cycle, 1, new MatchWeights(), org["fiona"], now);
            db.MatchRuns.Add(run);
            await db.SaveChangesAsync();

            Guid[] learners = [org["finance1"], org["finance2"], org["finance3"]];
            List<Proposal> proposals =
            [
                new(run, org["sales1"], org.Wanted, SessionKind.OneToOne, [learners[0]], "crosses departments: Finance → Sales; high priority", pinned: false),
                new(run, org["sales2"], org.Wanted, SessionKind.Group, learners, "line one\nline two; «quoted» 'single'", pinned: false),
                new(run, org["sales3"], org.Wanted, SessionKind.OneToOne, [learners[1]], "pinned by the facilitator", pinned: true),
                new(run, org["sales3"], org.Unshared, SessionKind.OneToOne, [], "", pinned: false),
                new(run, org["sales1"], org.Unshared, SessionKind.OneToOne, [learners[2]], "tab\there, back\\slash, \"quotes\", emoji 😀, {braces}, NULL", pinned: false,
                    commonHours: [167, 0, 40]),
                new(run, org["sales2"], org.Unshared, SessionKind.OneToOne, [learners[0]], "no hours in common", pinned: false, commonHours: []),
            ];
            var pin = new PairRule(cycle, learners[2], org["sales1"], org.Wanted, PairRuleKind.Pin, now);
            List<object> rows =
            [
                .. proposals,
                new UnmetWant(run, learners[0], org.Unshared, "noSharers", "Nobody taking part shares this skill."),
                new UnmetWant(run, learners[1], org.Unshared, "sharersAtCapacity", new string('x', UnmetWant.ReasonMaxLength + 20)),
                new SkippedPin(run, pin, "learnerAtSessionLimit", []),
                new SkippedPin(run, pin, "managerOf", [org["fiona"], org["sam"]]),
                OfferedAt(new Offer(proposals[0], now, TimeSpan.FromDays(3)), org["sales1"], now),
                .. proposals.Skip(1).Select(p => new Offer(p, now, TimeSpan.FromDays(3))),
                new Notification(org.Id, learners[0], "You are matched: Negotiation with Sales 1 — «Spring»", "/cycles/x/me", now),
                new Notification(org.Id, learners[1], "No mail for this one", "", now, email: false),
            ];

            // The same objects written both ways; their stored columns must not differ in anything.
            var bulk = await WriteAndReadBackAsync(db, rows, bulk: true);
            var saved = await WriteAndReadBackAsync(db, rows, bulk: false);
            Assert.Equal(rows.Count, bulk.Count);
            Assert.Equal(saved.Keys.Order(), bulk.Keys.Order());
            foreach (var (key, columns) in saved) Assert.Equal(columns, bulk[key]);
            return 0;
        });
    }

    [Fact]
    public async Task A_run_that_fails_while_saving_is_marked_failed_and_leaves_no_proposal_behind()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycleId = await org.Cycles.CycleAsync(CycleState.Mapped);
        // The proposals are written first; the unmet wants after them are refused by the database itself.
        await ExecuteAsync(app is PostgresApp
            ? """
              CREATE FUNCTION refuse_unmet_wants() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
              CREATE TRIGGER refuse_unmet_wants BEFORE INSERT ON "UnmetWants" FOR EACH ROW EXECUTE FUNCTION refuse_unmet_wants();
              """
            : """CREATE TRIGGER refuse_unmet_wants BEFORE INSERT ON "UnmetWants" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;""", org.Id);
        try
        {
            var run = await org.Facilitator.PostAsJsonAsync($"/api/cycles/{cycleId}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
            await Poll.UntilAsync(async () => (await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{cycleId}/runs/{run.Id}")).Status == MatchRunStatus.Failed,
                "the run to fail", TimeSpan.FromSeconds(60));
            var failed = await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{cycleId}/runs/{run.Id}");
            Assert.StartsWith("The run failed unexpectedly", failed.Error, StringComparison.Ordinal);
            var left = await app.InScopeAsync(org.Id, async sp =>
            {
                var db = sp.GetRequiredService<TacitDbContext>();
                return (await db.Proposals.CountAsync(p => p.RunId == run.Id)) + (await db.UnmetWants.CountAsync(u => u.RunId == run.Id))
                    + (await db.SkippedPins.CountAsync(s => s.RunId == run.Id));
            });
            Assert.Equal(0, left);
            Assert.Contains(app.ServerErrors.All, e => e.Contains("refused by the test", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync(app is PostgresApp
                ? "DROP TRIGGER refuse_unmet_wants ON \"UnmetWants\"; DROP FUNCTION refuse_unmet_wants();"
                : "DROP TRIGGER refuse_unmet_wants;", org.Id);
        }
        // Without the fault the same cycle matches: the failed run left nothing in the way.
        var next = await org.Facilitator.PostAsJsonAsync($"/api/cycles/{cycleId}/runs", new { }).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        await Poll.UntilAsync(async () => (await org.Facilitator.GetJsonAsync<RunDto>($"/api/cycles/{cycleId}/runs/{next.Id}")).Status == MatchRunStatus.Succeeded,
            "the next run to succeed", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Rows_that_fail_part_way_through_leave_none_of_them_stored()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var cycleId = await org.Cycles.CycleAsync(CycleState.Mapped);
        var other = await FinanceAndSales.SeedAsync(app);
        await app.InScopeAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var cycle = await db.Cycles.SingleAsync(c => c.Id == cycleId);
            var run = new MatchRun(cycle, 1, new MatchWeights(), org["fiona"], TimeProvider.System.GetUtcNow());
            db.MatchRuns.Add(run);
            await db.SaveChangesAsync();
            // Thousands of good rows, enough to be sent in several parts, then one of another organisation; outside any transaction.
            var rows = Enumerable.Range(0, 5000).Select(i => new UnmetWant(run, org["finance1"], org.Unshared, "noSharers", $"reason {i}")).ToList();
            var foreign = (UnmetWant)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(UnmetWant));
            typeof(UnmetWant).GetProperty(nameof(UnmetWant.OrganisationId))!.SetValue(foreign, other.Id);
            rows.Add(foreign);

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.InsertAsync(rows, default));
            Assert.Contains("another organisation", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, await db.UnmetWants.CountAsync(u => u.RunId == run.Id));
            // The connection is left usable, and the same rows without the foreign one are all stored.
            await db.InsertAsync(rows.SkipLast(1), default);
            Assert.Equal(5000, await db.UnmetWants.CountAsync(u => u.RunId == run.Id));
            return 0;
        });
    }

    private static Offer OfferedAt(Offer offer, Guid teacherId, DateTimeOffset now)
    {
        // Ticks below a microsecond are cut by either writer in the same way; two times, so the array has more than one.
        offer.MakeOffer(teacherId, [now.AddDays(2).AddTicks(7), now.AddDays(1).AddTicks(3)], "Tuesday?", now, TimeSpan.FromDays(1), "Room 4");
        return offer;
    }

    private Task<int> ExecuteAsync(string sql, Guid organisationId) =>
        app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().Database.ExecuteSqlRawAsync(sql));

    /// <summary>Writes the rows (in bulk or through SaveChanges), reads back every column of each as stored, then deletes them.</summary>
    private static async Task<Dictionary<string, Dictionary<string, string>>> WriteAndReadBackAsync(TacitDbContext db, List<object> rows, bool bulk)
    {
        var types = rows.GroupBy(r => r.GetType()).ToList();
        await using (var transaction = await UseCaseTransaction.BeginAsync(db, default))
        {
            foreach (var group in types)
            {
                if (bulk) await (Task)typeof(BulkInsertTests).GetMethod(nameof(InsertAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(group.Key).Invoke(null, [db, group])!;
                else db.AddRange(group);
            }
            if (!bulk) await db.SaveChangesAsync();
            await transaction.CommitAsync(default);
        }
        db.ChangeTracker.Clear();

        var stored = new Dictionary<string, Dictionary<string, string>>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var group in types)
            {
                var entity = db.Model.FindEntityType(group.Key)!;
                var ids = group.Select(r => (Guid)entity.FindProperty("Id")!.GetGetter().GetClrValue(r)!).ToHashSet();
                var table = entity.GetTableName();
                var storedIds = new List<string>();
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        // SQLite stores ids as text, PostgreSQL as uuid: either reads back as the same Guid.
                        var id = reader.GetValue(reader.GetOrdinal("Id")).ToString()!;
                        if (!ids.Contains(Guid.Parse(id))) continue;
                        storedIds.Add(id);
                        stored[$"{table}/{Guid.Parse(id)}"] = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => Text(reader.GetValue(i)));
                    }
                }
                command.CommandText = $"DELETE FROM \"{table}\" WHERE \"Id\" IN ({string.Join(", ", storedIds.Select(id => $"'{id}'"))})";
                await command.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return stored;
    }

    private static Task InsertAsync<T>(TacitDbContext db, IEnumerable<object> rows) where T : class => db.InsertAsync(rows.Cast<T>(), default);

    /// <summary>A stored value as text, with its type: arrays item by item, times to the tick, text as it is.</summary>
    private static string Text(object value) => value switch
    {
        DBNull => "null",
        string s => "string:" + s,
        DateTime t => "time:" + t.ToString("O", CultureInfo.InvariantCulture) + t.Kind,
        IEnumerable items => value.GetType().Name + "[" + string.Join(",", items.Cast<object>().Select(Text)) + "]",
        _ => value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}

public sealed class BulkInsertSqliteTests(SqliteApp app) : BulkInsertTests(app), IClassFixture<SqliteApp>;

public sealed class BulkInsertPostgresTests(PostgresApp app) : BulkInsertTests(app), IClassFixture<PostgresApp>;
