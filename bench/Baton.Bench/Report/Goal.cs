using System.Globalization;
using System.Text.RegularExpressions;
using Baton.Bench.Execution;

namespace Baton.Bench.Report;

/// <summary>
/// A goal as the benches write it ("&lt;= 4", "&gt;= 0.5", "&lt;= 3 ms", "&gt;= 10x peer"), so the report can say
/// whether each figure met its goal instead of leaving every reader to compare two columns by eye.
/// A goal it cannot read, or cannot fairly apply, is answered "don't know" (null), never a guess.
/// </summary>
internal sealed partial record Goal(string Operator, double Bound, string? Unit, bool OfPeer)
{
    public static Goal? Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }
        return new Goal(
            match.Groups["op"].Value,
            double.Parse(match.Groups["bound"].Value, NumberStyles.Float, CultureInfo.InvariantCulture),
            match.Groups["unit"].Success ? match.Groups["unit"].Value : null,
            match.Groups["peer"].Success);
    }

    /// <summary>Whether <paramref name="result"/> meets its own goal; null when the goal is absent, unreadable or not applicable.</summary>
    public static bool? Met(BenchResult result, IReadOnlyList<BenchResult> all)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Parse(result.Goal) is not { } goal || double.IsNaN(result.Value))
        {
            return null;
        }
        if (goal.OfPeer)
        {
            return goal.PeerRatio(result, all) is { } ratio ? goal.Holds(ratio.Value) : null;
        }
        return goal.UnitFits(result.Unit) ? goal.Holds(result.Value) : null;
    }

    /// <summary>
    /// "Nx peer" is about a ratio, which the figure itself is not (it is runs/s beside the peer's jobs/s). The
    /// ratio is the one figure of the same bench (the name's prefix before ':') in unit "x" whose goal is the
    /// same bound without "peer"; none or several and the report does not pick one.
    /// </summary>
    private BenchResult? PeerRatio(BenchResult result, IReadOnlyList<BenchResult> all)
    {
        if (Prefix(result.Name) is not { } prefix)
        {
            return null;
        }
        var ratios = all.Where(r => !ReferenceEquals(r, result) && r.Unit == "x" && Prefix(r.Name) == prefix && !double.IsNaN(r.Value)
                                    && Parse(r.Goal) is { OfPeer: false, Unit: null } g && g.Operator == Operator && g.Bound == Bound)
            .ToList();
        return ratios.Count == 1 ? ratios[0] : null;
    }

    /// <summary>A goal in ms fits a figure in ms or in ms per something ("ms/link"); a goal without a unit fits any figure.</summary>
    private bool UnitFits(string unit) =>
        Unit is null || unit == Unit || unit.StartsWith(Unit + "/", StringComparison.Ordinal);

    private bool Holds(double value) => Operator switch
    {
        "<=" => value <= Bound,
        ">=" => value >= Bound,
        "<" => value < Bound,
        ">" => value > Bound,
        _ => throw new InvalidOperationException($"goal operator {Operator} is not one the pattern reads"),
    };

    private static string? Prefix(string name) => name.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? name[..colon] : null;

    [GeneratedRegex(@"^\s*(?<op><=|>=|<|>)\s*(?<bound>\d+(?:\.\d+)?)\s*(?:(?<peer>x\s*peer)|(?<unit>[^\s\d]\S*))?\s*$")]
    private static partial Regex Pattern();
}
