using Baton.Core.Plans;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Runs;
using Baton.Core.Runs;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>
/// The scheduler, in two forms. <see cref="OnRunEndedAsync"/> is the fast path: the agent's
/// completion of a plan run records it, readies its dependents and starts those due, in the
/// completion request itself, so a chain moves on without waiting for a pass. <see cref="TickAsync"/>
/// is the pass that catches everything else: schedules that are due, runs that ended another way
/// (cancelled, rejected, lost), retries and plans scheduled for later, new plans and reruns, and
/// whatever a crash left midway. Both are safe on many replicas (see <see cref="PlanProgress"/>).
/// </summary>
public sealed partial class Scheduler(BatonDbContext db, PlanProgress progress, PlanStarter starter, PlanCommands plans,
    ConcurrencyGroups groups, ApprovalExpiry approvals, BatonMetrics metrics, ProjectKeys projectKeys, WriteGate gate, RunSignals signals, TimeProvider clock,
    ILogger<Scheduler> logger)
{
    public async Task<TickReport> TickAsync(CancellationToken cancellationToken)
    {
        var actions = new List<TickAction>();
        var paused = await IsPausedAsync(cancellationToken);
        if (!paused)
        {
            await FireSchedulesAsync(actions, cancellationToken);
        }
        // Before recording ended runs: a run rejected here moves its plan on in this same pass.
        await approvals.ExpireDueAsync(actions, cancellationToken);
        await RecordAndAdvanceAsync(await progress.EndedAsync(cancellationToken), actions, cancellationToken);
        await AdvanceIdlePlansAsync(actions, cancellationToken);
        await groups.AdmitWaitingAsync(cancellationToken);
        await starter.StartDueAsync(null, actions, cancellationToken);
        var now = clock.GetUtcNow();
        var nextItem = await db.PlanItems.Where(i => i.Status == PlanItemStatus.Ready && i.DueAt > now)
            .MinAsync(i => i.DueAt, cancellationToken);
        var nextSchedule = await db.Schedules.Where(s => !s.Paused && s.NextRunAt != null).MinAsync(s => s.NextRunAt, cancellationToken);
        var nextExpiry = await approvals.NextAsync(cancellationToken);
        // Expiries go on while the queue is paused: a pause holds starts, not people's deadlines.
        var next = new[] { paused ? null : nextItem, paused ? null : nextSchedule, nextExpiry }.Where(d => d is not null).Min();
        Log(actions);
        return new TickReport(actions, next);
    }

    /// <summary>
    /// What an agent's completion of a run means, done at once in the completion request: the run is counted, the next runs
    /// of its concurrency group are admitted, and its plan moves on. A fault here loses nothing: the run's end is stored,
    /// and the pass this wakes does what is left.
    /// </summary>
    /// <param name="end">What <see cref="ReadEndAsync"/> read inside the transaction that ended the run.</param>
    public async Task OnRunEndedAsync(long runId, RunStatus status, RunEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        var actions = new List<TickAction>();
        try
        {
            var (ended, run) = end;
            metrics.RunFinished(await projectKeys.KeyAsync(db, run.ProjectId, cancellationToken), status, run.FinishedAt - run.StartedAt);
            await groups.AdmitAsync(run.ProjectId, run.ConcurrencyGroup, cancellationToken);
            if (await RecordAndAdvanceAsync(ended, actions, cancellationToken))
            {
                signals.PulseScheduler();
            }
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or OperationCanceledException
                                              or System.Data.Common.DbException)
        {
            LogFastPathFailed(exception, runId);
            signals.PulseScheduler();
        }
        Log(actions);
    }

    /// <summary>
    /// What <see cref="OnRunEndedAsync"/> needs to know of an ended run: its plan item, if any, and its project, group and times.
    /// The completion reads it inside its own transaction, where on PostgreSQL the reads cost no commit of their own.
    /// </summary>
    public async Task<RunEnd> ReadEndAsync(long runId, CancellationToken cancellationToken)
    {
        var (run, item) = await progress.EndOfAsync(runId, cancellationToken);
        return new RunEnd(item is null ? [] : [item], run);
    }

    public Task<bool> IsPausedAsync(CancellationToken cancellationToken) =>
        db.SystemMarkers.AnyAsync(m => m.Key == Baton.Core.Access.SystemMarker.QueuePaused, cancellationToken);

    /// <summary>
    /// Records the <paramref name="ended"/> runs of plan items and moves their plans on: dependents of successes are readied and,
    /// when due, started; a plan with any other ending is decided whole. True when something was left that only a pass
    /// does (a retry or a plan due later, or an item not started), so the caller wakes one.
    /// </summary>
    private async Task<bool> RecordAndAdvanceAsync(List<EndedItem> ended, List<TickAction> actions, CancellationToken cancellationToken)
    {
        var leftForPass = false;
        foreach (var plan in ended.GroupBy(e => e.PlanId))
        {
            var succeeded = new List<long>();
            var other = false;
            foreach (var row in plan)
            {
                switch (await progress.RecordAsync(row, actions, cancellationToken))
                {
                    case PlanItemStatus.Succeeded:
                        succeeded.Add(row.WorkItemId);
                        break;
                    case PlanItemStatus.Ready:
                        leftForPass = true;
                        break;
                    case null:
                        break;
                    default:
                        other = true;
                        break;
                }
            }
            // Any ending but success may skip a whole downstream: decided over the plan. A success can only ready dependents.
            var mayStart = other;
            if (other)
            {
                await progress.AdvanceAsync(plan.Key, actions, cancellationToken);
            }
            else if (succeeded.Count > 0)
            {
                mayStart = await progress.ReadyDependentsAsync(plan.Key, succeeded, plan.First().ScheduledFor, actions, cancellationToken) > 0;
                if (!mayStart)
                {
                    await progress.TryFinishAsync(plan.Key, actions, cancellationToken);
                }
            }
            if (mayStart)
            {
                var before = actions.Count;
                await starter.StartDueAsync(plan.Key, actions, cancellationToken);
                leftForPass |= actions.Skip(before).Any(a => a.Action != "started");
                leftForPass |= plan.First().ScheduledFor > clock.GetUtcNow();
            }
        }
        return leftForPass;
    }

    /// <summary>
    /// Plans with nothing in flight but something waiting: new plans, reruns, and plans a crashed pass left midway. No
    /// other plan can have news that <see cref="RecordAndAdvanceAsync"/> did not already act on.
    /// </summary>
    private async Task AdvanceIdlePlansAsync(List<TickAction> actions, CancellationToken cancellationToken)
    {
        var idle = await db.Plans.AsNoTracking()
            .Where(p => p.Status == PlanStatus.Running
                && !db.PlanItems.Any(i => i.PlanId == p.Id && (i.Status == PlanItemStatus.Started || i.Status == PlanItemStatus.Ready)))
            .Select(p => p.Id).ToListAsync(cancellationToken);
        foreach (var planId in idle)
        {
            await progress.AdvanceAsync(planId, actions, cancellationToken);
        }
    }

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

    /// <summary>Plans ending and schedules firing are news for operators; each item's steps are details (and in the audit trail).</summary>
    private void Log(List<TickAction> actions)
    {
        foreach (var action in actions)
        {
            if (action.Action.StartsWith("plan ", StringComparison.Ordinal) || action.Action.StartsWith("schedule ", StringComparison.Ordinal))
            {
                LogPlanAction(action.PlanId, action.Action, action.Reason ?? "");
            }
            else
            {
                LogItemAction(action.PlanId, action.WorkItem ?? "", action.Action, action.Reason ?? "");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan {PlanId}: {Action} {Reason}")]
    private partial void LogPlanAction(long planId, string action, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Plan {PlanId} {WorkItem}: {Action} {Reason}")]
    private partial void LogItemAction(long planId, string workItem, string action, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving run {RunId}'s plan on at its end failed; a scheduler pass will do it")]
    private partial void LogFastPathFailed(Exception exception, long runId);
}

/// <summary>An ended run as its end's follow-up sees it: its plan item (when it has one) and the run itself.</summary>
public sealed record RunEnd(List<EndedItem> Ended, EndedRun Run);

public sealed record EndedRun(long ProjectId, string? ConcurrencyGroup, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
