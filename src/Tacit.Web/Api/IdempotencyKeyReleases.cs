using System.Threading.Channels;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Api;

/// <summary>
/// Lets go, as soon as the database is back, the <c>Idempotency-Key</c>s of requests that took no effect while it could
/// not be reached (they answered 503). Otherwise such a key would stay "in progress" until
/// <see cref="IdempotencyKeys.StalledAfter"/>, and a client retrying after a database restart of a second would be
/// told 409 for a minute. Kept in this instance's memory: what waits here when the instance stops is taken over by a
/// retry after StalledAfter, as a request cut off by a crash is.
/// </summary>
public sealed class IdempotencyKeyReleases(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyKeyReleases> logger) : BackgroundService
{
    private static readonly TimeSpan TryEvery = TimeSpan.FromSeconds(1);

    private readonly Channel<IdempotentRequest> _waiting =
        Channel.CreateBounded<IdempotentRequest>(new BoundedChannelOptions(10_000) { SingleReader = true });

    /// <summary>Lets the key go once the database answers; until StalledAfter, after which a retry takes it over anyway.</summary>
    public void LetGoLater(IdempotentRequest claim)
    {
        if (!_waiting.Writer.TryWrite(claim))
            logger.LogWarning("Too many Idempotency-Keys wait to be let go; a retry takes this one over after {StalledAfter}.", IdempotencyKeys.StalledAfter);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var claim in _waiting.Reader.ReadAllAsync(stoppingToken))
        {
            while (clock.GetUtcNow() - claim.AttemptedAt < IdempotencyKeys.StalledAfter)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await IdempotencyKeys.LetGoAsync(scope.ServiceProvider.GetRequiredService<TacitDbContext>(), claim, stoppingToken);
                    break;
                }
                catch (Exception e) when (ProblemDetailsExceptionHandler.DatabaseUnreachable(e))
                {
                    await Task.Delay(TryEvery, clock, stoppingToken);
                }
                catch (Exception e) when (!e.IsHostStopping(stoppingToken))
                {
                    logger.LogWarning(e, "Could not let an Idempotency-Key go; a retry takes it over after {StalledAfter}.", IdempotencyKeys.StalledAfter);
                    break;
                }
            }
        }
    }
}
