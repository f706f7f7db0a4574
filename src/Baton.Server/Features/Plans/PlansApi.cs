using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Baton.Server.Features.Plans;

public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/projects/{key}/plans", Create).WithTags("Scheduler").RequireAuthorization(Policies.Write)
            .WithSummary("Plan work items")
            .WithDescription("Queues the named work items and everything they depend on (all of the project's when `workItems` is absent) "
                + "as one plan: each becomes a run once its dependencies in the plan succeeded; a failed or cancelled dependency skips its "
                + "dependents. `scheduledFor` delays the start; `priority` is added to each item's.");
        routes.MapGet("/api/plans/{id:long}", Get).WithTags("Scheduler").RequireAuthorization(Policies.Read)
            .WithSummary("Get a plan").WithDescription("Its items with their state, run, and while they wait, why.");
        routes.MapPost("/api/plans/{id:long}/rerun-failed", RerunFailed).WithTags("Scheduler").RequireAuthorization(Policies.Write)
            .WithSummary("Rerun a plan's failed items")
            .WithDescription("Requeues the items that did not succeed (failed, cancelled, skipped) of an ended plan; a new run whose recipe is "
                + "unchanged keeps its previous run's approval.");
        routes.MapPost("/api/queue/pause", (PlanCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                SetPausedAsync(true, commands, user, cancellationToken)).WithTags("Scheduler").RequireAuthorization(Policies.Write)
            .WithSummary("Pause the queue").WithDescription("No plan item starts and no schedule fires until it is resumed; running runs go on.");
        routes.MapPost("/api/queue/resume", (PlanCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                SetPausedAsync(false, commands, user, cancellationToken)).WithTags("Scheduler").RequireAuthorization(Policies.Write)
            .WithSummary("Resume the queue");
        routes.MapPost("/api/scheduler/tick", Tick).WithTags("Scheduler").RequireAuthorization(Policies.Write)
            .WithSummary("Run one scheduler pass").WithDescription("Processes what is due once and answers what it did.");
        routes.MapGet("/api/queue", Queue).WithTags("Scheduler").RequireAuthorization(Policies.Read)
            .WithSummary("What waits, and why").WithDescription("Plan items and runs not running yet, highest priority first, each with one reason.");
        return routes;
    }

    private static async Task<Results<Created<PlanDto>, ProblemHttpResult>> Create(string key, CreatePlanRequest? request, PlanCommands commands,
        PlanQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.CreateAsync(key, request ?? new CreatePlanRequest(), user.Actor(), cancellationToken);
        if (outcome.Value is not { } plan)
        {
            return outcome.Failure!.ToResult();
        }
        return TypedResults.Created($"/api/plans/{plan.Id}", (await queries.GetAsync(plan.Id, cancellationToken)).Value);
    }

    private static async Task<Results<Ok<PlanDto>, ProblemHttpResult>> Get(long id, PlanQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await queries.GetAsync(id, cancellationToken);
        return outcome.Value is { } plan ? TypedResults.Ok(plan) : outcome.Failure!.ToResult();
    }

    private static async Task<Results<Ok<PlanDto>, ProblemHttpResult>> RerunFailed(long id, PlanCommands commands, PlanQueries queries,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.RerunFailedAsync(id, user.Actor(), cancellationToken);
        return outcome.Failure is { } failure ? failure.ToResult() : TypedResults.Ok((await queries.GetAsync(id, cancellationToken)).Value!);
    }

    private static async Task<NoContent> SetPausedAsync(bool paused, PlanCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await commands.SetQueuePausedAsync(paused, user.Actor(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TickReport>> Tick(Scheduler scheduler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scheduler.TickAsync(cancellationToken));

    /// <summary>The first <c>limit</c> entries (default 100, at most 500); the queue is a view of now, so it has no further pages.</summary>
    private static async Task<Ok<Page<QueueEntryDto>>> Queue(int? limit, PlanQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(new Page<QueueEntryDto>(await queries.QueueAsync(Math.Clamp(limit ?? 100, 1, 500), cancellationToken), null));
}
