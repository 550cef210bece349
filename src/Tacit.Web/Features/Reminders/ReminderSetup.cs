using Quartz;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Reminders;

public static class ReminderSetup
{
    /// <summary>
    /// Quartz with its persistent store in Tacit's own database (it creates its <c>qrtz_</c> tables on first start), so
    /// reminders survive a restart. On PostgreSQL the schedulers of several instances form a cluster: each trigger fires
    /// on exactly one of them.
    /// </summary>
    public static IServiceCollection AddTacitReminders(this IServiceCollection services, IConfiguration configuration)
    {
        var connection = configuration.GetConnectionString("Default");
        var provider = DatabaseSetup.ProviderFrom(configuration);
        services.AddQuartz(q =>
        {
            // Instances sharing a database share the scheduler name, which is what makes them one cluster.
            q.ConfigureScheduler(o => o.InstanceName = "Tacit");
            q.UseDefaultThreadPool(2);
            q.AddJob<ReminderJob>(j => j.WithIdentity(ReminderScheduler.Job).StoreDurably().RequestRecovery());
            q.AddJob<Cycles.FacilitatorDigestJob>(j => j.WithIdentity(Cycles.FacilitatorDigestJob.Job).StoreDurably());
            q.AddTrigger(t => t.ForJob(Cycles.FacilitatorDigestJob.Job).WithIdentity("facilitator-digest-daily", "digests")
                .WithCronSchedule(configuration["Digest:Cron"] ?? Cycles.FacilitatorDigestJob.DefaultCron, c => c.InTimeZone(TimeZoneInfo.Utc)));
            q.UsePersistentStore(store =>
            {
                store.ProvisionSchema();
                store.ConfigureStore(o => o.StoreJobDataAsStrings = true);
                if (provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(connection!);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(string.IsNullOrWhiteSpace(connection) ? DatabaseSetup.DefaultSqliteConnection : connection);
                }
            });
        });
        services.AddScoped<ReminderScheduler>();
        services.AddScoped<DueReminders>();
        return services;
    }

    /// <summary>The web host runs the scheduler; <c>Reminders:Run=false</c> leaves it stopped (reminders are still stored).</summary>
    public static IServiceCollection AddTacitReminderRunner(this IServiceCollection services, IConfiguration configuration) =>
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = configuration.GetValue("Reminders:Run", true);
        });
}
