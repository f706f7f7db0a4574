using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Persistence;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Projects;

public static class ProjectsApi
{
    public static RouteGroupBuilder MapProjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.Read);

        group.MapPost("/", Create).RequireAuthorization(Policies.Write)
            .WithSummary("Create a project")
            .WithDescription("Creates a project with a unique key (a URL slug). A duplicate key answers 409.");
        group.MapGet("/", List)
            .WithSummary("List projects")
            .WithDescription("Projects in creation order, paginated with `limit` (at most 200) and `cursor`.");
        group.MapGet("/{key}", Get)
            .WithSummary("Get a project");
        group.MapPatch("/{key}", Update).RequireAuthorization(Policies.Write)
            .WithSummary("Update a project")
            .WithDescription("Changes name, description and policy fields that are present in the body; others keep their value.");
        return group;
    }

    private static async Task<Results<Created<ProjectDto>, ProblemHttpResult>> Create(
        CreateProjectRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.CreateAsync(request, user.Actor(), cancellationToken);
        if (outcome.Value is not { } project)
        {
            return outcome.Failure!.ToResult();
        }
        return TypedResults.Created($"/api/projects/{project.Key}", ProjectDto.From(project));
    }

    private static async Task<Results<Ok<Page<ProjectDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery query, BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        if (page.Failure is { } failure)
        {
            return failure.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await db.Projects.AsNoTracking()
            .Where(p => p.Id > after).OrderBy(p => p.Id).Take(limit + 1)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, p => p.Id, ProjectDto.From));
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> Get(
        string key, BatonDbContext db, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key, cancellationToken);
        return project is null ? ProjectLookup.NotFound(key).ToResult() : TypedResults.Ok(ProjectDto.From(project));
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> Update(
        string key, UpdateProjectRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.UpdateAsync(key, request, user.Actor(), cancellationToken);
        return outcome.Value is { } project ? TypedResults.Ok(ProjectDto.From(project)) : outcome.Failure!.ToResult();
    }
}
