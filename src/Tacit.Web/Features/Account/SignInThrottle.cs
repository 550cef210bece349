using System.Net;
using System.Net.Sockets;

namespace Tacit.Web.Features.Account;

/// <summary>How many failures a counter lets through before it slows attempts down, and how quickly it forgets them.</summary>
public sealed record Allowance(int Free, TimeSpan ForgivenEvery);

/// <summary>
/// What one sign-in attempt counts against: the account (the email typed, whether or not an account uses it) and the
/// source address; or, from a browser the account signed in from before (<see cref="TrustedBrowsers"/>), that browser
/// alone, so that failures anywhere else never slow the owner down there.
/// </summary>
public sealed record SignInKeys(string Account, string? Source)
{
    public static SignInKeys Untrusted(string normalisedEmail, IPAddress? source) =>
        new($"email:{normalisedEmail}", source is null ? null : $"source:{Network(source)}");

    public static SignInKeys Trusted(string browserId) => new($"browser:{browserId}", null);

    private static string Network(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        // One IPv6 host usually holds a whole /64: counting its addresses one by one would count nothing.
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}

/// <summary>
/// Slows failed sign-ins down instead of locking anyone out (docs/security.md, "Sign-in, enumeration and lock-out").
/// Past a counter's free failures, each further attempt waits twice as long after the last failure as the one before
/// (1 s, 2 s, 4 s … up to <see cref="LongestWait"/>), and failures are forgiven one at a time as time passes. The
/// counters live in this instance's memory: a restart forgets them, and behind several instances each counts its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    /// <summary>Per account and per trusted browser: five tries, one failure forgiven every 15 minutes (under attack, about 100 guesses a day).</summary>
    public static readonly Allowance PerAccount = new(5, TimeSpan.FromMinutes(15));

    /// <summary>Per source address, over every account: an office behind one address types its passwords wrong often, and forgets quickly.</summary>
    public static readonly Allowance PerSource = new(20, TimeSpan.FromMinutes(1));

    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);

    /// <summary>A flood of made-up emails costs at most this many counters (a few megabytes).</summary>
    private const int MostCounters = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Count> _counts = new(StringComparer.Ordinal);

    /// <summary>
    /// How long the attempt must wait; zero lets it go on and counts it against its account at once (until
    /// <see cref="Succeeded"/> clears it), so that guesses sent in parallel cannot slip past the allowance.
    /// </summary>
    public TimeSpan Begin(SignInKeys keys)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var wait = WaitOf(keys.Account, PerAccount, now);
            if (keys.Source is not null && WaitOf(keys.Source, PerSource, now) is var sourceWait && sourceWait > wait) wait = sourceWait;
            if (wait == TimeSpan.Zero) Add(keys.Account, PerAccount, now);
            return wait;
        }
    }

    /// <summary>The password was wrong: the source address counts it too (the account did at <see cref="Begin"/>).</summary>
    public void Failed(SignInKeys keys)
    {
        if (keys.Source is null) return;
        var now = clock.GetUtcNow();
        lock (_gate) Add(keys.Source, PerSource, now);
    }

    /// <summary>The password was right: the account's (or browser's) failures are forgotten; the address's are not, or guessing between one's own sign-ins would be free.</summary>
    public void Succeeded(SignInKeys keys)
    {
        lock (_gate) _counts.Remove(keys.Account);
    }

    private TimeSpan WaitOf(string key, Allowance allowance, DateTimeOffset now)
    {
        if (!_counts.TryGetValue(key, out var count)) return TimeSpan.Zero;
        var failures = count.FailuresAt(now);
        if (failures < allowance.Free) return TimeSpan.Zero;
        var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - allowance.Free), LongestWait.TotalSeconds));
        var wait = count.Last + delay - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private void Add(string key, Allowance allowance, DateTimeOffset now)
    {
        var failures = _counts.TryGetValue(key, out var count) ? count.FailuresAt(now) : 0;
        if (_counts.Count >= MostCounters && !_counts.ContainsKey(key)) Sweep(now);
        _counts[key] = new Count(failures + 1, now, allowance.ForgivenEvery);
    }

    /// <summary>Drops the forgotten counters; when a flood leaves the table full still, the tenth nearest to forgotten goes too.</summary>
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, count) in _counts)
            if (count.FailuresAt(now) == 0) _counts.Remove(key);
        if (_counts.Count < MostCounters) return;
        foreach (var key in _counts.OrderBy(c => c.Value.ForgottenAt).Take(MostCounters / 10).Select(c => c.Key).ToList())
            _counts.Remove(key);
    }

    private readonly record struct Count(int Failures, DateTimeOffset Last, TimeSpan ForgivenEvery)
    {
        public DateTimeOffset ForgottenAt => Last + ForgivenEvery * Failures;

        public int FailuresAt(DateTimeOffset now) => now <= Last ? Failures : Math.Max(0, Failures - (int)((now - Last) / ForgivenEvery));
    }
}
