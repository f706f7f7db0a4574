using System.Diagnostics;

namespace Baton.Server.Infrastructure.Telemetry;

/// <summary>The server's ActivitySource: spans of runs that never reached an agent (an agent traces the runs it executes).</summary>
public static class BatonTracing
{
    public const string SourceName = "Baton";

    public static ActivitySource Source { get; } = new(SourceName);
}
