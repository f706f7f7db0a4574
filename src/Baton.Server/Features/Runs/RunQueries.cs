using Baton.Core.Keys;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Queries;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>Reads runs for people: one in full, or lists.</summary>
public sealed class RunQueries(BatonDbContext db, WaitingReasons waiting, FinishedRunCache finished)
{
    public async Task<Outcome<RunDto>> GetAsync(long runId, CancellationToken cancellationToken)
    {
        if (finished.TryGet(runId, out var known))
        {
            return known;
        }
        var run = await ReadAsync(runId, cancellationToken);
        if (run.Value is { } read)
        {
            finished.Offer(read);
        }
        return run;
    }

    private async Task<Outcome<RunDto>> ReadAsync(long runId, CancellationToken cancellationToken)
    {
        var found = await DetailQuery.For(db)(db, runId).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return RunCommands.NotFound(runId);
        }
        var steps = await StepsAsync(runId, cancellationToken);
        var approval = await ApprovalQuery.For(db)(db, runId).FirstOrDefaultAsync(cancellationToken);
        return RunDto.From(found.Run, found.Project, ItemKey.WorkItem(found.WorkItem), found.Agent, steps, approval,
            await waiting.ForAsync(found.Run, approval, cancellationToken));
    }

    public async Task<IReadOnlyList<RunStepDto>> StepsAsync(long runId, CancellationToken cancellationToken) =>
        await StepsQuery.For(db)(db, runId).Select(RunStepDto.From).ToListAsync(cancellationToken);

    // Compiled once: a run's detail is the read people and scripts make most (the UI's run page, `baton runs show`,
    // every poll of a CI script), and a LINQ query pays for its translation-cache lookup on every call.
    private static readonly CompiledQuery<Func<BatonDbContext, long, IAsyncEnumerable<RunRow>>> DetailQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db, long runId) =>
            from r in db.Runs.AsNoTracking()
            join project in db.Projects on r.ProjectId equals project.Id
            join workItem in db.WorkItems on r.WorkItemId equals workItem.Id
            where r.Id == runId
            select new RunRow(r, project.Key, workItem.Number, db.Agents.Where(a => a.Id == r.AgentId).Select(a => a.Name).FirstOrDefault())));

    // AsQueryable: an IOrderedQueryable would make the compiler pick the overload that returns one result.
    private static readonly CompiledQuery<Func<BatonDbContext, long, IAsyncEnumerable<RunStep>>> StepsQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db, long runId) => db.RunSteps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Index).AsQueryable()));

    private static readonly CompiledQuery<Func<BatonDbContext, long, IAsyncEnumerable<RunApproval>>> ApprovalQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db, long runId) => db.RunApprovals.AsNoTracking().Where(a => a.RunId == runId)));

    /// <summary>A run with the names its detail shows in place of ids.</summary>
    private sealed record RunRow(Run Run, string Project, int WorkItem, string? Agent);

    /// <summary>Newest first; <paramref name="before"/> is the cursor (the last id of the previous page).</summary>
    public async Task<List<RunSummaryDto>> ListAsync(RunFilter filter, long before, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // Only the columns a list shows: a run row also carries its whole recipe.
        var rows = await (
            from run in Filtered(filter, before)
            join project in db.Projects on run.ProjectId equals project.Id
            join workItem in db.WorkItems on run.WorkItemId equals workItem.Id
            orderby run.Id descending
            select new
            {
                run.Id, Project = project.Key, WorkItem = workItem.Number, run.Number, run.Status, run.StatusReason, run.Trigger, run.Attempt,
                run.RecipeHash, run.RequestedBy, run.CreatedAt, run.StartedAt, run.FinishedAt, run.ExitCode,
            })
            .Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new RunSummaryDto(r.Id, r.Project, ItemKey.WorkItem(r.WorkItem), r.Number, r.Status,
            r.StatusReason, r.Trigger, r.Attempt, r.RecipeHash, r.RequestedBy, r.CreatedAt, r.StartedAt,
            r.FinishedAt, r.StartedAt is { } started && r.FinishedAt is { } finished ? (finished - started).TotalSeconds : null, r.ExitCode))];
    }

    /// <summary>The runs a filter and a cursor (newest first, ids below <paramref name="before"/>) select.</summary>
    public IQueryable<Run> Filtered(RunFilter filter, long before)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var runs = db.Runs.AsNoTracking().Where(r => r.Id < before);
        if (filter.ProjectId is { } projectId)
        {
            runs = runs.Where(r => r.ProjectId == projectId);
        }
        if (filter.WorkItemId is { } workItemId)
        {
            runs = runs.Where(r => r.WorkItemId == workItemId);
        }
        if (filter.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }
        return runs;
    }
}
