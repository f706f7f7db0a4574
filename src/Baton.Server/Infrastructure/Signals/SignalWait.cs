namespace Baton.Server.Infrastructure.Signals;

/// <summary>Waiting for a signal with a time limit, without leaving timers behind.</summary>
public static class SignalWait
{
    /// <summary>
    /// Completes when <paramref name="signal"/> completes, <paramref name="timeout"/> passes (infinite allowed) or
    /// <paramref name="cancellationToken"/> fires; never throws. The timer is cancelled as soon as the wait ends, so
    /// loops that wake often do not pile up pending delays.
    /// </summary>
    public static async Task ForAsync(Task signal, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, clock, done.Token);
        await Task.WhenAny(signal, delay);
        await done.CancelAsync();
    }
}
