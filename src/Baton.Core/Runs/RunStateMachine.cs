using System.Collections.Frozen;

namespace Baton.Core.Runs;

/// <summary>
/// Every run state transition, in one table (DESIGN.md section 2):
/// <code>
/// pending_approval -> queued -> running -> succeeded | failed | timed_out | cancelled
///                      ^           |
///                      └── lost ───┘   (lease expired: requeued while attempts remain, else failed)
/// queued | pending_approval | lost -> cancelled ;  blocked (a dependency failed) -> skipped
/// </code>
/// A rejected approval ends the run as cancelled. A pair not in the table is refused, so a
/// late or duplicated event (a zombie agent's "succeeded" after the run was lost) changes nothing.
/// </summary>
public static class RunStateMachine
{
    private static readonly FrozenDictionary<(RunStatus, RunEvent), RunStatus> Edges = new Dictionary<(RunStatus, RunEvent), RunStatus>
    {
        [(RunStatus.PendingApproval, RunEvent.Approve)] = RunStatus.Queued,
        [(RunStatus.PendingApproval, RunEvent.Reject)] = RunStatus.Cancelled,
        [(RunStatus.PendingApproval, RunEvent.Cancel)] = RunStatus.Cancelled,
        [(RunStatus.PendingApproval, RunEvent.DependencyFailed)] = RunStatus.Blocked,
        [(RunStatus.Queued, RunEvent.Claim)] = RunStatus.Running,
        [(RunStatus.Queued, RunEvent.Cancel)] = RunStatus.Cancelled,
        [(RunStatus.Queued, RunEvent.DependencyFailed)] = RunStatus.Blocked,
        [(RunStatus.Running, RunEvent.Succeed)] = RunStatus.Succeeded,
        [(RunStatus.Running, RunEvent.Fail)] = RunStatus.Failed,
        [(RunStatus.Running, RunEvent.TimeOut)] = RunStatus.TimedOut,
        [(RunStatus.Running, RunEvent.Cancel)] = RunStatus.Cancelled,
        [(RunStatus.Running, RunEvent.LeaseExpired)] = RunStatus.Lost,
        [(RunStatus.Lost, RunEvent.Requeue)] = RunStatus.Queued,
        [(RunStatus.Lost, RunEvent.GiveUp)] = RunStatus.Failed,
        // A run whose cancellation was requested and whose agent then died is not worth requeueing.
        [(RunStatus.Lost, RunEvent.Cancel)] = RunStatus.Cancelled,
        [(RunStatus.Blocked, RunEvent.Skip)] = RunStatus.Skipped,
    }.ToFrozenDictionary();

    private static readonly FrozenSet<RunStatus> Final =
        new[] { RunStatus.Succeeded, RunStatus.Failed, RunStatus.TimedOut, RunStatus.Cancelled, RunStatus.Skipped }.ToFrozenSet();

    /// <summary>The state after <paramref name="runEvent"/>, or false when that event is not allowed now.</summary>
    public static bool TryApply(RunStatus current, RunEvent runEvent, out RunStatus next) =>
        Edges.TryGetValue((current, runEvent), out next);

    /// <summary>The states in which <paramref name="runEvent"/> is allowed: the guard of a conditional UPDATE.</summary>
    public static IReadOnlyList<RunStatus> AcceptingStates(RunEvent runEvent) =>
        [.. Edges.Keys.Where(edge => edge.Item2 == runEvent).Select(edge => edge.Item1).Order()];

    /// <summary>A final state never changes again.</summary>
    public static bool IsFinal(RunStatus status) => Final.Contains(status);

    /// <summary>
    /// What a lost run becomes: requeued for attempt <paramref name="attempt"/> + 1 while that
    /// stays within <paramref name="maxAttempts"/>, else failed.
    /// </summary>
    public static RunEvent AfterLost(int attempt, int maxAttempts, bool cancelRequested = false) =>
        cancelRequested ? RunEvent.Cancel : attempt < maxAttempts ? RunEvent.Requeue : RunEvent.GiveUp;
}
