namespace Baton.Core.Observability;

/// <summary>
/// What a work item's recent runs say about its steps: each step's typical duration and success
/// rate, whether one run's step was unusually slow, and which recipe versions are flaky.
/// </summary>
public static class StepHistory
{
    /// <summary>A step is slow when it took more than this times its usual p95.</summary>
    public const double SlowFactor = 1.5;
    /// <summary>Fewer earlier samples than this say nothing about what is usual.</summary>
    public const int MinSamples = 5;

    public static bool IsSlow(double seconds, double? usualP95Seconds, int samples) =>
        samples >= MinSamples && usualP95Seconds is { } p95 && seconds > SlowFactor * p95;

    /// <summary>
    /// Flaky: with the same recipe, the outcome flipped back and forth: at least two changes between success and failure
    /// in the order the runs happened (passes, fails, passes). A recipe that broke once and stayed broken is not flaky.
    /// </summary>
    public static bool Alternates(IReadOnlyList<bool> succeededInOrder)
    {
        ArgumentNullException.ThrowIfNull(succeededInOrder);
        var flips = 0;
        for (var i = 1; i < succeededInOrder.Count; i++)
        {
            if (succeededInOrder[i] != succeededInOrder[i - 1])
            {
                flips++;
            }
        }
        return flips >= 2;
    }
}
