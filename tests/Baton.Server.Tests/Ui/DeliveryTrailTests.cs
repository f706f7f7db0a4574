using Baton.Core.Requirements;
using Baton.Core.Runs;
using Baton.Server.Features.Overview;
using Baton.Server.Features.Projects;
using Baton.Server.Features.WorkItems;
using Baton.Server.Ui.Projects;

namespace Baton.Server.Tests.Ui;

public sealed class DeliveryTrailTests
{
    private static readonly ProjectDto Project = new("p", "P", "", new PolicyDto(false, 1, false, [], 1, null, null), "admin",
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static TracedWorkItemDto Item(string key) => new(key, key, 1);

    private static WorkItemNodeDto Node(string key, RunStatus? status) => new(key, key, [], [], status is null ? null : 1, status);

    private static OverviewDto Overview(IReadOnlyList<TracedRequirementDto> requirements, IReadOnlyList<TracedWorkItemDto>? unlinked = null) =>
        new(Project, null, new Dictionary<RequirementStatus, int>(), requirements, false, unlinked ?? []);

    [Fact]
    public void AnApprovedRequirement_IsDelivered_OnlyWhenEveryWorkItemsLatestRunSucceeded()
    {
        var overview = Overview([
            new("REQ-1", "all succeeded", RequirementStatus.Approved, [Item("WI-1"), Item("WI-2")]),
            new("REQ-2", "one failed", RequirementStatus.Approved, [Item("WI-1"), Item("WI-3")]),
            new("REQ-3", "one never ran", RequirementStatus.Approved, [Item("WI-1"), Item("WI-4")]),
            new("REQ-4", "no work items", RequirementStatus.Approved, []),
            new("REQ-5", "not approved", RequirementStatus.Proposed, [Item("WI-1")]),
        ]);
        WorkItemNodeDto[] nodes = [Node("WI-1", RunStatus.Succeeded), Node("WI-2", RunStatus.Succeeded), Node("WI-3", RunStatus.Failed), Node("WI-4", null)];

        var trail = DeliveryTrail.Of(overview, nodes);

        Assert.Equal([true, false, false, false, false], trail.Select(r => r.Delivered));
        Assert.Equal(RunStatus.Failed, trail[1].Items[1].RunStatus);
        Assert.Null(trail[2].Items[1].RunId);
    }

    [Fact]
    public void UnlinkedWorkItems_CarryTheirLatestRuns()
    {
        var unlinked = DeliveryTrail.Unlinked(Overview([], [Item("WI-7")]), [Node("WI-7", RunStatus.Running)]);

        Assert.Equal(("WI-7", RunStatus.Running), (unlinked.Single().Key, unlinked.Single().RunStatus!.Value));
    }
}
