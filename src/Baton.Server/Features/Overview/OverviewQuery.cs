using Baton.Core.Keys;
using Baton.Core.Requirements;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Overview;

/// <summary>
/// The traceability trail of one project: vision -> requirements -> the work items implementing them, and the work items
/// implementing none. One read for the overview API and the project page, so both tell the same story.
/// </summary>
public static class OverviewQuery
{
    /// <summary>Requirements listed in one overview; a larger project is marked truncated.</summary>
    public const int MaxRequirements = 500;

    public static async Task<Outcome<OverviewDto>> OverviewAsync(this BatonDbContext db, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key, cancellationToken);
        if (project is null)
        {
            return ProjectLookup.NotFound(key);
        }
        var vision = await db.VisionVersions.AsNoTracking().Where(v => v.ProjectId == project.Id)
            .OrderByDescending(v => v.Version).Select(v => new VisionSummaryDto(v.Version, v.CreatedBy, v.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);
        var counts = await db.Requirements.AsNoTracking().Where(r => r.ProjectId == project.Id)
            .GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Status, x => x.Count, cancellationToken);
        var requirements = await db.Requirements.AsNoTracking().Where(r => r.ProjectId == project.Id)
            .OrderBy(r => r.Number).Take(MaxRequirements + 1)
            .Select(r => new { r.Id, r.Number, r.Title, r.Status })
            .ToListAsync(cancellationToken);
        var items = await db.WorkItems.AsNoTracking().Where(w => w.ProjectId == project.Id && w.Number != WorkItem.AdHocNumber)
            .Select(w => new { w.Id, w.Number, w.Title, w.RecipeVersion }).ToListAsync(cancellationToken);
        var links = await db.WorkItemRequirements.AsNoTracking()
            .Join(db.WorkItems, l => l.WorkItemId, w => w.Id, (l, w) => new { l.RequirementId, l.WorkItemId, w.ProjectId })
            .Where(x => x.ProjectId == project.Id).ToListAsync(cancellationToken);

        var itemsById = items.ToDictionary(i => i.Id, i => new TracedWorkItemDto(ItemKey.WorkItem(i.Number), i.Title, i.RecipeVersion));
        var linksByRequirement = links.ToLookup(l => l.RequirementId, l => l.WorkItemId);
        var linked = links.Select(l => l.WorkItemId).ToHashSet();
        var traced = requirements.Take(MaxRequirements).Select(r => new TracedRequirementDto(
            ItemKey.Requirement(r.Number), r.Title, r.Status,
            [.. linksByRequirement[r.Id].Select(id => itemsById[id]).OrderBy(i => i.Key.Length).ThenBy(i => i.Key, StringComparer.Ordinal)])).ToList();
        var unlinked = items.Where(i => !linked.Contains(i.Id)).OrderBy(i => i.Number).Select(i => itemsById[i.Id]).ToList();
        return new OverviewDto(
            ProjectDto.From(project), vision,
            Enum.GetValues<RequirementStatus>().ToDictionary(s => s, s => counts.GetValueOrDefault(s)),
            traced, requirements.Count > MaxRequirements, unlinked);
    }
}
