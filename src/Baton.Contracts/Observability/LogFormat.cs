using Microsoft.Extensions.Logging.Console;

namespace Baton.Contracts.Observability;

/// <summary>
/// The two log formats of the server and the agent: readable lines ("text", the default) or one JSON object per line
/// ("json") for log shippers, with the scopes (request, run, trace and span ids) as fields. Here so that both processes
/// accept the same words and write the same JSON.
/// </summary>
public static class LogFormat
{
    /// <summary>True for "json", false for "text" or nothing; anything else is refused at start (see <see cref="Check"/>).</summary>
    public static bool IsJson(string? format) => string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="format"/> is not a log format, or null; <paramref name="setting"/> names where it came from.</summary>
    public static string? Check(string? format, string setting) =>
        format is null || IsJson(format) || string.Equals(format, "text", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{setting} must be text or json (got '{format}')";

    /// <summary>The JSON console formatter's settings: scopes as fields, UTC timestamps to the millisecond.</summary>
    public static void ConfigureJsonConsole(JsonConsoleFormatterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IncludeScopes = true;
        options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        options.UseUtcTimestamp = true;
    }
}
