using System.Globalization;
using System.Text.Json;

namespace Baton.Server.Ui.Common;

/// <summary>How the pages write values: the API's names for states, short durations, times in UTC.</summary>
public static class UiText
{
    /// <summary>A state as the API spells it (<c>pending_approval</c>), also the suffix of its badge's CSS class.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The same state in words for people (<c>pending approval</c>).</summary>
    public static string Words<TEnum>(TEnum value) where TEnum : struct, Enum => Name(value).Replace('_', ' ');

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "–",
        { TotalMilliseconds: < 1000 } s => $"{s.TotalMilliseconds:0} ms",
        { TotalSeconds: < 60 } s => $"{s.TotalSeconds:0.0} s",
        { TotalMinutes: < 60 } s => $"{(int)s.TotalMinutes}m {s.Seconds:00}s",
        { } s => $"{(int)s.TotalHours}h {s.Minutes:00}m",
    };

    public static string Duration(double? seconds) => Duration(seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    public static string Time(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "–";

    /// <summary>"3 min ago" against <paramref name="now"/>, for lists; the exact time goes in a title.</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now) => at is not { } then ? "–" : (now - then) switch
    {
        { TotalSeconds: < 5 } => "just now",
        { TotalMinutes: < 1 } d => $"{(int)d.TotalSeconds} s ago",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min ago",
        { TotalDays: < 1 } d => $"{(int)d.TotalHours} h ago",
        { } d => $"{(int)d.TotalDays} d ago",
    };
}
