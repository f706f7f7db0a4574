using System.Diagnostics.Metrics;
using Baton.Contracts.Runs;
using Baton.Core.Runs;

namespace Baton.Server.Infrastructure.Telemetry;

/// <summary>
/// The Meter "Baton": what operators ask first (what runs, what is slow, what failed). Counters and
/// histograms are recorded where their event happens, on the replica where it happens; the gauges
/// of runs and agents by status are read from the database at each collection
/// (<see cref="StateGauges"/>), so every replica reports the same totals. Durations are in seconds.
/// </summary>
public sealed class BatonMetrics
{
    public const string MeterName = "Baton";

    /// <summary>From a quick step to a long build: 5 ms to an hour.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _approvalWait;
    private readonly Counter<long> _logLines;
    private readonly Counter<long> _logBytes;

    public BatonMetrics(IMeterFactory meters, StateGauges gauges)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(gauges);
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>("baton.runs.started", "{run}", "Runs an agent started executing");
        _finished = meter.CreateCounter<long>("baton.runs.finished", "{run}", "Runs that reached a final status");
        _runDuration = Seconds(meter, "baton.run.duration", "Runs from claim to end");
        _stepDuration = Seconds(meter, "baton.step.duration", "Steps from process start to end");
        _queueWait = Seconds(meter, "baton.run.queue_wait", "Time runs waited queued before an agent took them");
        _approvalWait = Seconds(meter, "baton.run.approval_wait", "Time runs waited for their approvals");
        _logLines = meter.CreateCounter<long>("baton.log.lines", "{line}", "Log lines stored");
        _logBytes = meter.CreateCounter<long>("baton.log.bytes", "By", "Bytes of log text stored");
        meter.CreateObservableGauge("baton.runs", gauges.Runs, "{run}", "Runs by current status");
        meter.CreateObservableGauge("baton.agents", gauges.Agents, "{agent}", "Agents by status");
    }

    public void RunStarted(string project, TimeSpan queueWait)
    {
        _started.Add(1, new KeyValuePair<string, object?>("project", project));
        _queueWait.Record(NonNegative(queueWait), new KeyValuePair<string, object?>("project", project));
    }

    public void RunFinished(string project, RunStatus status, TimeSpan? ran)
    {
        var tags = new[] { new KeyValuePair<string, object?>("project", project), new KeyValuePair<string, object?>("status", Name(status)) };
        _finished.Add(1, tags);
        if (ran is { } duration)
        {
            _runDuration.Record(NonNegative(duration), tags);
        }
    }

    public void StepFinished(StepStatus status, DateTimeOffset? started, DateTimeOffset? finished)
    {
        if (started is { } from && finished is { } to && status is not (StepStatus.Pending or StepStatus.Running or StepStatus.Skipped))
        {
            _stepDuration.Record(NonNegative(to - from), new KeyValuePair<string, object?>("status", Name(status)));
        }
    }

    public void ApprovalWaited(string project, TimeSpan wait) =>
        _approvalWait.Record(NonNegative(wait), new KeyValuePair<string, object?>("project", project));

    public void LogsStored(long lines, long bytes)
    {
        _logLines.Add(lines);
        _logBytes.Add(bytes);
    }

    /// <summary>Status names as the API writes them (snake_case).</summary>
    public static string Name<TStatus>(TStatus status) where TStatus : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    private static Histogram<double> Seconds(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static double NonNegative(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
