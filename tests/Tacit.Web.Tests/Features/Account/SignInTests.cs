using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Tacit.Web.Features.Account;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.Account;

/// <summary>
/// Sign-in says the same, in the same time, whether or not an account uses the email; failures slow further attempts
/// down per account and per address, and never keep the owner out (docs/security.md, "Sign-in, enumeration and lock-out").
/// </summary>
public abstract partial class SignInTests(TacitApp app)
{
    private const string Password = "correct-horse-battery";
    private const string NotRight = "The email or password is not right.";
    private const int Samples = 20;

    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_are_refused_alike_and_both_check_a_password_hash()
    {
        var org = await app.CreateOrganisationAsync("hash-" + Suffix());
        var hasher = new CountingHasher();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<TacitUser>>(hasher)));
        var client = host.CreateClient(NoRedirects);

        var before = hasher.Verified;
        var real = await RefusalAsync(client, org.AdminUser.Email!, "wrong-password");
        var afterReal = hasher.Verified;
        var unknown = await RefusalAsync(client, $"nobody-{Suffix()}@example.com", "wrong-password");

        Assert.Equal(NotRight, real);
        Assert.Equal(real, unknown);
        Assert.Equal(1, afterReal - before);
        Assert.Equal(1, hasher.Verified - afterReal);
    }

    /// <summary>
    /// Both refusals check one password hash (about 100 ms of PBKDF2 here), which dwarfs what else differs (one indexed
    /// read, a millisecond): the medians are within a few per cent of each other. Twice or half leaves room for a
    /// shared, busy machine, whose load the interleaved samples share; before the fix the ratio was about 80.
    /// </summary>
    [Fact]
    public async Task Sign_in_takes_as_long_for_an_unknown_email_as_for_a_wrong_password()
    {
        var org = await app.CreateOrganisationAsync("timing-" + Suffix());
        // One account per sample, each refused once, so that no counter slows any of them down.
        var real = await app.InScopeAsync(org.Organisation.Id, async sp =>
        {
            var people = sp.GetRequiredService<PeopleAdministration>();
            var users = sp.GetRequiredService<UserManager<TacitUser>>();
            var emails = new List<string>();
            for (var i = 0; i < Samples; i++)
            {
                var person = await people.CreateAsync($"p{i}@{org.Organisation.Slug}.example", new ProfileInput($"Person {i}", null, null, 3, null, null, null), null, Tacit.Domain.People.Roles.Member);
                await users.CreateAsync(new TacitUser { UserName = person.Email, Email = person.Email, OrganisationId = org.Organisation.Id, PersonId = person.Id }, Password);
                emails.Add(person.Email);
            }
            return emails;
        });
        var client = app.CreateClient(NoRedirects);
        var token = await FormTokenAsync(client);
        // Warm both paths up (the first unknown email makes the hash of nothing).
        await PostSignInAsync(client, token, org.AdminUser.Email!, "wrong-password");
        await PostSignInAsync(client, token, $"warm-{Suffix()}@example.com", "wrong-password");

        var realTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            realTimes.Add(await TimeAsync(() => PostSignInAsync(client, token, real[i], "wrong-password")));
            unknownTimes.Add(await TimeAsync(() => PostSignInAsync(client, token, $"nobody{i}-{Suffix()}@example.com", "wrong-password")));
        }

        var ratio = Median(realTimes) / Median(unknownTimes);
        Assert.True(ratio is > 0.5 and < 2, $"median {Median(realTimes):0.0} ms for a wrong password, {Median(unknownTimes):0.0} ms for an unknown email");
    }

    [Fact]
    public async Task Failed_sign_ins_slow_down_alike_for_real_and_unknown_emails_and_never_keep_the_owner_out()
    {
        var org = await app.CreateOrganisationAsync("slow-" + Suffix());
        var owner = org.AdminUser.Email!;
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = WithThrottleClock(clock);
        // The owner signed in from their browser before.
        var browser = host.CreateClient(NoRedirects);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, owner, Password)).StatusCode);

        // Someone elsewhere tries five wrong passwords for the owner's email, and five for an email nobody uses.
        var stranger = From(host, "203.0.113.5");
        var nobody = $"nobody-{Suffix()}@example.com";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(NotRight, await RefusalAsync(stranger, owner, "wrong-password"));
            Assert.Equal(NotRight, await RefusalAsync(stranger, nobody, "wrong-password"));
        }
        var slowed = await RefusalAsync(stranger, owner, Password);
        Assert.StartsWith("Too many sign-in attempts. Try again in 1 second,", slowed, StringComparison.Ordinal);
        Assert.Equal(slowed, await RefusalAsync(stranger, nobody, "wrong-password"));

        // The owner, in the browser they signed in from, is not slowed down by any of it.
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, owner, Password)).StatusCode);
        // Nor locked out anywhere: once the wait is over, the right password signs in.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(stranger, owner, Password)).StatusCode);
    }

    [Fact]
    public async Task One_address_trying_many_emails_is_slowed_down_and_other_addresses_are_not()
    {
        var org = await app.CreateOrganisationAsync("spray-" + Suffix());
        await using var host = WithThrottleClock(new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
        // Twenty guesses at twenty emails, from twenty addresses of one IPv6 network (one host's, as a rule).
        for (var i = 1; i <= 20; i++)
            Assert.Equal(NotRight, await RefusalAsync(From(host, $"[2001:db8:1:2::{i:x}]"), $"p{i}-{Suffix()}@example.com", "Winter2026!"));

        Assert.StartsWith("Too many sign-in attempts.", await RefusalAsync(From(host, "[2001:db8:1:2::ffff]"), org.AdminUser.Email!, "Winter2026!"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(From(host, "[2001:db8:1:3::1]"), org.AdminUser.Email!, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(From(host, "192.0.2.44"), org.AdminUser.Email!, Password)).StatusCode);
    }

    [Fact]
    public async Task An_owner_slowed_down_in_a_new_browser_signs_in_there_after_choosing_a_new_password_by_email()
    {
        var org = await app.CreateOrganisationAsync("relink-" + Suffix());
        var owner = org.AdminUser.Email!;
        await using var host = WithThrottleClock(new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
        var stranger = From(host, "203.0.113.9");
        for (var i = 0; i < 5; i++) Assert.Equal(NotRight, await RefusalAsync(stranger, owner, "wrong-password"));

        // The owner, in a browser Tacit has not seen, behind the same office address.
        var laptop = From(host, "203.0.113.9");
        Assert.StartsWith("Too many sign-in attempts.", await RefusalAsync(laptop, owner, Password), StringComparison.Ordinal);
        await Pages.PostFormAsync(laptop, "/forgot-password", "forgot", new Dictionary<string, string> { ["Input.Email"] = owner });
        var link = new Uri(ResetLink().Match(await app.Mail.WaitForMailToAsync(owner, "/reset-password")).Value).PathAndQuery;
        var (_, form) = await Pages.GetAsync(laptop, link);
        var reset = await Pages.PostFormAsync(laptop, link, "reset", new Dictionary<string, string>
        {
            ["Input.Email"] = owner, ["Input.Code"] = WebUtility.HtmlDecode(HiddenCode().Match(form).Groups[1].Value), ["Input.Password"] = "a-brand-new-password",
        });
        Assert.Contains("Your password is changed", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(laptop, owner, "a-brand-new-password")).StatusCode);
        Assert.StartsWith("Too many sign-in attempts.", await RefusalAsync(stranger, owner, "a-brand-new-password"), StringComparison.Ordinal);
    }

    private WebApplicationFactory<Program> WithThrottleClock(TimeProvider clock) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(new SignInThrottle(clock))));

    /// <summary>A browser at an address, as a trusted proxy on loopback reports it.</summary>
    private static HttpClient From(WebApplicationFactory<Program> host, string address)
    {
        var client = host.CreateClient(NoRedirects);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        Pages.PostFormAsync(client, "/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>The refusal the sign-in page shows.</summary>
    private static async Task<string> RefusalAsync(HttpClient client, string email, string password)
    {
        var html = await (await SignInAsync(client, email, password)).Content.ReadAsStringAsync();
        var error = SignInError().Match(html);
        Assert.True(error.Success, html);
        return WebUtility.HtmlDecode(error.Groups[1].Value);
    }

    private static async Task<string> FormTokenAsync(HttpClient client)
    {
        var (_, html) = await Pages.GetAsync(client, "/signin");
        return AntiforgeryToken().Match(html).Groups[1].Value;
    }

    private static async Task PostSignInAsync(HttpClient client, string token, string email, string password)
    {
        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        Assert.Contains(NotRight, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>The app's password hasher, counting the hashes it checks.</summary>
    private sealed class CountingHasher : IPasswordHasher<TacitUser>
    {
        private readonly PasswordHasher<TacitUser> _inner = new();
        private int _verified;

        public int Verified => Volatile.Read(ref _verified);

        public string HashPassword(TacitUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(TacitUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verified);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [GeneratedRegex("<p class=\"error\" role=\"alert\" id=\"signin-error\">([^<]*)</p>")]
    private static partial Regex SignInError();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex(@"http://127\.0\.0\.1/reset-password\?\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex("name=\"Input.Code\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenCode();
}

public sealed class SignInSqliteTests(SqliteApp app) : SignInTests(app), IClassFixture<SqliteApp>;

public sealed class SignInPostgresTests(PostgresApp app) : SignInTests(app), IClassFixture<PostgresApp>;
