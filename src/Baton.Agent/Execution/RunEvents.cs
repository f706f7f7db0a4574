namespace Baton.Agent.Execution;

public enum StepStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    Skipped,
}

/// <summary>How the agent's execution of a run ended (the server maps it onto the run's state).</summary>
public enum RunResult
{
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
}

public enum LogSource
{
    Stdout,
    Stderr,
    /// <summary>Written by Baton itself: retries, skips, limits.</summary>
    System,
}

/// <summary>A log line numbered where it was produced: dense from 1 within the run.</summary>
public sealed record LogLine(long Number, int? Step, LogSource Source, string Text, DateTimeOffset At);

/// <summary>A step's state at a moment (sent when it starts and when it ends).</summary>
public sealed record StepReport(int Index, string Name, StepStatus Status, int Attempt, int? ExitCode,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

public sealed record RunReport(RunResult Result, IReadOnlyList<StepReport> Steps);

/// <summary>Receives what a run produces; the log shipper and the server client implement it.</summary>
public interface IRunObserver
{
    /// <summary>Called in line-number order, possibly from several threads (never at once).</summary>
    void OnLine(LogLine line);

    void OnStep(StepReport report);
}
