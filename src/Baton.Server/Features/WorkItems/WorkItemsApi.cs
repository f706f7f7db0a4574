using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.WorkItems;

public static class WorkItemsApi
{
    public static RouteGroupBuilder MapWorkItems(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects/{key}/work-items").WithTags("Work items").RequireAuthorization(Policies.Read);
        group.MapPost("/", Create).RequireAuthorization(Policies.Write)
            .WithSummary("Create a work item")
            .WithDescription("Creates WI-n. `requirements` must name approved requirements and `dependsOn` work items of the same project (else 422 naming the key). Labels default to the project's default labels.");
        group.MapGet("/", List)
            .WithSummary("List work items")
            .WithDescription("In number order, paginated.");
        group.MapGet("/{wiKey}", Get).WithSummary("Get a work item");
        group.MapPatch("/{wiKey}", Update).RequireAuthorization(Policies.Write)
            .WithSummary("Update a work item")
            .WithDescription("Changes the fields present; lists replace the old ones. A dependency change that would close a cycle answers 422 naming the cycle.");
        return group;
    }

    private static async Task<Results<Created<WorkItemDto>, ProblemHttpResult>> Create(
        string key, CreateWorkItemRequest request, WorkItemCommands commands, BatonDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var outcome = await commands.CreateAsync(key, request, user.Actor(), cancellationToken);
        if (outcome.Value is not { } item)
        {
            return outcome.Failure!.ToResult();
        }
        return TypedResults.Created($"/api/projects/{key}/work-items/{item.Key}", await ToDtoAsync(db, item, cancellationToken));
    }

    private static async Task<Results<Ok<Page<WorkItemDto>>, ProblemHttpResult>> List(
        string key, [AsParameters] PageQuery query, BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        var project = await db.FindIdAsync(key, cancellationToken);
        if ((page.Failure ?? project.Failure) is { } failure)
        {
            return failure.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await db.WorkItems.AsNoTracking()
            .Where(w => w.ProjectId == project.Value && w.Number > after).OrderBy(w => w.Number).Take(limit + 1)
            .ToListAsync(cancellationToken);
        var links = await WorkItemLinks.LoadAsync(db, [.. rows.Select(w => w.Id)], cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, w => w.Number, w => WorkItemDto.From(w, links)));
    }

    private static async Task<Results<Ok<WorkItemDto>, ProblemHttpResult>> Get(
        string key, string wiKey, WorkItemCommands commands, BatonDbContext db, CancellationToken cancellationToken)
    {
        var outcome = await commands.FindAsync(key, wiKey, cancellationToken);
        return outcome.Value is { } item ? TypedResults.Ok(await ToDtoAsync(db, item, cancellationToken)) : outcome.Failure!.ToResult();
    }

    private static async Task<Results<Ok<WorkItemDto>, ProblemHttpResult>> Update(
        string key, string wiKey, UpdateWorkItemRequest request, WorkItemCommands commands, BatonDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var outcome = await commands.UpdateAsync(key, wiKey, request, user.Actor(), cancellationToken);
        return outcome.Value is { } item ? TypedResults.Ok(await ToDtoAsync(db, item, cancellationToken)) : outcome.Failure!.ToResult();
    }

    private static async Task<WorkItemDto> ToDtoAsync(BatonDbContext db, WorkItem item, CancellationToken cancellationToken) =>
        WorkItemDto.From(item, await WorkItemLinks.LoadAsync(db, [item.Id], cancellationToken));
}
