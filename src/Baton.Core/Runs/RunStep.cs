using Baton.Contracts.Runs;

namespace Baton.Core.Runs;

/// <summary>One step of a run as it happened; created pending with the run, updated by the agent.</summary>
public sealed class RunStep
{
    private RunStep() { }

    public RunStep(long runId, int index, string name)
    {
        RunId = runId;
        Index = index;
        Name = name;
    }

    public long RunId { get; private set; }
    public int Index { get; private set; }
    public string Name { get; private set; } = "";
    public StepStatus Status { get; private set; } = StepStatus.Pending;
    /// <summary>Which try of the step (its recipe's retry policy); 0 before it starts.</summary>
    public int Attempt { get; private set; }
    public int? ExitCode { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>The step's span in the run's trace, as its agent reported it (16 hex digits).</summary>
    public string? SpanId { get; private set; }

    public double? DurationSeconds => StartedAt is { } started && FinishedAt is { } finished ? (finished - started).TotalSeconds : null;
}
