using System.Diagnostics;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;

namespace Baton.Agent.Tracing;

/// <summary>
/// The spans of a run, made where it executes (ActivitySource "Baton"): the run's span, starting
/// when the server made the run, with its waits (approval, queue) as children whose times come from
/// the claim, and a span per step, live, which every step's process sees as its parent through
/// <c>TRACEPARENT</c>. The trace is the one the server gave the run. Activities always exist here
/// (a listener of its own records them), so step processes get a parent even when nothing exports
/// spans; an OpenTelemetry tracer provider listening to "Baton" exports them when one is configured.
/// </summary>
public static class AgentTracing
{
    public const string SourceName = "Baton";

    public static ActivitySource Source { get; } = new(SourceName);

    private static readonly ActivityListener Recorder = Listen();

    /// <summary>The run's span, parented to the run's trace; null for a server that gave none.</summary>
    public static Activity? StartRun(ClaimedRun run, string agent)
    {
        ArgumentNullException.ThrowIfNull(run);
        GC.KeepAlive(Recorder);
        if (run.Trace is not { } trace || !TryTraceId(trace.TraceId, out var traceId))
        {
            return null;
        }
        var parent = new ActivityContext(traceId, default, ActivityTraceFlags.Recorded, isRemote: true);
        var span = Source.StartActivity($"run {run.Project}/{run.WorkItem}", ActivityKind.Internal, parent, startTime: trace.CreatedAt);
        if (span is null)
        {
            return null;
        }
        span.SetTag("baton.run.id", run.RunId);
        span.SetTag("baton.run.attempt", run.Attempt);
        span.SetTag("baton.project", run.Project);
        span.SetTag("baton.work_item", run.WorkItem);
        span.SetTag("baton.agent", agent);
        var queued = trace.QueuedAt ?? trace.CreatedAt;
        if (trace.ApprovalRequired)
        {
            Wait("approval wait", span, trace.CreatedAt, queued);
        }
        Wait("queue wait", span, queued, trace.ClaimedAt);
        return span;
    }

    /// <summary>A step's span, a child of the current run span; its id is what the step's processes get as TRACEPARENT.</summary>
    public static Activity? StartStep(int index, string name)
    {
        var span = Source.StartActivity($"step {name}", ActivityKind.Internal);
        span?.SetTag("baton.step.index", index);
        span?.SetTag("baton.step.name", name);
        return span;
    }

    /// <summary>Ends a run's or step's span with its outcome.</summary>
    public static void End(Activity? span, bool succeeded, string outcome, int? exitCode)
    {
        if (span is null)
        {
            return;
        }
        span.SetTag("baton.outcome", outcome);
        if (exitCode is { } code)
        {
            span.SetTag("process.exit.code", code);
        }
        span.SetStatus(succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, succeeded ? null : outcome);
        span.Stop();
    }

    public static string Outcome(StepStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static string Outcome(RunResult result) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(result.ToString());

    /// <summary>A wait that already happened, as a finished child span with its real times.</summary>
    private static void Wait(string name, Activity parent, DateTimeOffset from, DateTimeOffset to)
    {
        using var wait = Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: from);
        wait?.SetEndTime(to.UtcDateTime);
    }

    private static bool TryTraceId(string text, out ActivityTraceId traceId)
    {
        traceId = default;
        if (text.Length != 32 || !text.All(Uri.IsHexDigit))
        {
            return false;
        }
        traceId = ActivityTraceId.CreateFromString(text);
        return true;
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
