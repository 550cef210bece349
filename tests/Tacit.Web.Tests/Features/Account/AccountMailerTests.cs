using Microsoft.Extensions.Logging.Abstractions;
using Tacit.Web.Features.Account;

namespace Tacit.Web.Tests.Features.Account;

/// <summary>The account mailer's queue outlives a mail that fails, however it fails, until the host stops it.</summary>
public sealed class AccountMailerTests
{
    [Fact]
    public async Task A_mail_that_fails_or_is_cancelled_on_its_own_does_not_stop_the_ones_after_it()
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        using var mailer = new AccountMailer(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<AccountMailer>.Instance);
        await mailer.StartAsync(CancellationToken.None);
        var sent = 0;
        mailer.Enqueue((_, _) => throw new InvalidOperationException("the mail server refused"));
        mailer.Enqueue((_, _) => throw new OperationCanceledException("a timeout inside the work, not the host stopping"));
        mailer.Enqueue((_, _) => { Interlocked.Increment(ref sent); return Task.CompletedTask; });
        await Poll.UntilAsync(() => Volatile.Read(ref sent) == 1, "the mail after the failed ones");
        Assert.False(mailer.ExecuteTask!.IsCompleted);
        await mailer.StopAsync(CancellationToken.None);
        Assert.True(mailer.ExecuteTask.IsCompleted);
    }
}
