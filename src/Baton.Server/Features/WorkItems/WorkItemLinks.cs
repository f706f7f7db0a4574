using Baton.Core.Keys;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.WorkItems;

/// <summary>The requirement and dependency keys of a set of work items, loaded in two queries.</summary>
public sealed class WorkItemLinks
{
    private readonly ILookup<long, string> _requirements;
    private readonly ILookup<long, string> _dependencies;

    private WorkItemLinks(ILookup<long, string> requirements, ILookup<long, string> dependencies)
    {
        _requirements = requirements;
        _dependencies = dependencies;
    }

    public IReadOnlyList<string> RequirementsOf(long workItemId) => [.. _requirements[workItemId]];
    public IReadOnlyList<string> DependenciesOf(long workItemId) => [.. _dependencies[workItemId]];

    public static async Task<WorkItemLinks> LoadAsync(BatonDbContext db, IReadOnlyCollection<long> workItemIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var requirements = await db.WorkItemRequirements.AsNoTracking()
            .Where(l => workItemIds.Contains(l.WorkItemId))
            .Join(db.Requirements, l => l.RequirementId, r => r.Id, (l, r) => new { l.WorkItemId, r.Number })
            .OrderBy(x => x.Number)
            .ToListAsync(cancellationToken);
        var dependencies = await db.WorkItemDependencies.AsNoTracking()
            .Where(d => workItemIds.Contains(d.WorkItemId))
            .Join(db.WorkItems, d => d.DependsOnId, w => w.Id, (d, w) => new { d.WorkItemId, w.Number })
            .OrderBy(x => x.Number)
            .ToListAsync(cancellationToken);
        return new WorkItemLinks(
            requirements.ToLookup(x => x.WorkItemId, x => ItemKey.Requirement(x.Number)),
            dependencies.ToLookup(x => x.WorkItemId, x => ItemKey.WorkItem(x.Number)));
    }
}
