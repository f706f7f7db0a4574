namespace Baton.Contracts.Runs;

/// <summary>Where one step of a run is; the agent reports it, the server stores and streams it.</summary>
public enum StepStatus
{
    /// <summary>Not started yet.</summary>
    Pending,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    /// <summary>Not run because an earlier step ended the run.</summary>
    Skipped,
}

/// <summary>How an agent's execution of a run ended; the server maps it onto the run's final state.</summary>
public enum RunResult
{
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
}
