using Baton.Core.Runs;

namespace Baton.Core.Tests.Runs;

public sealed class RunStateMachineTests
{
    /// <summary>The whole table, written out independently of the implementation.</summary>
    private static readonly Dictionary<(RunStatus, RunEvent), RunStatus> Expected = new()
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
        [(RunStatus.Lost, RunEvent.Cancel)] = RunStatus.Cancelled,
        [(RunStatus.Blocked, RunEvent.Skip)] = RunStatus.Skipped,
    };

    public static TheoryData<RunStatus, RunEvent> EveryPair()
    {
        var data = new TheoryData<RunStatus, RunEvent>();
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            foreach (var runEvent in Enum.GetValues<RunEvent>())
            {
                data.Add(status, runEvent);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void TryApply_FollowsTheTable_ForEveryStateAndEvent(RunStatus status, RunEvent runEvent)
    {
        var allowed = RunStateMachine.TryApply(status, runEvent, out var next);

        Assert.Equal(Expected.TryGetValue((status, runEvent), out var expected), allowed);
        if (allowed)
        {
            Assert.Equal(expected, next);
        }
    }

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.TimedOut)]
    [InlineData(RunStatus.Cancelled)]
    [InlineData(RunStatus.Skipped)]
    public void FinalStates_AcceptNoEvent(RunStatus status)
    {
        Assert.True(RunStateMachine.IsFinal(status));
        Assert.All(Enum.GetValues<RunEvent>(), e => Assert.False(RunStateMachine.TryApply(status, e, out _)));
    }

    [Fact]
    public void ALateSuccess_FromAZombieAgent_DoesNotReviveALostRun()
    {
        Assert.True(RunStateMachine.TryApply(RunStatus.Running, RunEvent.LeaseExpired, out var lost));

        Assert.False(RunStateMachine.TryApply(lost, RunEvent.Succeed, out _));
    }

    [Theory]
    [InlineData(1, 2, RunEvent.Requeue)]
    [InlineData(2, 2, RunEvent.GiveUp)]
    [InlineData(3, 2, RunEvent.GiveUp)]
    public void AfterLost_RequeuesWhileAttemptsRemain(int attempt, int maxAttempts, RunEvent expected) =>
        Assert.Equal(expected, RunStateMachine.AfterLost(attempt, maxAttempts));

    [Fact]
    public void AfterLost_ARunWhoseCancelWasRequested_IsCancelledNotRequeued() =>
        Assert.Equal(RunEvent.Cancel, RunStateMachine.AfterLost(1, 2, cancelRequested: true));

    [Fact]
    public void AcceptingStates_AreTheTableRowsForThatEvent() =>
        Assert.Equal([RunStatus.PendingApproval, RunStatus.Queued, RunStatus.Running, RunStatus.Lost],
            RunStateMachine.AcceptingStates(RunEvent.Cancel));
}
