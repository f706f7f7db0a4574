using Baton.Server.Infrastructure.Signals;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Server.Tests.Infrastructure.Signals;

public sealed class SignalWaitTests
{
    [Fact]
    public async Task AWaitYearsLong_EndsAfterTheLongestWait_InsteadOfThrowing()
    {
        var clock = new FakeTimeProvider();
        var never = new TaskCompletionSource().Task;

        var wait = SignalWait.ForAsync(never, TimeSpan.FromDays(365 * 70), clock, CancellationToken.None);
        clock.Advance(SignalWait.Longest - TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ANegativeWait_EndsAtOnce()
    {
        var never = new TaskCompletionSource().Task;

        await SignalWait.ForAsync(never, TimeSpan.FromMinutes(-5), new FakeTimeProvider(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnInfiniteWait_EndsWithItsSignal()
    {
        var clock = new FakeTimeProvider();
        var signal = new TaskCompletionSource();

        var wait = SignalWait.ForAsync(signal.Task, Timeout.InfiniteTimeSpan, clock, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(400));
        Assert.False(wait.IsCompleted);
        signal.SetResult();

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
