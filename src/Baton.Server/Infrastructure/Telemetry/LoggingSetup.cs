using Baton.Server.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Baton.Server.Infrastructure.Telemetry;

/// <summary>
/// Log output: readable lines by default; with <c>Logs:Format=json</c> (<c>BATON_Logs__Format=json</c>) one JSON object per
/// line for log shippers, with the scopes (request id, trace and span ids) as fields.
/// </summary>
public static class LoggingSetup
{
    public const string Section = "Logs";
    public const string FormatKey = Section + ":Format";

    public static WebApplicationBuilder AddBatonLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidated<LogsOptions>(options => Check(options.Format), Section);
        // Every entry written during a traced operation carries its trace and span ids.
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (IsJson(builder.Configuration[FormatKey]))
        {
            builder.Logging.AddJsonConsole(Json);
        }
        return builder;
    }

    /// <summary>True for "json", false for "text" or nothing; anything else is refused at start (see <see cref="Check"/>).</summary>
    public static bool IsJson(string? format) => string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="format"/> is not a log format, or null.</summary>
    public static string? Check(string? format) =>
        format is null || IsJson(format) || string.Equals(format, "text", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{FormatKey} must be text or json (got '{format}')";

    /// <summary>The JSON console formatter's settings, shared with the agent's command line.</summary>
    public static void Json(JsonConsoleFormatterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IncludeScopes = true;
        options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        options.UseUtcTimestamp = true;
    }
}

/// <summary>The <c>Logs</c> section: <see cref="Format"/> is text (default) or json.</summary>
public sealed class LogsOptions
{
    public string? Format { get; set; }
}
