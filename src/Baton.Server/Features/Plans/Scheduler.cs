using Baton.Core.Keys;
using Baton.Core.Plans;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Runs;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>
/// One pass of the scheduler over running plans: items whose runs ended take their run's
/// outcome; waiting items become ready or skipped (<see cref="PlanGraph"/>); ready items that are
/// due get a run, highest priority first, while their concurrency group has room; plans whose
/// items are all final end. Safe on many replicas: every change is conditional on the state it
/// read, and starting an item moves it from ready to started in its run's own transaction.
/// </summary>
public sealed class Scheduler(BatonDbContext db, RunCommands runs, PlanCommands plans, WriteGate gate, TimeProvider clock)
{
    private static readonly RunStatus[] Active = [RunStatus.PendingApproval, RunStatus.Queued, RunStatus.Running, RunStatus.Lost];

    public async Task<TickReport> TickAsync(CancellationToken cancellationToken)
    {
        var actions = new List<TickAction>();
        var paused = await IsPausedAsync(cancellationToken);
        if (!paused)
        {
            await FireSchedulesAsync(actions, cancellationToken);
        }
        var touched = await RecordEndedRunsAsync(actions, cancellationToken);
        await AdvancePlansAsync(touched, actions, cancellationToken);
        if (!paused)
        {
            await StartDueItemsAsync(actions, cancellationToken);
        }
        var now = clock.GetUtcNow();
        var nextItem = await db.PlanItems.Where(i => i.Status == PlanItemStatus.Ready && i.DueAt > now)
            .MinAsync(i => i.DueAt, cancellationToken);
        var nextSchedule = await db.Schedules.Where(s => !s.Paused && s.NextRunAt != null).MinAsync(s => s.NextRunAt, cancellationToken);
        var next = paused ? null : new[] { nextItem, nextSchedule }.Where(d => d is not null).Min();
        return new TickReport(actions, next);
    }

    public Task<bool> IsPausedAsync(CancellationToken cancellationToken) =>
        db.SystemMarkers.AnyAsync(m => m.Key == Baton.Core.Access.SystemMarker.QueuePaused, cancellationToken);

