using System.IO.Compression;
using System.Text.Json;

namespace Tacit.Web.Tests.Features.People;

/// <summary>A person takes away everything Tacit holds about them (GDPR 15 and 20), and nothing of anyone else's.</summary>
public abstract class PersonalDataExportTests(TacitApp app)
{
    [Fact]
    public async Task A_learner_downloads_their_data_as_json_and_csv_and_it_holds_nobody_elses()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        await org.Cycles.PublishedCycleAsync();
        var (_, offer, learner, learnerName) = await org.OfferOfAsync("sales1");

        using var response = await learner.GetAsync("/api/me/data");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        string Read(string name) => new StreamReader(zip.GetEntry(name)!.Open()).ReadToEnd();

        var data = JsonDocument.Parse(Read("tacit-personal-data.json")).RootElement.GetProperty("data");
        Assert.Equal(org.Email(learnerName), data.GetProperty("profile")[0].GetProperty("email").GetString());
        Assert.Contains(data.GetProperty("offers").EnumerateArray(), o => o.GetProperty("id").GetGuid() == offer.Id);
        Assert.NotEqual(0, data.GetProperty("wants").GetArrayLength());
        Assert.Contains(data.GetProperty("skills-named").EnumerateArray(), s => s.GetProperty("name").GetString() == FinanceAndSales.WantedSkill);
        foreach (var part in new[] { "profile", "wants", "offers", "notifications", "intake-answers", "commitments" })
            Assert.StartsWith("id,", Read($"csv/{part}.csv"), StringComparison.Ordinal);
        Assert.Contains(org.Email(learnerName), Read("csv/profile.csv"), StringComparison.Ordinal);

        // Others appear only as ids in what the learner took part in: no one else's email, name or words.
        var everything = string.Concat(zip.Entries.Select(e => Read(e.FullName)));
        foreach (var other in new[] { "fiona", "sam", "sales2" })
            Assert.DoesNotContain(org.Email(other), everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_acts_for_no_person_and_gets_no_ones_data()
    {
        var org = await FinanceAndSales.SeedAsync(app);
        var token = await app.ClientWithTokenAsync(org.Id, Tacit.Domain.People.Roles.Admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync("/api/me/data")).StatusCode);
    }
}

public sealed class PersonalDataExportSqliteTests(SqliteApp app) : PersonalDataExportTests(app), IClassFixture<SqliteApp>;

public sealed class PersonalDataExportPostgresTests(PostgresApp app) : PersonalDataExportTests(app), IClassFixture<PostgresApp>;
