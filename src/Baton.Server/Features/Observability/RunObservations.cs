using Baton.Contracts.Paging;
using Baton.Core.Keys;
using Baton.Core.Observability;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Observability;

/// <summary>Runs as traces: lists with their waits and durations, and one run with its steps' spans and history.</summary>
public sealed class RunObservations(BatonDbContext db, RunQueries runs, StepHistoryQueries history)
{
    public async Task<Page<RunTraceDto>> TracesAsync(RunFilter filter, long after, int limit, CancellationToken cancellationToken)
    {
        var page = runs.Filtered(filter, after == 0 ? long.MaxValue : after).OrderByDescending(r => r.Id).Take(limit + 1);
        var rows = (await Traces(page).ToListAsync(cancellationToken)).OrderByDescending(t => t.RunId).ToList();
        return Pages.From(rows, limit, t => t.RunId, Finish);
    }

    public async Task<Outcome<RunObservationDto>> RunAsync(long runId, CancellationToken cancellationToken)
    {
        var trace = await Traces(db.Runs.AsNoTracking().Where(r => r.Id == runId)).SingleOrDefaultAsync(cancellationToken);
        if (trace is null)
        {
            return RunCommands.NotFound(runId);
        }
        var facts = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.WorkItemId, r.Number, r.RecipeHash })
            .SingleAsync(cancellationToken);
        var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Index).ToListAsync(cancellationToken);
        var usual = await history.ReadAsync(facts.WorkItemId, StepHistoryQueries.DefaultRuns, facts.Number, cancellationToken);
        var observed = steps.Select(s =>
        {
            var before = usual.Step(s.Name);
            var slow = s.DurationSeconds is { } seconds && StepHistory.IsSlow(seconds, before?.P95Seconds, before?.Runs ?? 0);
            return new StepObservationDto(s.Index, s.Name, s.Status, s.Attempt, s.ExitCode, s.SpanId, s.StartedAt, s.FinishedAt, s.DurationSeconds,
                before?.P95Seconds, slow);
        }).ToList();
        var run = Finish(trace);
        var flaky = (await history.ReadAsync(facts.WorkItemId, StepHistoryQueries.DefaultRuns, null, cancellationToken)).FlakyRecipes
            .Any(f => f.RecipeHash == facts.RecipeHash);
        var parent = run.TraceId is { } traceId && run.SpanId is { } spanId ? $"00-{traceId}-{spanId}-01" : null;
        return new RunObservationDto(run, parent, flaky, observed);
    }

    private IQueryable<TraceRow> Traces(IQueryable<Run> selected) =>
        from run in selected
        join project in db.Projects on run.ProjectId equals project.Id
        join workItem in db.WorkItems on run.WorkItemId equals workItem.Id
        select new TraceRow(run.Id, project.Key, workItem.Number, run.Number, run.Status, run.TraceId, run.SpanId,
            db.Agents.Where(a => a.Id == run.AgentId).Select(a => a.Name).FirstOrDefault(), run.CreatedAt, run.QueuedAt, run.StartedAt,
            run.FinishedAt, db.RunApprovals.Any(a => a.RunId == run.Id));

    private static RunTraceDto Finish(TraceRow row) => new(row.RunId, row.Project, ItemKey.WorkItem(row.WorkItemNumber), row.Number, row.Status,
        row.TraceId, row.SpanId, row.Agent, row.CreatedAt, row.QueuedAt, row.StartedAt, row.FinishedAt,
        Seconds(row.StartedAt, row.FinishedAt), Seconds(row.QueuedAt, row.StartedAt),
        row.ApprovalRequired ? Seconds(row.CreatedAt, row.QueuedAt) : null);

    private static double? Seconds(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b ? (b - a).TotalSeconds : null;

    private sealed record TraceRow(long RunId, string Project, int WorkItemNumber, int Number, RunStatus Status, string? TraceId, string? SpanId,
        string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
        bool ApprovalRequired);
}
