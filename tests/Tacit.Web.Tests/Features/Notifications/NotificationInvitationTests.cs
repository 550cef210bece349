using Tacit.Domain.People;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.Notifications;

/// <summary>A notification emailed to someone who cannot sign in yet carries their own invitation to the page it is about.</summary>
public abstract class NotificationInvitationTests(TacitApp app)
{
    [Fact]
    public async Task Someone_without_a_password_gets_an_invitation_to_the_page_and_someone_with_one_gets_the_plain_link()
    {
        var created = await app.CreateOrganisationAsync("mailinv-" + Guid.NewGuid().ToString("N")[..8]);
        var org = created.Organisation.Id;
        var newcomer = await app.InScopeAsync(org, async sp =>
        {
            var person = await sp.GetRequiredService<PeopleAdministration>()
                .CreateAsync($"nina@{created.Organisation.Slug}.example", new ProfileInput("Nina New", null, "Sales", 4, null, null, null), null, Roles.Member);
            var notifier = sp.GetRequiredService<Notifier>();
            notifier.Notify(person.Id, "The intake of \"Spring\" is open.", "/cycles/123/intake");
            notifier.Notify(created.Admin.Id, "The intake of \"Spring\" is open.", "/cycles/123/intake");
            await sp.GetRequiredService<TacitDbContext>().SaveChangesAsync();
            return person;
        });

        var toNewcomer = await app.Mail.WaitForMailToAsync(newcomer.Email, "Spring");
        Assert.Matches(@"http://127\.0\.0\.1/invitation/[0-9a-f]{48}\?then=%2Fcycles%2F123%2Fintake", toNewcomer);
        Assert.Contains("You do not have a Tacit account yet", toNewcomer, StringComparison.Ordinal);
        var toAdmin = await app.Mail.WaitForMailToAsync(created.Admin.Email, "Spring");
        Assert.Contains("http://127.0.0.1/cycles/123/intake", toAdmin, StringComparison.Ordinal);
        Assert.DoesNotContain("/invitation/", toAdmin, StringComparison.Ordinal);
    }
}

public sealed class NotificationInvitationSqliteTests(SqliteApp app) : NotificationInvitationTests(app), IClassFixture<SqliteApp>;

public sealed class NotificationInvitationPostgresTests(PostgresApp app) : NotificationInvitationTests(app), IClassFixture<PostgresApp>;
