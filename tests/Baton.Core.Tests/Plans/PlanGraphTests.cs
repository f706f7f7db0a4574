using Baton.Core.Plans;

namespace Baton.Core.Tests.Plans;

public sealed class PlanGraphTests
{
    private static string Key(long id) => $"WI-{id}";

    private static IReadOnlyList<PlanDecision> Advance(Dictionary<long, PlanItemStatus> items, Dictionary<long, long[]> edges) =>
        PlanGraph.Advance(items, edges.ToDictionary(e => e.Key, e => (IReadOnlyList<long>)e.Value), Key);

    [Fact]
    public void AChain_ReadiesOnlyTheNextLink()
    {
        var items = new Dictionary<long, PlanItemStatus> { [1] = PlanItemStatus.Succeeded, [2] = PlanItemStatus.Waiting, [3] = PlanItemStatus.Waiting };

        var decisions = Advance(items, new() { [2] = [1], [3] = [2] });

        Assert.Equal([new PlanDecision(2, PlanItemStatus.Ready, null)], decisions);
    }

    [Fact]
    public void ADiamondsJoin_WaitsForBothBranches()
    {
        var edges = new Dictionary<long, long[]> { [2] = [1], [3] = [1], [4] = [2, 3] };
        var halfway = new Dictionary<long, PlanItemStatus>
        {
            [1] = PlanItemStatus.Succeeded, [2] = PlanItemStatus.Succeeded, [3] = PlanItemStatus.Started, [4] = PlanItemStatus.Waiting,
        };
        var both = new Dictionary<long, PlanItemStatus>(halfway) { [3] = PlanItemStatus.Succeeded };

        Assert.Empty(Advance(halfway, edges));
        Assert.Equal([new PlanDecision(4, PlanItemStatus.Ready, null)], Advance(both, edges));
        Assert.Equal(3, PlanGraph.FirstUnfinished([2, 3], halfway));
    }

    [Fact]
    public void AFanOut_ReadiesEveryBranchAtOnce_OnceTheirRootSucceeds()
    {
        var items = new Dictionary<long, PlanItemStatus>
        {
            [1] = PlanItemStatus.Waiting, [2] = PlanItemStatus.Waiting, [3] = PlanItemStatus.Waiting, [4] = PlanItemStatus.Waiting,
        };

        var first = Advance(items, new() { [2] = [1], [3] = [1], [4] = [1] });
        items[1] = PlanItemStatus.Succeeded;
        var second = Advance(items, new() { [2] = [1], [3] = [1], [4] = [1] });

        Assert.Equal([1L], first.Select(d => d.WorkItemId));
        Assert.Equal([2L, 3L, 4L], second.Where(d => d.Status == PlanItemStatus.Ready).Select(d => d.WorkItemId));
    }

    [Theory]
    [InlineData(PlanItemStatus.Failed, "dependency WI-1 failed")]
    [InlineData(PlanItemStatus.Cancelled, "dependency WI-1 was cancelled")]
    public void AFailure_SkipsItsWholeDownstream_NamingTheCause(PlanItemStatus ended, string reason)
    {
        var items = new Dictionary<long, PlanItemStatus>
        {
            [1] = ended, [2] = PlanItemStatus.Waiting, [3] = PlanItemStatus.Waiting, [4] = PlanItemStatus.Succeeded, [5] = PlanItemStatus.Waiting,
        };

        var decisions = Advance(items, new() { [2] = [1], [3] = [2], [5] = [4] });

        Assert.Contains(new PlanDecision(2, PlanItemStatus.Skipped, reason), decisions);
        Assert.Contains(new PlanDecision(3, PlanItemStatus.Skipped, "dependency WI-2 was skipped"), decisions);
        Assert.Contains(new PlanDecision(5, PlanItemStatus.Ready, null), decisions);
    }

    [Fact]
    public void APlan_EndsOnlyWhenEveryItemIsFinal_FailedIfAnyDidNotSucceed()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var plan = new Plan(1, 0, null, "ann", now);

        Assert.False(plan.TryFinish([PlanItemStatus.Succeeded, PlanItemStatus.Started], now));
        Assert.True(plan.TryFinish([PlanItemStatus.Succeeded, PlanItemStatus.Failed, PlanItemStatus.Skipped], now));
        Assert.Equal((PlanStatus.Failed, now), (plan.Status, plan.FinishedAt));
        var clean = new Plan(1, 0, null, "ann", now);
        Assert.True(clean.TryFinish([PlanItemStatus.Succeeded], now));
        Assert.Equal(PlanStatus.Succeeded, clean.Status);
    }
}
