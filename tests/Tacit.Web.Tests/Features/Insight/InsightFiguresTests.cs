using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tacit.Web.Features.Insight;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Tests.Features.Insight;

/// <summary>
/// How insight reports are held: computed once, served while fresh, served stale while a fresh one is computed,
/// computed once for readers who arrive together, computed again on request, and never held when computing failed.
/// The computation here is a counter in a scope that acts for the organisation, as the report classes are.
/// </summary>
public sealed class InsightFiguresTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider services;
    private readonly InsightFigures figures;
    private readonly Guid organisation = Guid.NewGuid();
    private int computed;

    public InsightFiguresTests()
    {
        services = new ServiceCollection().AddScoped<TenantContext>().BuildServiceProvider();
        figures = new InsightFigures(services.GetRequiredService<IServiceScopeFactory>(), clock, new NoStopping(), NullLogger<InsightFigures>.Instance);
    }

    private Task<Computed<string>> ReadAsync(bool refresh = false, Guid? organisationId = null, string key = "",
        Func<Task>? during = null) =>
        figures.GetAsync(organisationId ?? organisation, key, Compute(during), _ => 1, refresh, CancellationToken.None);

    private Func<IServiceProvider, CancellationToken, Task<string>> Compute(Func<Task>? during = null) => async (scope, _) =>
    {
        var acting = scope.GetRequiredService<TenantContext>().OrganisationId;
        if (during is not null) await during();
        return $"{acting:N}#{Interlocked.Increment(ref computed)}";
    };

    [Fact]
    public async Task Warming_computes_a_report_in_the_background_only_when_none_is_held()
    {
        figures.Warm(organisation, "", Compute(), _ => 1);
        await Poll.UntilAsync(() => Volatile.Read(ref computed) == 1, "the warmed report");
        Assert.Equal($"{organisation:N}#1", (await ReadAsync()).Report);
        figures.Warm(organisation, "", Compute(), _ => 1);
        Assert.Equal($"{organisation:N}#1", (await ReadAsync()).Report);
        Assert.Equal(1, computed);
    }

    [Fact]
    public async Task A_report_is_computed_once_for_its_organisation_and_held_while_fresh()
    {
        var first = await ReadAsync();
        Assert.Equal($"{organisation:N}#1", first.Report);
        Assert.Equal(clock.GetUtcNow(), first.ComputedAt);
        clock.Advance(InsightFigures.FreshFor - TimeSpan.FromSeconds(1));
        Assert.Same(first, await ReadAsync());
        Assert.Equal(1, computed);

        var other = Guid.NewGuid();
        Assert.Equal($"{other:N}#2", (await ReadAsync(organisationId: other)).Report);
        Assert.Equal($"{organisation:N}#3", (await ReadAsync(key: "cycle")).Report);
    }

    [Fact]
    public async Task A_stale_report_is_served_at_once_while_a_fresh_one_is_computed()
    {
        var first = await ReadAsync();
        clock.Advance(InsightFigures.FreshFor);
        var release = new TaskCompletionSource();
        Assert.Same(first, await ReadAsync(during: () => release.Task)); // answered while the new computation waits
        Assert.Equal(1, computed);
        release.SetResult();
        Computed<string>? fresh = null;
        await Poll.UntilAsync(async () => (fresh = await ReadAsync()).Report != first.Report, "the fresh report");
        Assert.Equal(clock.GetUtcNow(), fresh!.ComputedAt);
        Assert.StartsWith($"{organisation:N}#", fresh.Report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readers_who_arrive_together_share_one_computation_and_a_refresh_computes_again()
    {
        var release = new TaskCompletionSource();
        var readers = Enumerable.Range(0, 5).Select(_ => ReadAsync(during: () => release.Task)).ToList();
        release.SetResult();
        var reports = await Task.WhenAll(readers);
        Assert.All(reports, r => Assert.Equal($"{organisation:N}#1", r.Report));
        Assert.Equal(1, computed);

        Assert.Equal($"{organisation:N}#2", (await ReadAsync(refresh: true)).Report);
        Assert.Equal($"{organisation:N}#2", (await ReadAsync()).Report);
    }

    [Fact]
    public async Task A_failed_computation_is_not_held_and_the_next_reader_tries_again()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAsync(during: () => throw new InvalidOperationException("database gone")));
        Assert.Equal($"{organisation:N}#1", (await ReadAsync()).Report);
    }

    public void Dispose()
    {
        figures.Dispose();
        services.Dispose();
    }

    private sealed class NoStopping : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
