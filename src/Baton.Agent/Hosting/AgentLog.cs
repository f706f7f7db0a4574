using Baton.Contracts.Runs;
using Microsoft.Extensions.Logging;

namespace Baton.Agent.Hosting;

/// <summary>The agent's log messages: one per claimed and per finished run, and first failures with their recovery.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Registered as agent {AgentId} ('{Name}') at {Server}; capacity {Capacity}")]
    public static partial void Registered(this ILogger logger, long agentId, string name, Uri server, int capacity);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Cannot reach the server ({Call}); retrying with backoff: {Error}")]
    public static partial void ServerUnreachable(this ILogger logger, string call, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "The server answers again ({Call})")]
    public static partial void ServerReachable(this ILogger logger, string call);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Claimed run {RunId} (epoch {Epoch}, attempt {Attempt}): {Project}/{WorkItem}")]
    public static partial void Claimed(this ILogger logger, long runId, long epoch, int attempt, string project, string workItem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Run {RunId} finished: {Result}")]
    public static partial void Finished(this ILogger logger, long runId, RunResult result);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Run {RunId} stopped without a result: {Reason}")]
    public static partial void Abandoned(this ILogger logger, long runId, string? reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Draining: no new runs; waiting up to {Grace} for {Count} running run(s)")]
    public static partial void Draining(this ILogger logger, TimeSpan grace, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Drain grace passed: cancelling {Count} run(s)")]
    public static partial void DrainGracePassed(this ILogger logger, int count);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "Run {RunId} failed inside the agent")]
    public static partial void SessionFault(this ILogger logger, Exception exception, long runId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Could not delete {Directory}: {Error}")]
    public static partial void CleanupFailed(this ILogger logger, string directory, string error);
}
