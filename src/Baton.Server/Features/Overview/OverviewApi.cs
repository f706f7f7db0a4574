using Baton.Core.Requirements;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Baton.Server.Features.Overview;

/// <summary>
/// The traceability view's start: vision -> requirements -> the work items implementing them (read by
/// <see cref="OverviewQuery"/>, which the project page shares). Runs join this trail when they exist (issue 3).
/// </summary>
public static class OverviewApi
{
    public static IEndpointRouteBuilder MapOverview(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/projects/{key}/overview", Get).WithTags("Projects").RequireAuthorization(Policies.Read)
            .WithSummary("Project overview (traceability)")
            .WithDescription("Current vision version, requirement counts by status, each requirement with the work items implementing it, and work items that implement none.");
        return routes;
    }

    private static async Task<Results<Ok<OverviewDto>, ProblemHttpResult>> Get(string key, BatonDbContext db, CancellationToken cancellationToken)
    {
        var overview = await db.OverviewAsync(key, cancellationToken);
        return overview.Value is { } found ? TypedResults.Ok(found) : overview.Failure!.ToResult();
    }
}

public sealed record OverviewDto(
    ProjectDto Project,
    VisionSummaryDto? Vision,
    IReadOnlyDictionary<RequirementStatus, int> RequirementCounts,
    IReadOnlyList<TracedRequirementDto> Requirements,
    bool RequirementsTruncated,
    IReadOnlyList<TracedWorkItemDto> UnlinkedWorkItems);

public sealed record VisionSummaryDto(int Version, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record TracedRequirementDto(string Key, string Title, RequirementStatus Status, IReadOnlyList<TracedWorkItemDto> WorkItems);

public sealed record TracedWorkItemDto(string Key, string Title, int? RecipeVersion);
