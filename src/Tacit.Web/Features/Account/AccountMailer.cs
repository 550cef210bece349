using System.Threading.Channels;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Account;

/// <summary>
/// Account work whose duration would tell whether an account uses an email (finding it, stamping it, mailing its
/// owner) is done here, in the background, after the page has answered: the answer takes the same time either way.
/// The queue is in this instance's memory and bounded; what waits in it when the instance stops is lost, and the
/// person asks again.
/// </summary>
public sealed class AccountMailer(IServiceScopeFactory scopes, ILogger<AccountMailer> logger) : BackgroundService
{
    private readonly Channel<Func<IServiceProvider, CancellationToken, Task>> _work =
        Channel.CreateBounded<Func<IServiceProvider, CancellationToken, Task>>(new BoundedChannelOptions(1_000) { SingleReader = true });

    /// <summary>Runs the work soon, in a scope of its own (no request, no organisation).</summary>
    public void Enqueue(Func<IServiceProvider, CancellationToken, Task> work)
    {
        if (!_work.Writer.TryWrite(work)) logger.LogWarning("The account mailer's queue is full; a request for a mail was dropped.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in _work.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogError(e, "Account mail failed.");
            }
        }
    }
}
