namespace Baton.Core.Observability;

/// <summary>Count, mean, percentiles (nearest rank) and histogram counts of a set of durations in seconds.</summary>
public sealed record DurationStats(int Count, double? AverageSeconds, double? P50Seconds, double? P95Seconds, double? P99Seconds,
    IReadOnlyList<DurationBucket> Buckets)
{
    /// <param name="upperBounds">Ascending bucket bounds; one more bucket holds everything above the last.</param>
    public static DurationStats Of(IEnumerable<double> seconds, IReadOnlyList<double> upperBounds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        ArgumentNullException.ThrowIfNull(upperBounds);
        var sorted = seconds.Where(s => !double.IsNaN(s)).Order().ToArray();
        var counts = new int[upperBounds.Count + 1];
        foreach (var value in sorted)
        {
            var bucket = 0;
            while (bucket < upperBounds.Count && value > upperBounds[bucket])
            {
                bucket++;
            }
            counts[bucket]++;
        }
        var buckets = counts.Select((count, i) => new DurationBucket(i < upperBounds.Count ? upperBounds[i] : null, count)).ToList();
        return sorted.Length == 0
            ? new DurationStats(0, null, null, null, null, buckets)
            : new DurationStats(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), buckets);
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>How many durations fell at or below <see cref="UpperBoundSeconds"/> and above the bound before it (null: no bound).</summary>
public sealed record DurationBucket(double? UpperBoundSeconds, int Count);
