using System.ComponentModel.DataAnnotations;

namespace Tacit.Web.Features.Webhooks;

/// <summary>How webhooks are sent (the Webhooks section of the configuration; docs/integrations.md).</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Whether endpoints may be on loopback, private, link-local or other non-public addresses. Off by default: a webhook
    /// address is typed by an organisation's admin, and Tacit's server must not become their way into the network it
    /// runs in (server-side request forgery). An operator who runs Tacit inside a company network for one organisation
    /// may turn it on; the tests do, for their receivers on 127.0.0.1.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Attempts before a delivery is given up (an admin may replay it).</summary>
    [Range(1, 50)] public int MaxAttempts { get; set; } = 10;

    /// <summary>The pause after the first failed attempt; each further failure doubles it, up to <see cref="MaxRetryAfter"/>.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Failed attempts in a row after which an endpoint is paused until an admin resumes it.</summary>
    [Range(1, 1000)] public int PauseAfterFailures { get; set; } = 15;

    /// <summary>How long an endpoint has to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the sender looks for due deliveries when it has nothing to do.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The pause before the attempt after <paramref name="failedAttempts"/> failed ones.</summary>
    public TimeSpan RetryAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var pause = FirstRetryAfter * factor;
        return pause > MaxRetryAfter ? MaxRetryAfter : pause;
    }
}
