using System.Globalization;
using Baton.Core.Keys;
using Baton.Core.Plans;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>Plans for people, each waiting item with the one reason it is not running.</summary>
public sealed class PlanQueries(BatonDbContext db, Scheduler scheduler, WaitingReasons waiting, TimeProvider clock)
{
    public async Task<Outcome<PlanDto>> GetAsync(long planId, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return Failure.NotFound($"plan {planId} does not exist");
        }
        var project = await db.Projects.Where(p => p.Id == plan.ProjectId).Select(p => p.Key).SingleAsync(cancellationToken);
        var items = await db.PlanItems.AsNoTracking().Where(i => i.PlanId == planId).OrderBy(i => i.WorkItemId).ToListAsync(cancellationToken);
        var ids = items.Select(i => i.WorkItemId).ToList();
        var workItems = await db.WorkItems.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        var runIds = items.Where(i => i.RunId != null).Select(i => i.RunId!.Value).ToList();
        var runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var statuses = items.ToDictionary(i => i.WorkItemId, i => i.Status);
        var paused = await scheduler.IsPausedAsync(cancellationToken);
        var dtos = new List<PlanItemDto>();
        foreach (var item in items)
        {
            var run = item.RunId is { } id ? runs.GetValueOrDefault(id) : null;
            dtos.Add(new PlanItemDto(workItems[item.WorkItemId].Key, item.Status, [.. item.DependsOn.Select(d => workItems[d].Key)], item.Priority,
                item.DueAt, item.RunId, run?.Status, item.Reason,
                item.Status == PlanItemStatus.Ready && paused ? "queue paused"
                    : await ReasonAsync(item, run, statuses, workItems, items, runs, cancellationToken)));
        }
        return new PlanDto(plan.Id, project, plan.Status, plan.Priority, plan.ScheduledFor, plan.RequestedBy, plan.CreatedAt, plan.FinishedAt, dtos);
    }

    /// <summary>Every plan item and run that waits, highest priority first, each with its reason.</summary>
    public async Task<List<QueueEntryDto>> QueueAsync(int limit, CancellationToken cancellationToken)
    {
        var entries = new List<QueueEntryDto>();
        var waitingItems = await (
            from item in db.PlanItems.AsNoTracking()
            join plan in db.Plans on item.PlanId equals plan.Id
            where plan.Status == PlanStatus.Running && (item.Status == PlanItemStatus.Waiting || item.Status == PlanItemStatus.Ready)
            // Grouped, not Distinct() after the order: Distinct drops the order, and the limit then kept any plans.
            group item by item.PlanId into planItems
            orderby planItems.Max(i => i.Priority) descending, planItems.Min(i => i.Id)
            select planItems.Key).Take(limit).ToListAsync(cancellationToken);
        foreach (var planId in waitingItems)
        {
            var plan = (await GetAsync(planId, cancellationToken)).Value!;
            entries.AddRange(plan.Items.Where(i => i.Status is PlanItemStatus.Waiting or PlanItemStatus.Ready).Select(i =>
                new QueueEntryDto(plan.Project, i.WorkItem, plan.Id, null, i.Status.ToString().ToLowerInvariant(), i.Priority, i.DueAt, i.WaitingReason ?? "")));
        }
        var waitingRuns = await (
            from run in db.Runs.AsNoTracking()
            join project in db.Projects on run.ProjectId equals project.Id
            join workItem in db.WorkItems on run.WorkItemId equals workItem.Id
            where run.Status == RunStatus.Queued || run.Status == RunStatus.PendingApproval
            orderby run.Priority descending, run.Id
            select new { Run = run, Project = project.Key, WorkItem = workItem.Number })
            .Take(limit).ToListAsync(cancellationToken);
        foreach (var row in waitingRuns)
        {
            var planId = await db.PlanItems.Where(i => i.RunId == row.Run.Id).Select(i => (long?)i.PlanId).FirstOrDefaultAsync(cancellationToken);
            entries.Add(new QueueEntryDto(row.Project, ItemKey.WorkItem(row.WorkItem), planId, row.Run.Id, RunCommands.Words(row.Run.Status),
                row.Run.Priority, row.Run.QueuedAt, await waiting.ForAsync(row.Run, cancellationToken) ?? ""));
        }
        return [.. entries.OrderByDescending(e => e.Priority).Take(limit)];
    }

    private async Task<string?> ReasonAsync(PlanItem item, Run? run, Dictionary<long, PlanItemStatus> statuses,
        Dictionary<long, Core.WorkItems.WorkItem> workItems, List<PlanItem> items, Dictionary<long, Run> runs, CancellationToken cancellationToken)
    {
        switch (item.Status)
        {
            case PlanItemStatus.Waiting when PlanGraph.FirstUnfinished(item.DependsOn, statuses) is { } dependency:
                var blocking = items.Single(i => i.WorkItemId == dependency);
                var state = blocking.RunId is { } runId && runs.TryGetValue(runId, out var dependencyRun)
                    ? RunCommands.Words(dependencyRun.Status)
                    : PlanGraph.Words(blocking.Status);
                return $"waiting for dependency {workItems[dependency].Key} ({state})";
            case PlanItemStatus.Ready when item.DueAt > clock.GetUtcNow():
                return string.Create(CultureInfo.InvariantCulture, $"scheduled for {item.DueAt:yyyy-MM-dd HH:mm} UTC");
            case PlanItemStatus.Ready:
                return "starting";
            case PlanItemStatus.Started when run is not null:
                return await waiting.ForAsync(run, cancellationToken);
            default:
                return null;
        }
    }
}
