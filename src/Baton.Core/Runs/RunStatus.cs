namespace Baton.Core.Runs;

/// <summary>Where a run is in its life (DESIGN.md section 2).</summary>
public enum RunStatus
{
    /// <summary>Waiting for the approvals the project's policy asks for.</summary>
    PendingApproval,
    /// <summary>Ready; waiting for an agent to claim it.</summary>
    Queued,
    /// <summary>Claimed by an agent that holds its lease.</summary>
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    /// <summary>Its agent's lease expired; requeued while attempts remain, else failed.</summary>
    Lost,
    /// <summary>A dependency failed; it will not run.</summary>
    Blocked,
    /// <summary>Ended without running because it was blocked.</summary>
    Skipped,
}

/// <summary>What happens to a run; each event moves it along one edge of the state machine.</summary>
public enum RunEvent
{
    Approve,
    Reject,
    Claim,
    Succeed,
    Fail,
    TimeOut,
    Cancel,
    LeaseExpired,
    Requeue,
    GiveUp,
    DependencyFailed,
    Skip,
}
