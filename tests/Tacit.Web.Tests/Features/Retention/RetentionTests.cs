using System.Text;
using Tacit.Domain.Notifications;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Retention;

namespace Tacit.Web.Tests.Features.Retention;

/// <summary>What Tacit keeps only for a while goes when its time is up, and nothing younger or still to do goes with it.</summary>
public abstract class RetentionTests(TacitApp app)
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    [Fact]
    public async Task Sent_mail_old_notifications_and_forgotten_uploads_are_removed_and_the_rest_kept()
    {
        var created = await app.CreateOrganisationAsync("keep-" + Guid.NewGuid().ToString("N")[..8]);
        var organisation = created.Organisation.Id;
        var now = Clock.GetUtcNow();
        var ids = await app.InScopeAsync(organisation, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            OutgoingMail Mail(string subject) => new(organisation, "ada@example.com", "Ada", subject, "Hello", null, null, now);
            var (oldSent, recentSent, oldUnsent) = (Mail("old, sent"), Mail("recent, sent"), Mail("old, not sent yet"));
            var (oldNote, recentNote) = (new Notification(organisation, created.Admin.Id, "old", "/", now), new Notification(organisation, created.Admin.Id, "recent", "/", now));
            db.AddRange(oldSent, recentSent, oldUnsent, oldNote, recentNote);
            await db.SaveChangesAsync();
            await db.OutgoingMail.Where(m => m.Id == oldSent.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Pending, false).SetProperty(m => m.SentAt, now.AddDays(-31)));
            await db.OutgoingMail.Where(m => m.Id == recentSent.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Pending, false).SetProperty(m => m.SentAt, now.AddDays(-29)));
            await db.OutgoingMail.Where(m => m.Id == oldUnsent.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.CreatedAt, now.AddDays(-400)));
            await db.Notifications.Where(n => n.Id == oldNote.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, now.AddDays(-366)));
            var importer = sp.GetRequiredService<PeopleImporter>();
            var forgotten = await UploadAsync(importer, created.Admin.Id);
            var waiting = await UploadAsync(importer, created.Admin.Id);
            await db.PendingImports.Where(p => p.Id == forgotten).ExecuteUpdateAsync(s => s.SetProperty(p => p.UploadedAt, now.AddHours(-25)));
            return new[] { recentSent.Id, oldUnsent.Id, recentNote.Id, waiting };
        });

        var removed = await app.Services.GetRequiredService<RetentionSweep>().SweepAsync(CancellationToken.None);

        Assert.True(removed.SentMail >= 1 && removed.Notifications >= 1 && removed.PendingImports >= 1, removed.ToString());
        var left = await app.InScopeAsync(organisation, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            return (await db.OutgoingMail.Select(m => m.Subject).OrderBy(s => s).ToListAsync(), await db.Notifications.Select(n => n.Text).ToListAsync(),
                await db.PendingImports.Select(p => p.Id).ToListAsync());
        });
        Assert.Equal(["old, not sent yet", "recent, sent"], left.Item1);
        Assert.Contains("recent", left.Item2);
        Assert.DoesNotContain("old", left.Item2);
        Assert.Equal([ids[3]], left.Item3);
    }

    [Fact]
    public async Task Uploads_do_not_pile_up_the_oldest_make_room()
    {
        var created = await app.CreateOrganisationAsync("uploads-" + Guid.NewGuid().ToString("N")[..8]);
        var uploaded = new List<Guid>();
        var allowance = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionOptions>>().Value.PendingImportsPerOrganisation;
        for (var i = 0; i < allowance + 2; i++)
            uploaded.Add(await app.InScopeAsync(created.Organisation.Id, sp => UploadAsync(sp.GetRequiredService<PeopleImporter>(), created.Admin.Id)));
        var waiting = await app.InScopeAsync(created.Organisation.Id, async sp =>
            await sp.GetRequiredService<TacitDbContext>().PendingImports.Select(p => p.Id).ToListAsync());
        Assert.Equal(uploaded.TakeLast(allowance).Order(), waiting.Order());
    }

    private static async Task<Guid> UploadAsync(PeopleImporter importer, Guid admin)
    {
        var csv = Encoding.UTF8.GetBytes("email,name\nann@example.com,Ann\n");
        using var content = new MemoryStream(csv);
        return (await importer.UploadAsync("people.csv", csv.Length, content, admin)).Id;
    }
}

public sealed class RetentionSqliteTests(SqliteApp app) : RetentionTests(app), IClassFixture<SqliteApp>;

public sealed class RetentionPostgresTests(PostgresApp app) : RetentionTests(app), IClassFixture<PostgresApp>;
