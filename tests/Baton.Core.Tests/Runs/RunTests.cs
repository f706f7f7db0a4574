using Baton.Core.Projects;
using Baton.Core.Runs;

namespace Baton.Core.Tests.Runs;

public sealed class RunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly RunRecipe Recipe = new(3, "sha256:ab", "steps: []", "{}");

    private static Run NewRun(bool approvalRequired) =>
        new(1, 2, 1, RunTrigger.Manual, Recipe, ["linux"], 0, ProjectPolicy.DefaultMaxRunAttempts, approvalRequired, "ann", Now);

    [Fact]
    public void ANewRun_IsQueued_OrWaitsForApproval_PerPolicy()
    {
        var free = NewRun(approvalRequired: false);
        var gated = NewRun(approvalRequired: true);

        Assert.Equal((RunStatus.Queued, Now), (free.Status, free.QueuedAt));
        Assert.Equal(RunStatus.PendingApproval, gated.Status);
        Assert.Null(gated.QueuedAt);
        Assert.Equal(("sha256:ab", 3, 1), (gated.RecipeHash, gated.RecipeVersion, gated.Attempt));
    }

    [Fact]
    public void Approval_QueuesTheRun_AndRejectionEndsIt_WithTheReason()
    {
        var approved = NewRun(approvalRequired: true);
        var rejected = NewRun(approvalRequired: true);

        Assert.True(approved.ApplyApproval(ApprovalOutcome.Approved, "", Now.AddMinutes(1)));
        Assert.True(rejected.ApplyApproval(ApprovalOutcome.Rejected, "rejected by bob: not now", Now.AddMinutes(1)));

        Assert.Equal((RunStatus.Queued, Now.AddMinutes(1)), (approved.Status, approved.QueuedAt));
        Assert.Equal((RunStatus.Cancelled, "rejected by bob: not now"), (rejected.Status, rejected.StatusReason));
        Assert.Equal(Now.AddMinutes(1), rejected.FinishedAt);
    }

    [Fact]
    public void Cancel_EndsAWaitingRun_AndNothingAfterwards()
    {
        var run = NewRun(approvalRequired: false);

        Assert.Equal(RunCancel.Cancelled, run.Cancel("bob", Now));
        Assert.Equal(RunCancel.AlreadyFinal, run.Cancel("bob", Now));
        Assert.False(run.ApplyApproval(ApprovalOutcome.Approved, "", Now));
        Assert.Equal((RunStatus.Cancelled, "cancelled by bob"), (run.Status, run.StatusReason));
    }
}
