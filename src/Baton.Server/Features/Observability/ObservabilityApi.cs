using Baton.Contracts.Paging;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Runs;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Baton.Server.Features.Observability;

/// <summary>What is running, what is slow, what failed: metrics as JSON, runs as traces, a work item's step history.</summary>
public static class ObservabilityApi
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddScoped<RunObservations>();
        services.AddScoped<StepHistoryQueries>();
        services.AddScoped<MetricsSummaryQuery>();
        return services;
    }

    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Observability").RequireAuthorization(Policies.Read);
        group.MapGet("/metrics", Metrics).WithSummary("Metrics as JSON")
            .WithDescription("Runs by status and started/finished totals (of `project`, or all), and count, mean, p50/p95/p99 and histogram "
                + $"buckets of run and step durations, queue wait and approval wait over the latest {MetricsSummaryQuery.Window} finished runs.");
        group.MapGet("/observability/traces", Traces).WithSummary("Runs as traces")
            .WithDescription("Newest first, filtered like GET /api/runs (`project`, `workItem`, `status`), paginated: each run's trace and span "
                + "ids, times, duration, queue wait and approval wait.");
        group.MapGet("/observability/runs/{id:long}", Run).WithSummary("One run observed")
            .WithDescription("The run's trace, its waits, its agent, and each step with its span, duration and usual p95 (the work item's earlier "
                + "runs); a step past 1.5x that p95 is `slow`, and `flaky` says the recipe's outcome has flipped back and forth lately.");
        group.MapGet("/projects/{key}/work-items/{wiKey}/step-history", History).WithSummary("A work item's step history")
            .WithDescription($"Each step's runs, success rate and p50/p95 duration over the last `runs` executed runs (default "
                + $"{StepHistoryQueries.DefaultRuns}, at most {StepHistoryQueries.MaxRuns}), and the recipe versions whose outcome alternates.");
        return routes;
    }

    private static async Task<Results<Ok<MetricsSummaryDto>, ProblemHttpResult>> Metrics(string? project, BatonDbContext db, MetricsSummaryQuery query,
        CancellationToken cancellationToken)
    {
        long? projectId = null;
        if (project is not null)
        {
            var found = await db.FindIdAsync(project, cancellationToken);
            if (found.Failure is { } missing)
            {
                return missing.ToResult();
            }
            projectId = found.Value;
        }
        return TypedResults.Ok(await query.ReadAsync(projectId, project, cancellationToken));
    }

    private static async Task<Results<Ok<Page<RunTraceDto>>, ProblemHttpResult>> Traces(string? project, string? workItem, string? status,
        [AsParameters] PageQuery query, BatonDbContext db, RunObservations observations, CancellationToken cancellationToken)
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
        return TypedResults.Ok(await observations.TracesAsync(filter.Value!, after, limit, cancellationToken));
    }

    private static async Task<Results<Ok<RunObservationDto>, ProblemHttpResult>> Run(long id, RunObservations observations,
        CancellationToken cancellationToken)
    {
        var outcome = await observations.RunAsync(id, cancellationToken);
        return outcome.Value is { } run ? TypedResults.Ok(run) : outcome.Failure!.ToResult();
    }

    private static async Task<Results<Ok<StepHistoryDto>, ProblemHttpResult>> History(string key, string wiKey, int? runs, WorkItemCommands workItems,
        StepHistoryQueries history, CancellationToken cancellationToken)
    {
        if (runs is < 1 or > StepHistoryQueries.MaxRuns)
        {
            return Failure.Invalid("runs", $"'runs' must be between 1 and {StepHistoryQueries.MaxRuns}").ToResult();
        }
        var found = await workItems.FindAsync(key, wiKey, cancellationToken);
        if (found.Value is not { } item)
        {
            return found.Failure!.ToResult();
        }
        var view = await history.ReadAsync(item.Id, runs ?? StepHistoryQueries.DefaultRuns, null, cancellationToken);
        return TypedResults.Ok(new StepHistoryDto(key, item.Key, view.Runs, view.Steps, view.FlakyRecipes));
    }
}
