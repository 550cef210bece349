using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.People;

/// <summary>Inviting many at once: who each choice reaches, what it writes, and that it never reaches another organisation.</summary>
public abstract class InvitationsTests(TacitApp app)
{
    private async Task<Guid> OrganisationWithPeopleAsync(int count)
    {
        var org = (await app.CreateOrganisationAsync("inv-" + Guid.NewGuid().ToString("N")[..8])).Organisation.Id;
        var csv = "name,email,department\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"Person {i},p{i}@example.com,{(i % 2 == 0 ? "Sales" : "Engineering")}\n"));
        await app.InScopeAsync(org, sp => sp.GetRequiredService<PeopleImporter>().CommitAsync(org, csv));
        return org;
    }

    private Task<T> InAsync<T>(Guid org, Func<Invitations, Task<T>> action) => app.InScopeAsync(org, sp => action(sp.GetRequiredService<Invitations>()));

    [Fact]
    public async Task Each_choice_reaches_only_the_people_who_cannot_sign_in_and_writes_one_invitation_and_one_mail_each()
    {
        var org = await OrganisationWithPeopleAsync(10);
        var other = await OrganisationWithPeopleAsync(3);

        // The admin has a password; the ten imported people have none.
        Assert.Equal(new InvitationSummary(11, 1, 0, 0, 10), await InAsync(org, i => i.SummaryAsync()));
        Assert.Equal(5, await InAsync(org, i => i.CountAsync(new InvitationChoice(InvitationAudience.Department, "Sales"))));
        Assert.Equal(5, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.Department, "Sales"))));
        Assert.Equal(new InvitationSummary(11, 1, 5, 0, 5), await InAsync(org, i => i.SummaryAsync()));

        // Never invited: the other five; then nobody is left.
        Assert.Equal(5, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.NotInvited))));
        Assert.Equal(0, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.NotInvited))));

        // Resending replaces each person's unused link: still one open invitation each.
        Assert.Equal(10, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.NotAccepted))));
        var (invitations, mails) = await app.InScopeAsync(org, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            return (await db.Invitations.CountAsync(), await db.OutgoingMail.CountAsync(m => m.Subject.StartsWith("You are invited to ")));
        });
        Assert.Equal((10, 20), (invitations, mails));

        // The other organisation was never touched, and a selection of its people reaches nobody here.
        Assert.Equal(new InvitationSummary(4, 1, 0, 0, 3), await InAsync(other, i => i.SummaryAsync()));
        var theirs = await app.InScopeAsync(other, sp => sp.GetRequiredService<TacitDbContext>().People.Select(p => p.Id).ToListAsync());
        Assert.Equal(0, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.Selection, Selection: theirs))));
        Assert.Equal(new InvitationSummary(4, 1, 0, 0, 3), await InAsync(other, i => i.SummaryAsync()));
    }

    [Fact]
    public async Task People_added_since_a_moment_and_a_selection_are_invited_and_empty_choices_are_refused()
    {
        var org = await OrganisationWithPeopleAsync(4);
        var since = TimeProvider.System.GetUtcNow();
        await app.InScopeAsync(org, sp => sp.GetRequiredService<PeopleImporter>().CommitAsync(org, "name,email\nNew One,new1@example.com\nNew Two,new2@example.com\n"));
        Assert.Equal(2, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.AddedSince, AddedSince: since))));

        var (rows, total) = await InAsync(org, i => i.NotSignedInAsync(null, 1, 50));
        Assert.Equal(6, total);
        Assert.Equal(2, rows.Count(r => r.State == AccountState.Invited));
        var picked = rows.Where(r => r.State == AccountState.NotInvited).Take(3).Select(r => r.PersonId).ToList();
        Assert.Equal(3, await InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.Selection, Selection: picked))));

        await Assert.ThrowsAsync<DomainException>(() => InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.Selection, Selection: []))));
        await Assert.ThrowsAsync<DomainException>(() => InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.Department, ""))));
        await Assert.ThrowsAsync<DomainException>(() => InAsync(org, i => i.SendAsync(new InvitationChoice(InvitationAudience.AddedSince))));
    }
}

public sealed class InvitationsSqliteTests(SqliteApp app) : InvitationsTests(app), IClassFixture<SqliteApp>;

public sealed class InvitationsPostgresTests(PostgresApp app) : InvitationsTests(app), IClassFixture<PostgresApp>;
