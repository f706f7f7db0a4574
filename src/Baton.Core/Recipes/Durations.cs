using System.Globalization;
using System.Text.RegularExpressions;

namespace Baton.Core.Recipes;

/// <summary>Recipe durations: a whole number and one unit, <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>.</summary>
public static partial class Durations
{
    public const string Forms = "a whole number followed by ms, s, m or h (e.g. 500ms, 30s, 5m, 1h)";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text ?? "");
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        var unit = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            _ => TimeSpan.TicksPerHour,
        };
        // Anything beyond ten thousand hours is refused before it can overflow.
        if (amount > TimeSpan.FromHours(10_000).Ticks / unit)
        {
            return false;
        }
        value = TimeSpan.FromTicks(amount * unit);
        return true;
    }

    /// <summary>The shortest exact form: 90 seconds is "90s", two hours "2h".</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms switch
        {
            _ when ms % 3_600_000 == 0 && ms > 0 => $"{ms / 3_600_000}h",
            _ when ms % 60_000 == 0 && ms > 0 => $"{ms / 60_000}m",
            _ when ms % 1_000 == 0 => $"{ms / 1_000}s",
            _ => $"{ms}ms",
        };
    }

    [GeneratedRegex("^([0-9]{1,12})(ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
