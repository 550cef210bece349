using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tacit.Domain.Cycles;
using Tacit.Testing;
using Tacit.Web.Data;

namespace Tacit.Cli.Tests;

/// <summary>`tacit cycle instance`: a cycle's matching instance, written from the database for `tacit match`.</summary>
public sealed class CycleInstanceTests : IDisposable
{
    private readonly TacitFolder _folder = new();

    private Task<TacitRun> TacitAsync(params string[] args) => _folder.RunAsync(args);

    /// <summary>The app's use cases on the folder's database, as the command builds them.</summary>
    private IHost UseCases() => UseCaseHost.Build(new Dictionary<string, string>
    {
        ["ConnectionStrings:Default"] = $"Data Source={_folder.Database};Pooling=False",
        ["Smtp:PickupFolder"] = _folder.File("mail"),
    });

    private async Task<Guid> OrganisationAsync(IHost host, string slug)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TacitDbContext>().Organisations.Where(o => o.Slug == slug).Select(o => o.Id).SingleAsync();
    }

    [Fact]
    public async Task Writes_the_cycle_s_people_shares_and_wants_and_tacit_match_pairs_them()
    {
        Assert.Equal(0, (await TacitAsync("org", "create", "--name", "Acme", "--slug", "acme", "--admin-email", "ada@acme.example")).ExitCode);
        Assert.Equal(0, (await TacitAsync("org", "create", "--name", "Globex", "--slug", "globex", "--admin-email", "gil@globex.example")).ExitCode);
        Guid cycleId;
        ScenarioPeople people;
        using (var host = UseCases())
        {
            var scenario = new CycleScenario(host.Services, await OrganisationAsync(host, "acme"))
                .Person("mia", "Sales", level: 6).Person("raj", "Engineering", manager: "mia", level: 4).Person("lou", "Finance", level: 4)
                .Shares("mia", "Coaching").Shares("lou", "Coaching", sessions: 2).Wants("raj", "Coaching");
            people = await scenario.SeedAsync();
            cycleId = await scenario.CycleAsync(CycleState.Mapped);
        }

        var written = await TacitAsync("cycle", "instance", "--org", "acme", "--out", "spring.json");
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Equal("", written.Output);
        Assert.Contains($"wrote the instance of cycle 'Spring' ({cycleId}) to {_folder.File("spring.json")}: ", written.Error, StringComparison.Ordinal);

        using var instance = JsonDocument.Parse(await File.ReadAllTextAsync(_folder.File("spring.json")));
        string Key(string name) => people[name].ToString("N");
        var root = instance.RootElement;
        var want = Assert.Single(root.GetProperty("wants").EnumerateArray());
        Assert.Equal(Key("raj"), want.GetProperty("learnerId").GetString());
        Assert.Equal(new[] { Key("lou"), Key("mia") }.Order(StringComparer.Ordinal),
            root.GetProperty("shares").EnumerateArray().Select(s => s.GetProperty("teacherId").GetString()).Order(StringComparer.Ordinal));
        var raj = root.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("id").GetString() == Key("raj"));
        Assert.Equal(Key("mia"), raj.GetProperty("managerId").GetString());

        // The same cycle by id, on standard output, is the same instance; tacit match pairs raj with lou, never with his manager.
        var byId = await TacitAsync("cycle", "instance", "--org", "acme", "--cycle", cycleId.ToString());
        Assert.True(byId.ExitCode == 0, byId.Error);
        Assert.Equal(await File.ReadAllTextAsync(_folder.File("spring.json")), byId.Output);
        var matched = await TacitAsync("match", "spring.json", "--out", "plan.json");
        Assert.True(matched.ExitCode == 0, matched.Error);
        using var plan = JsonDocument.Parse(await File.ReadAllTextAsync(_folder.File("plan.json")));
        var session = Assert.Single(plan.RootElement.GetProperty("sessions").EnumerateArray());
        Assert.Equal(Key("lou"), session.GetProperty("teacherId").GetString());

        // Another organisation cannot reach the cycle, even by its id; an organisation without cycles says so.
        (await TacitAsync("cycle", "instance", "--org", "globex", "--cycle", cycleId.ToString())).AssertRefused($"The organisation 'globex' has no cycle {cycleId}.");
        (await TacitAsync("cycle", "instance", "--org", "globex")).AssertRefused("The organisation 'globex' has no cycle yet.");
        (await TacitAsync("cycle", "instance", "--org", "nope")).AssertRefused("no organisation with the URL name 'nope'");
        (await TacitAsync("cycle", "instance", "--org", "acme", "--cycle", "spring")).AssertRefused("--cycle: 'spring' is not a cycle id");
        (await TacitAsync("cycle", "instance", "--org", "acme", "--out", "missing/x.json")).AssertRefused("the directory");
    }

    public void Dispose() => _folder.Dispose();
}
