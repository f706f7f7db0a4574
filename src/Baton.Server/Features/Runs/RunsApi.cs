using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Core.Keys;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

public static class RunsApi
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/projects/{key}/work-items/{wiKey}/runs", Create).WithTags("Runs").RequireAuthorization(Policies.Write)
            .WithSummary("Start a run of a work item")
            .WithDescription("Snapshots the work item's current recipe (YAML, parsed form, hash). The run is `queued`, or "
                + "`pending_approval` when the project's policy requires approval.");
        var group = routes.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization(Policies.Read);
        group.MapGet("/", List).WithSummary("List runs")
            .WithDescription("Newest first, filtered by `project` key, `workItem` key (with `project`) and `status`; paginated.");
        group.MapGet("/{id:long}", Get).WithSummary("Get a run")
            .WithDescription("Steps, times, durationSeconds, agent, attempt, exit code, approval, and while it waits a `waitingReason` in words.");
        group.MapGet("/{id:long}/steps", Steps).WithSummary("A run's steps");
        group.MapPost("/{id:long}/cancel", Cancel).RequireAuthorization(Policies.Write).WithSummary("Cancel a run")
            .WithDescription("A waiting run is cancelled at once; a running one is stopped by its agent (SIGINT, SIGTERM, then SIGKILL "
                + "to its process group) and then reported `cancelled`.");
        group.MapPost("/{id:long}/approve", Approve).RequireAuthorization(Policies.Write).WithSummary("Approve a run")
            .WithDescription("Counts one approval from a maintainer or admin (403 for the requester unless the policy allows it). "
                + "With `recipeHash`, counts only if the run executes that recipe.");
        group.MapPost("/{id:long}/reject", Reject).RequireAuthorization(Policies.Write).WithSummary("Reject a run")
            .WithDescription("Needs a reason; the run ends `cancelled`.");
        return routes;
    }

    private static async Task<Results<Created<RunDto>, ProblemHttpResult>> Create(string key, string wiKey, CreateRunRequest? request,
        RunCreator creator, WaitingReasons waiting, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await creator.CreateAsync(key, wiKey, request ?? new CreateRunRequest(), user.Actor(), cancellationToken);
        if (outcome.Value is not { } created)
        {
            return outcome.Failure!.ToResult();
        }
        return await CreatedAsync(created, waiting, cancellationToken);
    }

    /// <summary>201 with the new run as the API shows it, and its address.</summary>
    public static async Task<Created<RunDto>> CreatedAsync(CreatedRun created, WaitingReasons waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(waiting);
        var run = created.Run;
        var dto = RunDto.From(run, created.Project, created.WorkItem, null, [.. created.Steps.Select(RunStepDto.From)], created.Approval,
            created.Explained ? created.WaitingReason : await waiting.ForAsync(run, created.Approval, cancellationToken));
        return TypedResults.Created($"/api/runs/{run.Id}", dto);
    }

    private static async Task<Results<Ok<Page<RunSummaryDto>>, ProblemHttpResult>> List(string? project, string? workItem, string? status,
        [AsParameters] PageQuery query, BatonDbContext db, RunQueries queries, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        if (page.Failure is { } invalidPage)
        {
            return invalidPage.ToResult();
        }
        var filter = await RunFilter.ResolveAsync(db, project, workItem, status, cancellationToken);
        if (filter.Failure is { } invalid)
        {
            return invalid.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await queries.ListAsync(filter.Value!, after == 0 ? long.MaxValue : after, limit + 1, cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, r => r.Id, r => r));
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(long id, RunQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(id, cancellationToken) is { Value: { } run } ? TypedResults.Ok(run) : RunCommands.NotFound(id).ToResult();

    private static async Task<Results<Ok<IReadOnlyList<RunStepDto>>, ProblemHttpResult>> Steps(long id, BatonDbContext db, RunQueries queries,
        CancellationToken cancellationToken) =>
        await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)
            ? TypedResults.Ok(await queries.StepsAsync(id, cancellationToken))
            : RunCommands.NotFound(id).ToResult();

    private static Task<Results<Ok<RunDto>, ProblemHttpResult>> Cancel(long id, RunCommands commands, RunQueries queries, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        Answer(commands.CancelAsync(id, user.Actor(), cancellationToken), queries, cancellationToken);

    private static Task<Results<Ok<RunDto>, ProblemHttpResult>> Approve(long id, ApproveRunRequest? request, RunCommands commands,
        RunQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(commands.DecideAsync(id, approve: true, request?.Comment, request?.RecipeHash, user.Actor(), user.TokenRole()!.Value, cancellationToken),
            queries, cancellationToken);

    private static Task<Results<Ok<RunDto>, ProblemHttpResult>> Reject(long id, RejectRunRequest request, RunCommands commands,
        RunQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(commands.DecideAsync(id, approve: false, request.Reason, null, user.Actor(), user.TokenRole()!.Value, cancellationToken),
            queries, cancellationToken);

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Answer(Task<Outcome<Run>> command, RunQueries queries,
        CancellationToken cancellationToken)
    {
        var outcome = await command;
        return outcome.Value is { } run
            ? TypedResults.Ok((await queries.GetAsync(run.Id, cancellationToken)).Value!)
            : outcome.Failure!.ToResult();
    }
}
