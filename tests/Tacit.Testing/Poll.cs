namespace Tacit.Testing;

/// <summary>Waits for what the app does in the background (a match run, the mailer, another instance) without sleeping longer than needed.</summary>
public static class Poll
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks the condition every 100 ms until it holds; after the timeout (30 s unless given) fails saying what did not happen.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit) throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} seconds.");
            await Task.Delay(Every);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
