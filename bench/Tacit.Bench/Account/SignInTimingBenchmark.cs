using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Bench.People;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.People;
using Tacit.Web.Tenancy;

namespace Tacit.Bench.Account;

/// <summary>
/// How long a refused sign-in takes for an email with an account (wrong password) and for one without, against a
/// running Tacit on the same database (bench/signin-timing.sh starts one). It seeds one account per sample, so that no
/// counter slows any of them down, sends each attempt from an address of its own (X-Forwarded-For, believed from
/// loopback), alternates the two kinds, and prints their percentiles.
/// </summary>
public static partial class SignInTimingBenchmark
{
    private const string Password = "timing-bench-password";

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = BenchHost.Option(args, "--base", "http://127.0.0.1:25082");
        var samples = int.Parse(BenchHost.Option(args, "--samples", "100"), CultureInfo.InvariantCulture);
        var emails = await SeedAsync(samples);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/signin")).Groups[1].Value;
        var real = new List<double>();
        var unknown = new List<double>();
        // Warm-up: the first requests compile, and the first unknown email makes the hash of nothing.
        for (var i = 0; i < 5; i++)
        {
            await RefusedInAsync(browser, token, emails[i], $"10.9.0.{i}");
            await RefusedInAsync(browser, token, $"warm{i}@nobody.example", $"10.9.1.{i}");
        }
        for (var i = 0; i < samples; i++)
        {
            real.Add(await RefusedInAsync(browser, token, emails[i], $"10.1.{i / 250}.{i % 250}"));
            unknown.Add(await RefusedInAsync(browser, token, $"nobody{i}-{Guid.NewGuid():N}@nobody.example", $"10.2.{i / 250}.{i % 250}"));
        }
        real.Sort();
        unknown.Sort();
        Console.WriteLine($"Tacit sign-in refusals: {samples} each, alternating, {Environment.ProcessorCount} cores, app and client on one machine");
        Console.WriteLine("                                p10       p50       p90       max");
        Print("real email, wrong password", real);
        Print("unknown email", unknown);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio (real / unknown): {Percentile(real, 0.5) / Percentile(unknown, 0.5):F2}"));
        return 0;
    }

    private static async Task<List<string>> SeedAsync(int samples)
    {
        using var host = await BenchHost.StartAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var slug = $"timing-{Guid.NewGuid():N}"[..20];
        var created = await services.GetRequiredService<CreateOrganisationHandler>().HandleAsync(new CreateOrganisation("Timing", slug, "Admin", $"admin@{slug}.example", Password));
        services.GetRequiredService<TenantContext>().Use(created.Organisation.Id);
        var people = services.GetRequiredService<PeopleAdministration>();
        var users = services.GetRequiredService<UserManager<TacitUser>>();
        var emails = new List<string>();
        for (var i = 0; i < samples + 5; i++)
        {
            var person = await people.CreateAsync($"p{i}@{slug}.example", new ProfileInput($"Person {i}", null, null, 3, null, null, null), null, Roles.Member);
            await users.CreateAsync(new TacitUser { UserName = person.Email, Email = person.Email, OrganisationId = created.Organisation.Id, PersonId = person.Id }, Password);
            emails.Add(person.Email);
        }
        // The five warm-up accounts go first.
        return [.. emails[5..], .. emails[..5]];
    }

    private static async Task<double> RefusedInAsync(HttpClient browser, string token, string email, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = "not-the-password",
            }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        var clock = Stopwatch.StartNew();
        using var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (!html.Contains("The email or password is not right.", StringComparison.Ordinal))
            throw new InvalidOperationException($"Sign-in as {email} was not refused as expected: {response.StatusCode}");
        return elapsed;
    }

    private static void Print(string what, List<double> sorted) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-28} {Percentile(sorted, 0.1),6:F1} ms {Percentile(sorted, 0.5),6:F1} ms {Percentile(sorted, 0.9),6:F1} ms {sorted[^1],6:F1} ms"));

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
