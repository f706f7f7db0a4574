using Baton.Core.Requirements;
using Baton.Core.Runs;
using Baton.Server.Features.Overview;
using Baton.Server.Features.WorkItems;

namespace Baton.Server.Ui.Projects;

/// <summary>A work item on the trail with how its latest run went.</summary>
public sealed record TrailItem(string Key, string Title, long? RunId, RunStatus? RunStatus);

/// <summary>A requirement on the trail: its work items, and whether it is delivered.</summary>
public sealed record TrailRequirement(string Key, string Title, RequirementStatus Status, IReadOnlyList<TrailItem> Items, bool Delivered);

/// <summary>
/// The delivery trail: requirement -> work items -> latest runs. A requirement is delivered when it is approved, has at
/// least one work item, and every one of them last ran successfully (an item never run, or run again and failing, is not).
/// </summary>
public static class DeliveryTrail
{
    public static IReadOnlyList<TrailRequirement> Of(OverviewDto overview, IReadOnlyList<WorkItemNodeDto> workItems)
    {
        ArgumentNullException.ThrowIfNull(overview);
        ArgumentNullException.ThrowIfNull(workItems);
        var latest = workItems.ToDictionary(w => w.Key, StringComparer.Ordinal);
        return [.. overview.Requirements.Select(r =>
        {
            var items = r.WorkItems.Select(w => Item(w, latest)).ToList();
            var delivered = r.Status == RequirementStatus.Approved && items.Count > 0 && items.All(i => i.RunStatus == RunStatus.Succeeded);
            return new TrailRequirement(r.Key, r.Title, r.Status, items, delivered);
        })];
    }

    public static IReadOnlyList<TrailItem> Unlinked(OverviewDto overview, IReadOnlyList<WorkItemNodeDto> workItems)
    {
        ArgumentNullException.ThrowIfNull(overview);
        ArgumentNullException.ThrowIfNull(workItems);
        var latest = workItems.ToDictionary(w => w.Key, StringComparer.Ordinal);
        return [.. overview.UnlinkedWorkItems.Select(w => Item(w, latest))];
    }

    private static TrailItem Item(TracedWorkItemDto item, Dictionary<string, WorkItemNodeDto> latest) =>
        latest.TryGetValue(item.Key, out var node)
            ? new TrailItem(item.Key, item.Title, node.LatestRunId, node.LatestRunStatus)
            : new TrailItem(item.Key, item.Title, null, null);
}
