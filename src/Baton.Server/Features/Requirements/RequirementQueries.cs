using Baton.Core.Requirements;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Requirements;

/// <summary>A requirement waiting for a decision, with the project it belongs to.</summary>
public sealed record ProposedRequirementDto(string Project, string ProjectName, RequirementDto Requirement);

/// <summary>Requirements for screens: one project's, and the proposals of every project (the approvals inbox).</summary>
public static class RequirementQueries
{
    /// <summary>Requirements one screen lists, matching the overview's limit.</summary>
    public const int MaxListed = 500;

    public static async Task<List<RequirementDto>> RequirementsAsync(this BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Requirements.AsNoTracking().Where(r => r.ProjectId == projectId).OrderBy(r => r.Number).Take(MaxListed)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(RequirementDto.From)];
    }

    /// <summary>Proposed requirements of all projects, oldest proposal first (the one waiting longest).</summary>
    public static async Task<List<ProposedRequirementDto>> ProposedRequirementsAsync(this BatonDbContext db, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await (
            from requirement in db.Requirements.AsNoTracking()
            join project in db.Projects on requirement.ProjectId equals project.Id
            where requirement.Status == RequirementStatus.Proposed
            orderby requirement.ProposedAt, requirement.Id
            select new { Requirement = requirement, project.Key, project.Name })
            .Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ProposedRequirementDto(r.Key, r.Name, RequirementDto.From(r.Requirement)))];
    }
}
