using Baton.Core.Keys;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>Reads runs for people: one in full, or lists.</summary>
public sealed class RunQueries(BatonDbContext db, WaitingReasons waiting)
{
    public async Task<Outcome<RunDto>> GetAsync(long runId, CancellationToken cancellationToken)
    {
        var found = await (
            from r in db.Runs.AsNoTracking()
            join project in db.Projects on r.ProjectId equals project.Id
            join workItem in db.WorkItems on r.WorkItemId equals workItem.Id
            where r.Id == runId
            select new { Run = r, Project = project.Key, WorkItem = workItem.Number, Agent = db.Agents.Where(a => a.Id == r.AgentId).Select(a => a.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return RunCommands.NotFound(runId);
        }
        var steps = await StepsAsync(runId, cancellationToken);
        var approval = await db.RunApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.RunId == runId, cancellationToken);
        return RunDto.From(found.Run, found.Project, ItemKey.WorkItem(found.WorkItem), found.Agent, steps, approval,
            await waiting.ForAsync(found.Run, approval, cancellationToken));
    }

    public async Task<IReadOnlyList<RunStepDto>> StepsAsync(long runId, CancellationToken cancellationToken) =>
        (await db.RunSteps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Index).ToListAsync(cancellationToken))
            .Select(RunStepDto.From).ToList();

    /// <summary>Newest first; <paramref name="before"/> is the cursor (the last id of the previous page).</summary>
    public async Task<List<RunSummaryDto>> ListAsync(long? projectId, long? workItemId, RunStatus? status, long before, int take,
        CancellationToken cancellationToken)
    {
        var rows = await (
            from run in db.Runs.AsNoTracking()
            join project in db.Projects on run.ProjectId equals project.Id
            join workItem in db.WorkItems on run.WorkItemId equals workItem.Id
            where run.Id < before
                  && (projectId == null || run.ProjectId == projectId)
                  && (workItemId == null || run.WorkItemId == workItemId)
                  && (status == null || run.Status == status)
            orderby run.Id descending
            select new { Run = run, Project = project.Key, WorkItem = workItem.Number })
            .Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new RunSummaryDto(r.Run.Id, r.Project, ItemKey.WorkItem(r.WorkItem), r.Run.Number, r.Run.Status,
            r.Run.StatusReason, r.Run.Trigger, r.Run.Attempt, r.Run.RecipeHash, r.Run.RequestedBy, r.Run.CreatedAt, r.Run.StartedAt,
            r.Run.FinishedAt, r.Run.DurationSeconds, r.Run.ExitCode))];
    }
}
