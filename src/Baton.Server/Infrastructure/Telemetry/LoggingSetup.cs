using Baton.Contracts.Observability;
using Baton.Server.Configuration;

namespace Baton.Server.Infrastructure.Telemetry;

/// <summary>
/// Log output: readable lines by default; with <c>Logs:Format=json</c> (<c>BATON_Logs__Format=json</c>) one JSON object per
/// line for log shippers, with the scopes (request id, trace and span ids) as fields (<see cref="LogFormat"/>, shared with the agent).
/// </summary>
public static class LoggingSetup
{
    public const string Section = "Logs";
    public const string FormatKey = Section + ":Format";

    public static WebApplicationBuilder AddBatonLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidated<LogsOptions>(options => LogFormat.Check(options.Format, FormatKey), Section);
        // Every entry written during a traced operation carries its trace and span ids.
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (LogFormat.IsJson(builder.Configuration[FormatKey]))
        {
            builder.Logging.AddJsonConsole(LogFormat.ConfigureJsonConsole);
        }
        return builder;
    }
}

/// <summary>The <c>Logs</c> section: <see cref="Format"/> is text (default) or json.</summary>
public sealed class LogsOptions
{
    public string? Format { get; set; }
}
