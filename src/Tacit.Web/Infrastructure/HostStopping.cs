namespace Tacit.Web.Infrastructure;

/// <summary>When a background loop may end: only when the host is stopping it.</summary>
public static class HostStopping
{
    /// <summary>
    /// True for the cancellation of the host stopping. A loop catches every other exception, a cancellation its own work
    /// met included: let out of <c>ExecuteAsync</c>, that would end the loop quietly (BackgroundService takes it for a
    /// stop), and the loop's work (account mail, notifications, webhooks, …) would not be done again until a restart.
    /// </summary>
    public static bool IsHostStopping(this Exception e, CancellationToken stoppingToken) =>
        e is OperationCanceledException && stoppingToken.IsCancellationRequested;
}