    /// <summary>
    /// Starts a plan for each schedule that is due. Moving its next time forward is the claim (a conditional
    /// update), so one replica fires it; missed occurrences fire once, not once each (see <see cref="Schedule"/>).
    /// </summary>
    private async Task FireSchedulesAsync(List<TickAction> actions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Schedules.AsNoTracking().Where(s => !s.Paused && s.NextRunAt <= now).ToListAsync(cancellationToken);
        foreach (var schedule in due)
        {
            var previous = schedule.NextRunAt;
            var next = schedule.NextAfter(now);
            int claimed;
            using (await gate.EnterAsync(cancellationToken))
            {
                claimed = await db.Schedules.Where(s => s.Id == schedule.Id && s.NextRunAt == previous && !s.Paused)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.NextRunAt, next).SetProperty(s => s.LastRunAt, now), cancellationToken);
            }
            if (claimed == 0)
            {
                continue;
            }
            var project = await db.Projects.Where(p => p.Id == schedule.ProjectId).Select(p => p.Key).SingleAsync(cancellationToken);
            var plan = await plans.CreateAsync(project, new CreatePlanRequest { WorkItems = schedule.WorkItems }, $"schedule:{schedule.Id}",
                cancellationToken);
            if (plan.Value is { } made)
            {
                await db.Schedules.Where(s => s.Id == schedule.Id).ExecuteUpdateAsync(set => set.SetProperty(s => s.LastPlanId, made.Id), cancellationToken);
                actions.Add(new TickAction(made.Id, null, $"schedule {schedule.Id} fired", null, null));
            }
            else
            {
                actions.Add(new TickAction(0, null, $"schedule {schedule.Id} could not plan", null, plan.Failure!.Detail));
            }
        }
    }

    /// <returns>The plans whose items changed, so only they need advancing.</returns>
    private async Task<HashSet<long>> RecordEndedRunsAsync(List<TickAction> actions, CancellationToken cancellationToken)
    {
        var touched = new HashSet<long>();
        var final = new[] { RunStatus.Succeeded, RunStatus.Failed, RunStatus.TimedOut, RunStatus.Cancelled, RunStatus.Skipped };
        var ended = await (
            from item in db.PlanItems.AsNoTracking()
            join run in db.Runs on item.RunId equals run.Id
            join workItem in db.WorkItems on item.WorkItemId equals workItem.Id
            where item.Status == PlanItemStatus.Started && final.Contains(run.Status)
            select new { item.Id, item.PlanId, item.Retries, WorkItem = workItem, RunId = run.Id, run.Status, run.ExitCode })
            .ToListAsync(cancellationToken);
        foreach (var row in ended)
        {
            touched.Add(row.PlanId);
            if (row.Status == RunStatus.Failed && row.WorkItem.RetriesAfter(row.ExitCode, row.Retries))
            {
                await RetryAsync(row.Id, row.PlanId, row.WorkItem, row.RunId, row.ExitCode!.Value, row.Retries, actions, cancellationToken);
                continue;
            }
            var status = row.Status switch
            {
                RunStatus.Succeeded => PlanItemStatus.Succeeded,
                RunStatus.Cancelled => PlanItemStatus.Cancelled,
                RunStatus.Skipped => PlanItemStatus.Skipped,
                _ => PlanItemStatus.Failed,
            };
            var reason = status == PlanItemStatus.Succeeded ? null : $"run {row.RunId} {RunCommands.Words(row.Status)}";
            using (await gate.EnterAsync(cancellationToken))
            {
                if (await db.PlanItems.Where(i => i.Id == row.Id && i.Status == PlanItemStatus.Started)
                        .ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, status).SetProperty(i => i.Reason, reason), cancellationToken) == 1)
                {
                    actions.Add(new TickAction(row.PlanId, row.WorkItem.Key, status.ToString().ToLowerInvariant(), row.RunId, reason));
                }
            }
        }
        return touched;
    }

    /// <summary>The work item's retry rule matched the exit code: the item is due again after the rule's delay, as a rerun of the failed run.</summary>
    private async Task RetryAsync(long itemId, long planId, Core.WorkItems.WorkItem workItem, long runId, int exitCode, int retries,
        List<TickAction> actions, CancellationToken cancellationToken)
    {
        var due = clock.GetUtcNow().AddSeconds(workItem.RetryDelaySeconds);
        var reason = $"retry {retries + 1} of {workItem.RetryAttempts} after run {runId} exited with {exitCode}";
        using (await gate.EnterAsync(cancellationToken))
        {
            if (await db.PlanItems.Where(i => i.Id == itemId && i.Status == PlanItemStatus.Started && i.RunId == runId)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(i => i.Status, PlanItemStatus.Ready)
                        .SetProperty(i => i.DueAt, due)
                        .SetProperty(i => i.PreviousRunId, runId)
                        .SetProperty(i => i.RunId, (long?)null)
                        .SetProperty(i => i.Retries, i => i.Retries + 1)
                        .SetProperty(i => i.Reason, reason), cancellationToken) == 1)
            {
                actions.Add(new TickAction(planId, workItem.Key, "retry", runId, reason));
            }
        }
    }

    /// <summary>
    /// Advances the plans whose items changed this pass, and the plans that have nothing in flight but
    /// something waiting (new plans, reruns, plans a crashed pass left midway): no other plan can have news.
    /// </summary>
    private async Task AdvancePlansAsync(HashSet<long> touched, List<TickAction> actions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var plans = await db.Plans.Where(p => p.Status == PlanStatus.Running && (touched.Contains(p.Id)
                || !db.PlanItems.Any(i => i.PlanId == p.Id && (i.Status == PlanItemStatus.Started || i.Status == PlanItemStatus.Ready))))
            .ToListAsync(cancellationToken);
        foreach (var plan in plans)
        {
            var items = await db.PlanItems.AsNoTracking().Where(i => i.PlanId == plan.Id).ToListAsync(cancellationToken);
            var keys = await KeysAsync(items, cancellationToken);
            var decisions = PlanGraph.Advance(items.ToDictionary(i => i.WorkItemId, i => i.Status),
                items.ToDictionary(i => i.WorkItemId, i => (IReadOnlyList<long>)i.DependsOn), id => keys[id]);
            var due = plan.ScheduledFor is { } at && at > now ? at : now;
            using (await gate.EnterAsync(cancellationToken))
            {
                foreach (var decision in decisions)
                {
                    var changed = await db.PlanItems
                        .Where(i => i.PlanId == plan.Id && i.WorkItemId == decision.WorkItemId && i.Status == PlanItemStatus.Waiting)
                        .ExecuteUpdateAsync(set => set
                            .SetProperty(i => i.Status, decision.Status)
                            .SetProperty(i => i.Reason, decision.Reason)
                            .SetProperty(i => i.DueAt, decision.Status == PlanItemStatus.Ready ? due : null), cancellationToken);
                    if (changed == 1)
                    {
                        actions.Add(new TickAction(plan.Id, keys[decision.WorkItemId], decision.Status == PlanItemStatus.Ready ? "ready" : "skipped",
                            null, decision.Reason));
                    }
                }
                var statuses = await db.PlanItems.Where(i => i.PlanId == plan.Id).Select(i => i.Status).ToListAsync(cancellationToken);
                if (plan.TryFinish(statuses, now))
                {
                    await db.SaveChangesAsync(cancellationToken);
                    actions.Add(new TickAction(plan.Id, null, $"plan {plan.Status.ToString().ToLowerInvariant()}", null, null));
                }
            }
        }
        db.ChangeTracker.Clear();
    }

    private async Task StartDueItemsAsync(List<TickAction> actions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await (
            from item in db.PlanItems.AsNoTracking()
            join plan in db.Plans on item.PlanId equals plan.Id
            join workItem in db.WorkItems on item.WorkItemId equals workItem.Id
            join project in db.Projects on workItem.ProjectId equals project.Id
            where item.Status == PlanItemStatus.Ready && item.DueAt <= now && plan.Status == PlanStatus.Running
            orderby item.Priority descending, item.DueAt, item.Id
            select new { item.Id, item.PlanId, item.Priority, item.PreviousRunId, Project = project.Key, WorkItem = workItem.Number, workItem.ConcurrencyGroup, workItem.ConcurrencyLimit, plan.RequestedBy })
            .ToListAsync(cancellationToken);
        foreach (var item in due)
        {
            var key = ItemKey.WorkItem(item.WorkItem);
            if (item.ConcurrencyGroup is { } group && await HolderAsync(item.Id, group, item.ConcurrencyLimit ?? 1, cancellationToken) is { } holder)
            {
                actions.Add(new TickAction(item.PlanId, key, "held", null, $"concurrency group {group} held by run {holder}"));
                continue;
            }
            var created = await runs.CreateAsync(item.Project, key, new CreateRunRequest { Priority = item.Priority },
                item.PreviousRunId is null ? RunTrigger.Scheduler : RunTrigger.Rerun, item.RequestedBy, cancellationToken, item.Id, item.PreviousRunId);
            actions.Add(created.Value is { } run
                ? new TickAction(item.PlanId, key, "started", run.Run.Id, null)
                : new TickAction(item.PlanId, key, "not started", null, created.Failure!.Detail));
        }
    }

    /// <summary>The oldest active run holding a slot of the group when the group is full; null when there is room.</summary>
    internal async Task<long?> HolderAsync(long planItemId, string group, int limit, CancellationToken cancellationToken)
    {
        var projectId = await db.PlanItems.Where(i => i.Id == planItemId)
            .Select(i => db.WorkItems.Where(w => w.Id == i.WorkItemId).Select(w => w.ProjectId).First()).SingleAsync(cancellationToken);
        var holders = await db.Runs.AsNoTracking()
            .Where(r => Active.Contains(r.Status) && db.WorkItems.Any(w => w.Id == r.WorkItemId && w.ProjectId == projectId && w.ConcurrencyGroup == group))
            .OrderBy(r => r.Id).Select(r => r.Id).Take(limit).ToListAsync(cancellationToken);
        return holders.Count >= limit ? holders[0] : null;
    }

    private async Task<Dictionary<long, string>> KeysAsync(List<PlanItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.WorkItemId).ToList();
        return await db.WorkItems.AsNoTracking().Where(w => ids.Contains(w.Id))
            .ToDictionaryAsync(w => w.Id, w => ItemKey.WorkItem(w.Number), cancellationToken);
    }
}
