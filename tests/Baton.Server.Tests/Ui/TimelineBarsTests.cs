using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;
using Baton.Server.Ui.Runs;

namespace Baton.Server.Tests.Ui;

public sealed class TimelineBarsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static RunStepDto Step(int index, StepStatus status, double? from, double? to) =>
        new(index, $"s{index}", status, 1, null, from is { } f ? At(f) : null, to is { } t ? At(t) : null, from is { } a && to is { } b ? b - a : null);

    private static RunDto Run(RunStatus status, double? queued, double? started, double? finished, ApprovalDto? approval, params RunStepDto[] steps) => new()
    {
        Id = 1, Project = "p", WorkItem = "WI-1", Number = 1, Status = status, Trigger = RunTrigger.Manual, Attempt = 1, MaxAttempts = 1,
        RecipeVersion = 1, RecipeHash = "h", Labels = [], Priority = 0, RequestedBy = "me", CancelRequested = false, CreatedAt = T0,
        QueuedAt = queued is { } q ? At(q) : null, StartedAt = started is { } s ? At(s) : null, FinishedAt = finished is { } f ? At(f) : null,
        LogLines = 0, Approval = approval, Steps = steps,
    };

    [Fact]
    public void AFinishedRun_HasQueueAndStepBars_AsSharesOfItsSpan()
    {
        var run = Run(RunStatus.Succeeded, 0, 2, 10, null, Step(0, StepStatus.Succeeded, 2, 4), Step(1, StepStatus.Succeeded, 4, 10));

        var bars = TimelineBars.For(run, At(99));

        Assert.Equal(["queue", "step", "step"], bars.Select(b => b.Kind));
        Assert.Equal([20, 20, 60], bars.Select(b => Math.Round(b.Width, 3)));
        Assert.Equal([0, 20, 40], bars.Select(b => Math.Round(b.Offset, 3)));
        Assert.Equal(["idle", "succeeded", "succeeded"], bars.Select(b => b.Status));
        Assert.All(bars, b => Assert.False(b.Live));
    }

    [Fact]
    public void ARunningStep_GrowsToNow()
    {
        var run = Run(RunStatus.Running, 0, 0, null, null, Step(0, StepStatus.Running, 1, null), Step(1, StepStatus.Pending, null, null));

        var bars = TimelineBars.For(run, At(5));

        var running = bars.Single(b => b.Label == "s0");
        Assert.True(running.Live);
        Assert.Equal(TimeSpan.FromSeconds(4), running.Duration);
        Assert.Equal(80, Math.Round(running.Width, 3));
        Assert.Equal(0, bars.Single(b => b.Label == "s1").Width);
    }

    [Fact]
    public void AnApprovalWait_IsABar_WhileItLastsAndAfter()
    {
        var approval = new ApprovalDto(1, 0, false, ApprovalOutcome.Pending, [], null);
        var waiting = TimelineBars.For(Run(RunStatus.PendingApproval, null, null, null, approval), At(3));
        Assert.Equal(("approval", "pending_approval", true), (waiting[0].Kind, waiting[0].Status, waiting[0].Live));
        Assert.Equal(100, waiting[0].Width);

        var approved = TimelineBars.For(Run(RunStatus.Queued, 3, null, null, approval), At(4));
        Assert.Equal(["approval", "queue"], approved.Select(b => b.Kind));
        Assert.Equal("approved", approved[0].Status);
        Assert.Equal(75, Math.Round(approved[0].Width, 3));
        Assert.True(approved[1].Live);
    }
}
