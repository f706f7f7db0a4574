using System.Diagnostics;

namespace Baton.Chaos;

/// <summary>The driver's one way of waiting for something outside it (a replica, the database, the reaper) to come true.</summary>
internal static class Poll
{
    /// <summary>Asks <paramref name="done"/> every <paramref name="interval"/> until it says yes (true) or <paramref name="limit"/> has passed (false).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> done, TimeSpan limit, TimeSpan interval, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!await done())
        {
            if (waited.Elapsed >= limit)
            {
                return false;
            }
            await Task.Delay(interval, cancellationToken);
        }
        return true;
    }
}
