using Baton.Core.Observability;

namespace Baton.Core.Tests.Observability;

public sealed class DurationStatsTests
{
    private static readonly double[] Bounds = [1, 10];

    [Fact]
    public void Of_GivesNearestRankPercentiles_TheMean_AndCountsPerBucket()
    {
        var stats = DurationStats.Of([.. Enumerable.Range(1, 100).Select(i => (double)i)], Bounds);

        Assert.Equal((100, 50.5, 50.0, 95.0, 99.0), (stats.Count, stats.AverageSeconds, stats.P50Seconds, stats.P95Seconds, stats.P99Seconds));
        Assert.Equal([(1.0, 1), (10.0, 9), ((double?)null, 90)], stats.Buckets.Select(b => (b.UpperBoundSeconds, b.Count)).ToArray());
    }

    [Fact]
    public void Of_NothingGivesNoFigures_ButEveryBucket()
    {
        var stats = DurationStats.Of([], Bounds);

        Assert.Equal((0, (double?)null, (double?)null), (stats.Count, stats.AverageSeconds, stats.P95Seconds));
        Assert.Equal(3, stats.Buckets.Count);
        Assert.All(stats.Buckets, b => Assert.Equal(0, b.Count));
    }

    [Theory]
    [InlineData(new[] { true, false, true }, true)]
    [InlineData(new[] { false, true, true, false }, true)]
    [InlineData(new[] { true, true, false, false }, false)]
    [InlineData(new[] { true, true, true }, false)]
    [InlineData(new bool[0], false)]
    public void Alternates_WhenTheOutcomeFlipsBackAndForth(bool[] outcomes, bool flaky) =>
        Assert.Equal(flaky, StepHistory.Alternates(outcomes));

    [Theory]
    [InlineData(16, 10, 5, true)]
    [InlineData(15, 10, 5, false)]
    [InlineData(100, 10, 4, false)]
    public void IsSlow_PastOneAndAHalfTimesTheUsualP95_WithEnoughHistory(double seconds, double p95, int samples, bool slow) =>
        Assert.Equal(slow, StepHistory.IsSlow(seconds, p95, samples));
}
