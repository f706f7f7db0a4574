using Baton.Contracts.Runs;

namespace Baton.Agent.Execution;

public enum LogSource
{
    Stdout,
    Stderr,
    /// <summary>Written by Baton itself: retries, skips, limits.</summary>
    System,
}

/// <summary>A log line numbered where it was produced: dense within the run, from the claim's first line.</summary>
public sealed record LogLine(long Number, int? Step, LogSource Source, string Text, DateTimeOffset At);

/// <summary>A step's state at a moment (sent when it starts and when it ends), with its span when traced.</summary>
public sealed record StepReport(int Index, string Name, StepStatus Status, int Attempt, int? ExitCode,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? SpanId = null);

public sealed record RunReport(RunResult Result, IReadOnlyList<StepReport> Steps);

/// <summary>Receives what a run produces; the log shipper and the server client implement it.</summary>
public interface IRunObserver
{
    /// <summary>Called in line-number order, possibly from several threads (never at once).</summary>
    void OnLine(LogLine line);

    void OnStep(StepReport report);
}
