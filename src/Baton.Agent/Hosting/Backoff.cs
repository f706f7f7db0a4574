namespace Baton.Agent.Hosting;

/// <summary>Doubling delays with jitter, from <paramref name="first"/> up to <paramref name="max"/>, for calls to an unreachable server.</summary>
internal sealed class Backoff(TimeSpan first, TimeSpan max)
{
    public int Failures { get; private set; }

    public TimeSpan Next()
    {
        var delay = first * Math.Pow(2, Math.Min(Failures, 16));
        Failures++;
        return Jitter.Around(delay < max ? delay : max);
    }

    /// <summary>Back to the first delay; true when there had been failures (a recovery worth logging).</summary>
    public bool Reset()
    {
        var recovered = Failures > 0;
        Failures = 0;
        return recovered;
    }
}
