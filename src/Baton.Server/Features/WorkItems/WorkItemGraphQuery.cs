using Baton.Core.Keys;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.WorkItems;

/// <summary>A work item as a node of its project's graph: its edges, its requirements, and how its latest run went.</summary>
public sealed record WorkItemNodeDto(string Key, string Title, IReadOnlyList<string> DependsOn, IReadOnlyList<string> Requirements,
    long? LatestRunId, RunStatus? LatestRunStatus);

/// <summary>A project's work items with their dependencies and latest runs, for screens that draw or trace them.</summary>
public static class WorkItemGraphQuery
{
    /// <summary>Work items one graph shows; beyond this a drawing stops being readable anyway.</summary>
    public const int MaxItems = 500;

    public static async Task<List<WorkItemNodeDto>> WorkItemGraphAsync(this BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var items = await db.WorkItems.AsNoTracking().Where(w => w.ProjectId == projectId && w.Number != WorkItem.AdHocNumber).OrderBy(w => w.Number).Take(MaxItems)
            .Select(w => new { w.Id, w.Number, w.Title }).ToListAsync(cancellationToken);
        var links = await WorkItemLinks.LoadAsync(db, [.. items.Select(i => i.Id)], cancellationToken);
        var latest = await LatestRunsAsync(db, projectId, cancellationToken);
        return [.. items.Select(i => new WorkItemNodeDto(ItemKey.WorkItem(i.Number), i.Title, links.DependenciesOf(i.Id), links.RequirementsOf(i.Id),
            latest.GetValueOrDefault(i.Id)?.Id, latest.GetValueOrDefault(i.Id)?.Status))];
    }

    /// <summary>Each work item's newest run (the highest id) by work item id; only the two columns the screens show.</summary>
    private static async Task<Dictionary<long, LatestRun>> LatestRunsAsync(BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        var newest = db.Runs.Where(r => r.ProjectId == projectId).GroupBy(r => r.WorkItemId).Select(g => g.Max(r => r.Id));
        return await db.Runs.AsNoTracking().Where(r => newest.Contains(r.Id))
            .Select(r => new LatestRun(r.WorkItemId, r.Id, r.Status))
            .ToDictionaryAsync(r => r.WorkItemId, cancellationToken);
    }

    private sealed record LatestRun(long WorkItemId, long Id, RunStatus Status);
}
