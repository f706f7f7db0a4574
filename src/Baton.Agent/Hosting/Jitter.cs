namespace Baton.Agent.Hosting;

/// <summary>Spreads retries of many agents (or many runs) apart, so a recovering server is not hit all at once.</summary>
internal static class Jitter
{
    /// <summary><paramref name="delay"/> plus or minus a quarter.</summary>
    public static TimeSpan Around(TimeSpan delay) =>
        delay * (0.75 + (Random.Shared.NextDouble() / 2));
}
