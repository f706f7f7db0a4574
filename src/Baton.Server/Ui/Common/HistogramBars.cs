using Baton.Core.Observability;

namespace Baton.Server.Ui.Common;

/// <summary>A histogram's bars: its buckets from the first that holds a value to the last, each named by its upper bound.</summary>
public sealed record HistogramBar(string Label, int Count);

public static class HistogramBars
{
    public static IReadOnlyList<HistogramBar> Of(DurationStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var buckets = stats.Buckets.ToList();
        var first = buckets.FindIndex(b => b.Count > 0);
        var last = buckets.FindLastIndex(b => b.Count > 0);
        if (first < 0)
        {
            return [];
        }
        return [.. buckets.Skip(first).Take(last - first + 1).Select((b, i) => new HistogramBar(Label(b, first + i == buckets.Count - 1 ? buckets[^2] : null), b.Count))];
    }

    // "≤ 2.5 s"; the open-ended last bucket reads "> 1h".
    private static string Label(DurationBucket bucket, DurationBucket? below) => bucket.UpperBoundSeconds is { } bound
        ? "≤" + UiText.Duration(bound)
        : ">" + UiText.Duration(below?.UpperBoundSeconds);
}
