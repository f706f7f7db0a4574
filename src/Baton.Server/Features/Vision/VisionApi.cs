using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Core.Projects;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Vision;

/// <summary>A project's vision: every submission is a new version; the latest is current.</summary>
public static class VisionApi
{
    public static RouteGroupBuilder MapVision(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects/{key}/vision").WithTags("Vision").RequireAuthorization(Policies.Read);
        group.MapPut("/", Submit).RequireAuthorization(Policies.Write)
            .WithSummary("Submit the vision")
            .WithDescription("Stores the text as a new version (1, 2, ...) and makes it current. Earlier versions stay readable.");
        group.MapGet("/", Current)
            .WithSummary("Get the current vision")
            .WithDescription("The latest version; 404 when the project has no vision yet.");
        group.MapGet("/versions", Versions)
            .WithSummary("List vision versions")
            .WithDescription("Every version, oldest first, paginated.");
        return group;
    }

    private static async Task<Results<Created<VisionDto>, ProblemHttpResult>> Submit(
        string key, SubmitVisionRequest request, VisionCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.SubmitAsync(key, request.Text, user.Actor(), cancellationToken);
        return outcome.Value is { } vision
            ? TypedResults.Created($"/api/projects/{key}/vision", VisionDto.From(vision))
            : outcome.Failure!.ToResult();
    }

    private static async Task<Results<Ok<VisionDto>, ProblemHttpResult>> Current(
        string key, BatonDbContext db, CancellationToken cancellationToken)
    {
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure.ToResult();
        }
        var vision = await db.VisionVersions.AsNoTracking()
            .Where(v => v.ProjectId == project.Value).OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
        return vision is null
            ? Failure.NotFound($"project '{key}' has no vision yet").ToResult()
            : TypedResults.Ok(VisionDto.From(vision));
    }

    private static async Task<Results<Ok<Page<VisionDto>>, ProblemHttpResult>> Versions(
        string key, [AsParameters] PageQuery query, BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        var project = await db.FindIdAsync(key, cancellationToken);
        if ((page.Failure ?? project.Failure) is { } failure)
        {
            return failure.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await db.VisionVersions.AsNoTracking()
            .Where(v => v.ProjectId == project.Value && v.Version > after).OrderBy(v => v.Version).Take(limit + 1)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, v => v.Version, VisionDto.From));
    }
}

public sealed record SubmitVisionRequest
{
    public required string Text { get; init; }
}

public sealed record VisionDto(int Version, string Text, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static VisionDto From(VisionVersion vision) => new(vision.Version, vision.Text, vision.CreatedBy, vision.CreatedAt);
}
