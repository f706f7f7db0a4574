using Baton.Core.Access;
using Baton.Core.Runs;

namespace Baton.Core.Tests.Runs;

public sealed class RunApprovalTests
{
    private const string Hash = "sha256:aaaa";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static RunApproval TwoOfMany(bool selfApprovalAllowed = false) => new(1, Hash, "ann", requiredApprovals: 2, selfApprovalAllowed);

    [Fact]
    public void Decide_NeedsTheRequiredNumber_OfDistinctApprovers()
    {
        var approval = TwoOfMany();

        Assert.Equal(ApprovalVote.Counted, approval.Decide("bob", Role.Maintainer, Hash, true, "ok", Now));
        Assert.Equal(ApprovalVote.AlreadyVoted, approval.Decide("bob", Role.Maintainer, Hash, true, "again", Now));
        Assert.Equal(ApprovalOutcome.Pending, approval.Outcome);
        Assert.Equal(ApprovalVote.Approved, approval.Decide("cat", Role.Admin, Hash, true, null, Now));

        Assert.Equal(ApprovalOutcome.Approved, approval.Outcome);
        Assert.Equal(["bob", "cat"], approval.Decisions.Select(d => d.Actor));
        Assert.Equal(ApprovalVote.AlreadyDecided, approval.Decide("dan", Role.Admin, Hash, true, null, Now));
    }

    [Fact]
    public void Decide_RefusesSelfApproval_UnlessThePolicyAllowsIt()
    {
        Assert.Equal(ApprovalVote.SelfApproval, TwoOfMany().Decide("ann", Role.Admin, Hash, true, null, Now));
        Assert.Equal(ApprovalVote.Counted, TwoOfMany(selfApprovalAllowed: true).Decide("ann", Role.Admin, Hash, true, null, Now));
    }

    [Fact]
    public void Decide_LetsTheRequesterWithdraw_ByRejecting()
    {
        var approval = TwoOfMany();

        Assert.Equal(ApprovalVote.Rejected, approval.Decide("ann", Role.Maintainer, Hash, false, "not now", Now));
        Assert.Equal(ApprovalOutcome.Rejected, approval.Outcome);
    }

    [Fact]
    public void Decide_EndsOnTheFirstRejection()
    {
        var approval = TwoOfMany();
        approval.Decide("bob", Role.Maintainer, Hash, true, null, Now);

        Assert.Equal(ApprovalVote.Rejected, approval.Decide("cat", Role.Maintainer, Hash, false, "risky", Now));
        Assert.Equal(ApprovalVote.AlreadyDecided, approval.Decide("dan", Role.Maintainer, Hash, true, null, Now));
        Assert.Equal(ApprovalOutcome.Rejected, approval.Outcome);
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Agent)]
    public void Decide_NeedsMaintainerOrAdmin(Role role)
    {
        var approval = TwoOfMany();

        Assert.Equal(ApprovalVote.RoleTooWeak, approval.Decide("eve", role, Hash, true, null, Now));
        Assert.Empty(approval.Decisions);
    }

    [Fact]
    public void Decide_IsBoundToTheRecipeHash()
    {
        var approval = TwoOfMany();

        Assert.Equal(ApprovalVote.RecipeChanged, approval.Decide("bob", Role.Maintainer, "sha256:bbbb", true, null, Now));
        Assert.Empty(approval.Decisions);
    }

    [Fact]
    public void New_RefusesAPolicyThatNeedsNoApproval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunApproval(1, Hash, "ann", 0, false));
    }
}
