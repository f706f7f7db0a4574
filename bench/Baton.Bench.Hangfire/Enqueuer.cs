namespace Baton.Bench.Hangfire;

/// <summary>Enqueues a fixed number of jobs from several concurrent producers.</summary>
public static class Enqueuer
{
    public static Task EnqueueAsync(int jobs, int producers, Func<string> enqueue)
    {
        var remaining = jobs;
        var tasks = Enumerable.Range(0, producers).Select(_ => Task.Run(() =>
        {
            // Each producer claims one job at a time so the total is exact.
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                enqueue();
            }
        }));
        return Task.WhenAll(tasks);
    }
}
