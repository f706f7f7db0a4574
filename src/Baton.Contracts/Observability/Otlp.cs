namespace Baton.Contracts.Observability;

/// <summary>OpenTelemetry's standard settings that Baton's server and agent both follow.</summary>
public static class Otlp
{
    /// <summary>The standard variable naming an OTLP collector; when it is set, spans (and the server's metrics) are exported there.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
}
