namespace Tacit.Web.Tests.Features.Reminders;

public abstract class ReminderSchedulerTests(TacitApp app)
{
    [Fact]
    public async Task Reminders_stored_while_no_scheduler_ran_fire_after_a_restart_exactly_once()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var offer = await org.OfferOfAsync("sales1");
        // A session in three hours: its "coming up" reminder (a day before) is already due, its feedback request is not.
        var soon = TimeProvider.System.GetUtcNow().AddHours(3);
        var sessionId = (await offer.BookAsync(new DateTimeOffset(soon.Year, soon.Month, soon.Day, soon.Hour, soon.Minute, 0, TimeSpan.Zero))).Id;
        Assert.Equal(1, await app.QuartzTriggersAsync(org.Id, $"SessionComingUp:{sessionId:N}"));
        Assert.Equal(1, await app.QuartzTriggersAsync(org.Id, $"FeedbackDue:{sessionId:N}"));
        Assert.Equal(0, await RemindersOfAsync(offer.Learner, "Reminder: you learn"));

        // Another server starts on the same database: it fires the due reminder once, to both sides, and keeps the other.
        await using (var restarted = app.AnotherInstance(runsReminders: true))
        {
            _ = restarted.Server;
            await Poll.UntilAsync(async () => await RemindersOfAsync(offer.Learner, "Reminder: you learn") > 0, "The due reminder", TimeSpan.FromSeconds(15));
        }
        Assert.Equal(1, await RemindersOfAsync(offer.Learner, "Reminder: you learn"));
        Assert.Equal(1, await RemindersOfAsync(offer.Teacher, "Reminder: you share"));
        Assert.Equal(0, await app.QuartzTriggersAsync(org.Id, $"SessionComingUp:{sessionId:N}"));
        Assert.Equal(1, await app.QuartzTriggersAsync(org.Id, $"FeedbackDue:{sessionId:N}"));

        // And again: nothing fires twice.
        await using (var again = app.AnotherInstance(runsReminders: true))
        {
            _ = again.Server;
            await Task.Delay(2000);
        }
        Assert.Equal(1, await RemindersOfAsync(offer.Learner, "Reminder: you learn"));
        Assert.Equal(1, await RemindersOfAsync(offer.Teacher, "Reminder: you share"));
    }

    private static async Task<int> RemindersOfAsync(HttpClient person, string text) =>
        (await person.NotificationTextsAsync()).Count(t => t.StartsWith(text, StringComparison.Ordinal));
}

public sealed class ReminderSchedulerSqliteTests(SqliteApp app) : ReminderSchedulerTests(app), IClassFixture<SqliteApp>;

public sealed class ReminderSchedulerPostgresTests(PostgresApp app) : ReminderSchedulerTests(app), IClassFixture<PostgresApp>;
