using Baton.Persistence;
using Baton.Server.Features.Overview;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Requirements;
using Baton.Server.Features.WorkItems;

namespace Baton.Server.Ui.Projects;

/// <summary>Everything the project page shows but the vision texts, read in one scope each refresh.</summary>
public sealed record ProjectView(OverviewDto Overview, IReadOnlyList<RequirementDto> Requirements, IReadOnlyList<WorkItemNodeDto> WorkItems)
{
    public string Key => Overview.Project.Key;

    /// <summary>The project's view, or null when it does not exist.</summary>
    public static async Task<ProjectView?> LoadAsync(BatonDbContext db, string key, CancellationToken cancellationToken)
    {
        var overview = await db.OverviewAsync(key, cancellationToken);
        var id = await db.FindIdAsync(key, cancellationToken);
        if (overview.Value is not { } found || id.Failure is not null)
        {
            return null;
        }
        return new ProjectView(found, await db.RequirementsAsync(id.Value, cancellationToken), await db.WorkItemGraphAsync(id.Value, cancellationToken));
    }
}
