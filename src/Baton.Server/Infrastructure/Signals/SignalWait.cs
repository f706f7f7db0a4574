namespace Baton.Server.Infrastructure.Signals;

/// <summary>Waiting for a signal with a time limit, without leaving timers behind.</summary>
public static class SignalWait
{
    /// <summary>
    /// The longest one wait lasts. A timer refuses more than about 49 days, and a plan may be scheduled
    /// years ahead; every caller waits in a loop and works out its next wait again, so waking early once
    /// a day costs one pass and nothing else.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>
    /// Completes when <paramref name="signal"/> completes, <paramref name="timeout"/> (infinite allowed, at most
    /// <see cref="Longest"/> otherwise) passes or <paramref name="cancellationToken"/> fires; never throws. The
    /// timer is cancelled as soon as the wait ends, so loops that wake often do not pile up pending delays.
    /// </summary>
    public static async Task ForAsync(Task signal, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeout = timeout < TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(timeout.Ticks, Longest.Ticks));
        }
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, clock, done.Token);
        await Task.WhenAny(signal, delay);
        await done.CancelAsync();
    }
}
