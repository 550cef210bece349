namespace Tacit.Web.Features.Cycles;

/// <summary>Wakes the worker when a run is queued, so it starts at once rather than at the next poll.</summary>
public sealed class MatchRunSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Dispose() => _signal.Dispose();

    public void Wake()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
