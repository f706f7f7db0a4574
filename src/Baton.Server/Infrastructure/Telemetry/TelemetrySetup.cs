using System.Diagnostics.Metrics;
using Baton.Contracts.Observability;
using Baton.Server.Infrastructure.Auth;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Baton.Server.Infrastructure.Telemetry;

public static class TelemetrySetup
{
    /// <summary>The runtime's built-in meter (.NET 9 and later).</summary>
    private const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// Gauges of that meter whose names end in ".count": in Prometheus text a "_count" suffix belongs to histograms and
    /// summaries, and promtool rejects them. They say little an operator acts on (CPUs, loaded assemblies, timers).
    /// </summary>
    private static readonly HashSet<string> UnlintedRuntimeGauges = ["dotnet.process.cpu.count", "dotnet.assembly.count", "dotnet.timer.count"];

    /// <summary>Metrics (Meter "Baton" and ASP.NET Core's) for Prometheus and OTLP; traces (ActivitySource "Baton" and requests) for OTLP.</summary>
    public static WebApplicationBuilder AddBatonTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<StateGauges>();
        builder.Services.AddSingleton<BatonMetrics>();
        builder.Services.AddSingleton<ProjectKeys>();
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Otlp.EndpointVariable));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("baton-server"))
            .WithMetrics(metrics =>
            {
                // Every scrape is answered fresh: scrapers come every few seconds, and a cached answer would hide a slow one.
                // System.Runtime is .NET's own meter (CPU, GC, heap, JIT, thread pool): what an operator looks at first when a
                // server is slow or large, and what the throughput bench reads to know the JIT has settled.
                metrics.AddMeter(BatonMetrics.MeterName, RuntimeMeter).AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                // Meters are process-wide: in a process that hosts several servers (the test suite does), each reports only
                // the instruments its own services created.
                IMeterFactory? own = null;
                (metrics as IDeferredMeterProviderBuilder)?.Configure((services, _) => own = services.GetRequiredService<IMeterFactory>());
                metrics.AddView(instrument => (own is not null && instrument.Meter.Scope is not null && !ReferenceEquals(instrument.Meter.Scope, own))
                    || UnlintedRuntimeGauges.Contains(instrument.Name)
                    ? MetricStreamConfiguration.Drop
                    : null);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(BatonTracing.SourceName).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary><c>GET /metrics</c>: Prometheus text for readers (a scraper sends a viewer token: nothing here is anonymous).</summary>
    public static IEndpointRouteBuilder MapBatonMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The gauges exist from the first scrape on, before any run made a counter move.
        app.Services.GetRequiredService<BatonMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Read)
            .WithTags("Observability").WithSummary("Prometheus metrics")
            .WithDescription("Runs started and finished, runs and agents by status, run, step, queue-wait and approval-wait histograms, "
                + "log lines and bytes, HTTP requests. Text exposition format; scrape with a viewer token.");
        return app;
    }
}
