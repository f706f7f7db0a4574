using Baton.Core.Requirements;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Projects;

/// <summary>A project as the projects list shows it, with the counts that tell where it stands.</summary>
public sealed record ProjectSummaryDto(string Key, string Name, string Description, int Requirements, int ProposedRequirements, int WorkItems,
    DateTimeOffset CreatedAt);

public static class ProjectList
{
    /// <summary>The first <paramref name="take"/> projects in creation order; counts are subqueries on indexed project ids.</summary>
    public static Task<List<ProjectSummaryDto>> ProjectSummariesAsync(this BatonDbContext db, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Projects.AsNoTracking().OrderBy(p => p.Id).Take(take)
            .Select(p => new ProjectSummaryDto(p.Key, p.Name, p.Description,
                db.Requirements.Count(r => r.ProjectId == p.Id),
                db.Requirements.Count(r => r.ProjectId == p.Id && r.Status == RequirementStatus.Proposed),
                db.WorkItems.Count(w => w.ProjectId == p.Id && w.Number != WorkItem.AdHocNumber),
                p.CreatedAt))
            .ToListAsync(cancellationToken);
    }
}
