using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Settings;
using Tacit.Web.Tenancy;

namespace Tacit.Bench.People;

/// <summary>
/// Seeds one organisation of N people (a reporting tree, 12 departments, about 3 shares and 3 wants each with
/// Zipf-skewed skills) and writes what the load test needs: sign-in, a token, a profile id, search terms.
/// </summary>
internal static class PeopleSeed
{
    private const int Batch = 5_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var people = int.Parse(BenchHost.Option(args, "--people", "100000"), CultureInfo.InvariantCulture);
        var output = BenchHost.Option(args, "--out", "seed.env");
        bool firstMail = args.Contains("--first-mail");
        using var host = await BenchHost.StartAsync();
        var clock = Stopwatch.StartNew();
        var slug = "load-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "load-test-password";

        Guid organisationId;
        Guid[] skillIds;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Load test", slug, "Load Admin", $"admin@{slug}.example", password));
            organisationId = created.Organisation.Id;
            skillIds = await scope.ServiceProvider.GetRequiredService<TacitDbContext>().Skills.OrderBy(s => s.Name).Select(s => s.Id).ToArrayAsync();
        }

        var random = new Random(42);
        var zipf = skillIds.Select((_, rank) => 1.0 / (rank + 1)).ToArray();
        var zipfTotal = zipf.Sum();
        var departments = Enumerable.Range(1, 12).Select(d => $"Department {d:00}").ToArray();
        var ids = new Guid[people];
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        for (var start = 0; start < people; start += Batch)
        {
            await using var scope = host.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(people, start + Batch); i++)
            {
                var person = new Person(organisationId, $"person{i}@{slug}.example", $"{FirstNames[i % FirstNames.Length]} {LastNames[(i / FirstNames.Length) % LastNames.Length]} {i}", now);
                person.UpdateProfile(person.DisplayName, "Specialist", departments[i % departments.Length], 1 + random.Next(10), "London", "Europe/London", "");
                if (i > 0) person.AssignManager(ids[(i - 1) / 8]);
                ids[i] = person.Id;
                db.People.Add(person);
                foreach (var skill in Pick(3, skillIds, zipf, zipfTotal, random))
                    db.Shares.Add(new Share(organisationId, person.Id, skill, 1 + random.Next(5), 1 + random.Next(3), false, 1, now));
                foreach (var skill in Pick(3, skillIds, zipf, zipfTotal, random))
                    db.Wants.Add(new Want(organisationId, person.Id, skill, (Priority)(1 + random.Next(3)), null, null, now));
            }
            // Shares and wants of one person may pick the same skill; the unique index allows one of each per person.
            await db.SaveChangesAsync();
            Console.Write($"\rseeded {Math.Min(people, start + Batch):N0} of {people:N0} people ({clock.Elapsed.TotalSeconds:N0} s)");
        }
        Console.WriteLine();
        if (!firstMail)
        {
            // An organisation in use: everyone has had their first mail, so news that can wait goes into tomorrow's
            // digest. Otherwise every person's first notice is mailed at once (Features/Notifications), and a cycle's
            // enrolment and intake would keep the mailer busy for minutes (about 140 mails a second here) while a
            // benchmark measures something else. --first-mail seeds people who have had none (an organisation's first day).
            await using var scope = host.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
            var tomorrow = host.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(1);
            await scope.ServiceProvider.GetRequiredService<TacitDbContext>().People.ExecuteUpdateAsync(s => s.SetProperty(p => p.NextDigestAt, tomorrow));
        }

        string token, facilitatorToken, lrsSecret;
        Tacit.Web.Features.Xapi.LrsCredential lrs;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            (_, token) = await tokens.CreateAsync(organisationId, "load test", Roles.Member);
            (_, facilitatorToken) = await tokens.CreateAsync(organisationId, "cycle benchmark", Roles.Facilitator);
            (lrs, lrsSecret) = await scope.ServiceProvider.GetRequiredService<Tacit.Web.Features.Xapi.LrsCredentials>().CreateAsync(organisationId, "xAPI benchmark");
        }
        await File.WriteAllLinesAsync(output,
        [
            $"SEED_EMAIL=admin@{slug}.example",
            $"SEED_PASSWORD={password}",
            $"SEED_TOKEN={token}",
            $"SEED_FACILITATOR_TOKEN={facilitatorToken}",
            $"SEED_PROFILE={ids[people / 2]}",
            "SEED_SEARCH=ben",
            $"SEED_LRS_KEY={lrs.Key}",
            $"SEED_LRS_SECRET={lrsSecret}",
        ]);
        Console.WriteLine($"seeded {people:N0} people with shares and wants in {clock.Elapsed.TotalSeconds:N1} s; details in {output}");
        return 0;
    }

    private static HashSet<Guid> Pick(int count, Guid[] skills, double[] weights, double total, Random random)
    {
        var picked = new HashSet<Guid>();
        while (picked.Count < count)
        {
            var target = random.NextDouble() * total;
            var i = 0;
            for (var sum = weights[0]; sum < target && i < weights.Length - 1; sum += weights[++i]) { }
            picked.Add(skills[i]);
        }
        return picked;
    }

    private static readonly string[] FirstNames = ["Amara", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hiro", "Isla", "Jonas", "Kemi", "Liam", "Maya", "Nikhil", "Olga", "Pedro"];
    private static readonly string[] LastNames = ["Okafor", "Schmidt", "Nakamura", "Rossi", "Kowalski", "Haddad", "Fernandes", "Lindqvist", "Mensah", "Dubois", "Novak", "Chen"];
}
