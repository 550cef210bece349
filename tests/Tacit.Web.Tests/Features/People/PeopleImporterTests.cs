using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.People;

public abstract class PeopleImporterTests(TacitApp app)
{
    private async Task<(Guid Org, ImportPreview Preview)> PreviewAsync(string csv)
    {
        var org = await app.CreateOrganisationAsync("import-" + Guid.NewGuid().ToString("N")[..8]);
        var preview = await app.InScopeAsync(org.Organisation.Id, sp => sp.GetRequiredService<PeopleImporter>().PreviewAsync(csv));
        return (org.Organisation.Id, preview);
    }

    private Task<int> CountPeopleAsync(Guid org) => app.InScopeAsync(org, sp => sp.GetRequiredService<TacitDbContext>().People.CountAsync());

    [Fact]
    public async Task Preview_reports_every_problem_row_by_row()
    {
        const string csv = """
            name,email,department,title,level,manager_email
            Ada,ada@example.com,Eng,Head,8,
            ,missing-name@example.com,Eng,,5,
            Bad Email,not-an-email,Eng,,5,
            Ada Again,ADA@example.com,Eng,,5,
            Orphan,orphan@example.com,Eng,,5,nobody@example.com
            Loop A,a@example.com,Eng,,5,b@example.com
            Loop B,b@example.com,Eng,,5,a@example.com
            Too Senior,senior@example.com,Eng,,11,
            Self,self@example.com,Eng,,5,self@example.com
            """;
        var (org, preview) = await PreviewAsync(csv);

        string ErrorsOf(string name) => string.Join(" ", preview.Rows.Single(r => r.Name == name).Errors);
        Assert.Empty(preview.Rows.Single(r => r.Name == "Ada").Errors);
        Assert.Contains("Name is required", string.Join(" ", preview.Rows.Single(r => r.Email == "missing-name@example.com").Errors), StringComparison.Ordinal);
        Assert.Contains("not a valid email", ErrorsOf("Bad Email"), StringComparison.Ordinal);
        Assert.Contains("appears again", ErrorsOf("Ada Again"), StringComparison.Ordinal);
        Assert.Contains("neither in the file nor in the organisation", ErrorsOf("Orphan"), StringComparison.Ordinal);
        Assert.Contains("reporting loop", ErrorsOf("Loop A"), StringComparison.Ordinal);
        Assert.Contains("reporting loop", ErrorsOf("Loop B"), StringComparison.Ordinal);
        Assert.Contains("between 1 and 10", ErrorsOf("Too Senior"), StringComparison.Ordinal);
        Assert.Contains("own manager", ErrorsOf("Self"), StringComparison.Ordinal);
        Assert.Equal((1, 8), (preview.ValidCount, preview.RejectedCount));

        var result = await app.InScopeAsync(org, sp => sp.GetRequiredService<PeopleImporter>().CommitAsync(org, csv));
        Assert.Equal(new ImportResult(1, 0, 8), result);
        Assert.Equal(2, await CountPeopleAsync(org));
    }

    [Fact]
    public async Task The_messages_are_the_domains_own()
    {
        var (_, preview) = await PreviewAsync($"name,email,title,level\n{new string('x', Person.NameMaxLength + 1)},long@example.com,,0\n");
        var thrown = new List<string>();
        try { _ = new Person(Guid.NewGuid(), "long@example.com", new string('x', Person.NameMaxLength + 1), DateTimeOffset.UnixEpoch); }
        catch (DomainException e) { thrown.Add(e.Message); }
        try { new Person(Guid.NewGuid(), "a@example.com", "A", DateTimeOffset.UnixEpoch).UpdateProfile("A", null, null, 0, null, null, null); }
        catch (DomainException e) { thrown.Add(e.Message); }
        Assert.Equal(thrown, Assert.Single(preview.Rows).Errors);
    }

    [Fact]
    public async Task A_manager_whose_own_row_is_rejected_rejects_the_rows_under_them_too()
    {
        const string csv = "name,email,manager_email\n,boss@example.com,\nWorker,worker@example.com,boss@example.com\nFine,fine@example.com,\n";
        var (_, preview) = await PreviewAsync(csv);
        Assert.Contains("boss@example.com is on line 2, which is rejected", string.Join(" ", preview.Rows.Single(r => r.Name == "Worker").Errors), StringComparison.Ordinal);
        Assert.Equal((1, 2), (preview.ValidCount, preview.RejectedCount));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("just one line without the columns", "lacks the column")]
    [InlineData("name,email\n", "no people")]
    [InlineData("name,email\n\"unclosed,quote@example.com\n", "")]
    public async Task Malformed_files_get_a_clear_message(string csv, string expected)
    {
        var (_, preview) = await PreviewAsync(csv);
        Assert.False(preview.CanCommit);
        Assert.True(preview.FileErrors.Count > 0 || preview.Rows.Any(r => r.Errors.Count > 0));
        if (expected.Length > 0) Assert.Contains(expected, string.Join(" ", preview.FileErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_adds_people_with_their_managers_and_reimport_updates_by_email()
    {
        const string first = "name,email,department,title,level,manager_email\nAda,ada@example.com,Eng,Head,8,\nGrace,grace@example.com,Eng,Engineer,5,ada@example.com\n";
        var (org, preview) = await PreviewAsync(first);
        Assert.True(preview.CanCommit);
        Assert.Equal(new ImportResult(2, 0, 0), await app.InScopeAsync(org, sp => sp.GetRequiredService<PeopleImporter>().CommitAsync(org, first)));

        const string second = "Email;Name;Level;Manager email\ngrace@example.com;Grace Hopper;6;ada@example.com\nlin@example.com;Lin;3;grace@example.com\n";
        var result = await app.InScopeAsync(org, sp => sp.GetRequiredService<PeopleImporter>().CommitAsync(org, second));
        Assert.Equal(new ImportResult(1, 1, 0), result);

        var people = await app.InScopeAsync(org, sp => sp.GetRequiredService<TacitDbContext>().People.AsNoTracking().ToListAsync());
        var grace = people.Single(p => p.Email == "grace@example.com");
        Assert.Equal(("Grace Hopper", 6), (grace.DisplayName, grace.AuthorityLevel));
        Assert.Equal(people.Single(p => p.Email == "ada@example.com").Id, grace.ManagerId);
        Assert.Equal(grace.Id, people.Single(p => p.Email == "lin@example.com").ManagerId);
    }
}

public sealed class PeopleImporterSqliteTests(SqliteApp app) : PeopleImporterTests(app), IClassFixture<SqliteApp>;

public sealed class PeopleImporterPostgresTests(PostgresApp app) : PeopleImporterTests(app), IClassFixture<PostgresApp>;
