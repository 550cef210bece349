using Microsoft.Extensions.Time.Testing;
using Tacit.Web.Features.Account;

namespace Tacit.Web.Tests.Features.Account;

/// <summary>The throttle's arithmetic, on a clock the test moves (the pages' behaviour is in <see cref="SignInTests"/>).</summary>
public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Past_five_failures_each_attempt_waits_twice_as_long_as_the_one_before_up_to_fifteen_minutes()
    {
        var throttle = new SignInThrottle(_clock);
        var keys = SignInKeys.Untrusted("ADA@EXAMPLE.COM", null);
        for (var i = 0; i < 5; i++) FailNow(throttle, keys);

        var waits = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            var wait = throttle.Begin(keys);
            waits.Add(wait.TotalSeconds);
            _clock.Advance(wait);
            FailNow(throttle, keys);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900], waits);
    }

    [Fact]
    public void Failures_are_forgiven_one_every_fifteen_minutes_and_a_right_password_forgets_them_all()
    {
        var throttle = new SignInThrottle(_clock);
        var keys = SignInKeys.Untrusted("ADA@EXAMPLE.COM", null);
        for (var i = 0; i < 5; i++) FailNow(throttle, keys);
        _clock.Advance(throttle.Begin(keys));
        FailNow(throttle, keys);
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.Begin(keys));

        _clock.Advance(TimeSpan.FromMinutes(30));
        FailNow(throttle, keys);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Begin(keys));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, throttle.Begin(keys));
        throttle.Succeeded(keys);
        for (var i = 0; i < 4; i++) FailNow(throttle, keys);
        Assert.Equal(TimeSpan.Zero, throttle.Begin(keys));
    }

    [Fact]
    public void An_address_counts_its_failures_over_every_account_and_only_its_failures()
    {
        var throttle = new SignInThrottle(_clock);
        var address = System.Net.IPAddress.Parse("203.0.113.5");
        for (var i = 0; i < 20; i++) FailNow(throttle, SignInKeys.Untrusted($"P{i}@EXAMPLE.COM", address));
        // Its own sign-ins do not wipe its failures out: guessing between them stays slow.
        var own = SignInKeys.Untrusted("OWN@EXAMPLE.COM", address);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Begin(own));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, throttle.Begin(own));
        throttle.Succeeded(own);
        FailNow(throttle, SignInKeys.Untrusted("ANOTHER@EXAMPLE.COM", address));
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.Begin(SignInKeys.Untrusted("THIRD@EXAMPLE.COM", address)));
        Assert.Equal(TimeSpan.Zero, throttle.Begin(SignInKeys.Untrusted("THIRD@EXAMPLE.COM", System.Net.IPAddress.Parse("198.51.100.1"))));
    }

    private static void FailNow(SignInThrottle throttle, SignInKeys keys)
    {
        Assert.Equal(TimeSpan.Zero, throttle.Begin(keys));
        throttle.Failed(keys);
    }
}
