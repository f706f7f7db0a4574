using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Keys;
using Baton.Core.Plans;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Persistence.Queries;
using Baton.Persistence.Storage;
using Baton.Server.Features.Runs;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>
/// How a plan moves when its items' runs end: an ended item takes its run's outcome, or is due
/// again under its work item's retry rule; a success readies the dependents whose every
/// dependency succeeded (one statement, whatever the plan's size); any other ending is decided
/// over the whole plan by <see cref="PlanGraph"/>, so skips cascade; the plan ends once every item
/// is final. Every write is conditional on the state it read, so scheduler passes on many replicas
/// and the completion path may overlap and still act once.
/// </summary>
public sealed class PlanProgress(BatonDbContext db, WriteGate gate, TimeProvider clock)
{
    /// <summary>
    /// Every started item whose run has ended, with what recording it needs: a scheduler pass's sweep, for ends that were not
    /// recorded where the run ended. Compiled once.
    /// </summary>
    private static readonly CompiledQuery<Func<BatonDbContext, IAsyncEnumerable<EndRow>>> EndedQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db) =>
            from item in db.PlanItems.AsNoTracking()
            where item.Status == PlanItemStatus.Started
            join run in db.Runs on item.RunId equals run.Id
            join plan in db.Plans on item.PlanId equals plan.Id
            join workItem in db.WorkItems on item.WorkItemId equals workItem.Id
            join project in db.Projects on run.ProjectId equals project.Id
            where run.Status == RunStatus.Succeeded || run.Status == RunStatus.Failed || run.Status == RunStatus.TimedOut
                || run.Status == RunStatus.Cancelled || run.Status == RunStatus.Skipped
            select new EndRow(run.Id, run.Status, run.ExitCode, run.ProjectId, run.ConcurrencyGroup, run.StartedAt, run.FinishedAt,
                project.RetryExitCodes, project.RetryAttempts, project.RetryDelaySeconds,
                (long?)item.Id, (long?)item.PlanId, plan.ScheduledFor, (long?)item.WorkItemId, (int?)workItem.Number,
                (int?)item.Retries, workItem.RetryExitCodes, (int?)workItem.RetryAttempts, (int?)workItem.RetryDelaySeconds)));

    /// <summary>
    /// What the end of <paramref name="runId"/> moves on, in one statement: the run's project, group and times, and its plan
    /// item when it has a started one. The completion asks this inside its transaction, after ending the run; reading the plan
    /// item, then the run when there was none, cost a run outside any plan a second round trip.
    /// </summary>
    /// <remarks>Left joins, so the row is flat (both queries' rows are, and <see cref="ToItem"/> reads them alike).</remarks>
    private static readonly CompiledQuery<Func<BatonDbContext, long, IAsyncEnumerable<EndRow>>> EndQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db, long runId) =>
            from run in db.Runs.AsNoTracking()
            where run.Id == runId
            join project in db.Projects on run.ProjectId equals project.Id
            from item in db.PlanItems.Where(i => i.RunId == run.Id && i.Status == PlanItemStatus.Started).DefaultIfEmpty()
            from plan in db.Plans.Where(p => p.Id == item!.PlanId).DefaultIfEmpty()
            from workItem in db.WorkItems.Where(w => w.Id == item!.WorkItemId).DefaultIfEmpty()
            select new EndRow(run.Id, run.Status, run.ExitCode, run.ProjectId, run.ConcurrencyGroup, run.StartedAt, run.FinishedAt,
                project.RetryExitCodes, project.RetryAttempts, project.RetryDelaySeconds,
                (long?)item!.Id, (long?)item.PlanId, (DateTimeOffset?)plan!.ScheduledFor, (long?)item.WorkItemId, (int?)workItem!.Number,
                (int?)item.Retries, workItem.RetryExitCodes, (int?)workItem.RetryAttempts, (int?)workItem.RetryDelaySeconds)));

    /// <summary>The ended run, and its plan item as <see cref="EndedAsync"/> gives it, if it has a started one.</summary>
    public async Task<(EndedRun Run, EndedItem? Item)> EndOfAsync(long runId, CancellationToken cancellationToken)
    {
        var row = await EndQuery.For(db)(db, runId).FirstAsync(cancellationToken);
        return (new EndedRun(row.ProjectId, row.ConcurrencyGroup, row.StartedAt, row.FinishedAt), ToItem(row));
    }

    /// <summary>The plan item of a row, with its retry rules put together; null for a run with no started item.</summary>
    private static EndedItem? ToItem(EndRow row) => row.ItemId is not { } itemId
        ? null
        : new EndedItem(itemId, row.PlanId!.Value, row.ScheduledFor, row.WorkItemId!.Value, row.WorkItemNumber!.Value, row.Retries!.Value,
            new RetryRule(row.WorkItemRetryExitCodes ?? [], row.WorkItemRetryAttempts!.Value, TimeSpan.FromSeconds(row.WorkItemRetryDelaySeconds!.Value),
                RetryRule.WorkItemSource),
            new RetryRule(row.ProjectRetryExitCodes, row.ProjectRetryAttempts, TimeSpan.FromSeconds(row.ProjectRetryDelaySeconds), RetryRule.ProjectSource),
            row.RunId, row.Status, row.ExitCode, row.ProjectId, row.ConcurrencyGroup, row.StartedAt, row.FinishedAt);

    private sealed record EndRow(long RunId, RunStatus Status, int? ExitCode, long ProjectId, string? ConcurrencyGroup, DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt, List<int> ProjectRetryExitCodes, int ProjectRetryAttempts, int ProjectRetryDelaySeconds,
        long? ItemId, long? PlanId, DateTimeOffset? ScheduledFor, long? WorkItemId, int? WorkItemNumber, int? Retries,
        List<int>? WorkItemRetryExitCodes, int? WorkItemRetryAttempts, int? WorkItemRetryDelaySeconds);

    /// <summary>Every started plan item whose run has ended.</summary>
    public async Task<List<EndedItem>> EndedAsync(CancellationToken cancellationToken)
    {
        var ended = new List<EndedItem>();
        await foreach (var row in EndedQuery.For(db)(db).WithCancellation(cancellationToken))
        {
            ended.Add(ToItem(row)!);
        }
        return ended;
    }

    /// <summary>
    /// Gives the item its run's outcome, or makes it due again when a retry rule says so (the run's recipe's, else the work
    /// item's, else the project's); null when another pass recorded it first.
    /// </summary>
    public async Task<PlanItemStatus?> RecordAsync(EndedItem row, List<TickAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(actions);
        var key = ItemKey.WorkItem(row.WorkItemNumber);
        if (row.Status == RunStatus.Failed && row.ExitCode is not null
            && RetryRule.FirstOf(await RecipeRuleAsync(row.RunId, cancellationToken), row.WorkItemRule, row.ProjectRule) is { } rule
            && rule.Retries(row.ExitCode, row.Retries))
        {
            var due = clock.GetUtcNow() + rule.Delay;
            var why = $"retry {row.Retries + 1} of {rule.Attempts} after run {row.RunId} exited with {row.ExitCode} ({rule.Source})";
            using (await gate.EnterAsync(cancellationToken))
            {
                if (await db.PlanItems.Where(i => i.Id == row.ItemId && i.Status == PlanItemStatus.Started && i.RunId == row.RunId)
                        .ExecuteUpdateAsync(set => set
                            .SetProperty(i => i.Status, PlanItemStatus.Ready)
                            .SetProperty(i => i.DueAt, due)
                            .SetProperty(i => i.PreviousRunId, row.RunId)
                            .SetProperty(i => i.RunId, (long?)null)
                            .SetProperty(i => i.Retries, i => i.Retries + 1)
                            .SetProperty(i => i.Reason, why), cancellationToken) == 0)
                {
                    return null;
                }
            }
            actions.Add(new TickAction(row.PlanId, key, "retry", row.RunId, why));
            return PlanItemStatus.Ready;
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
            if (await db.PlanItems.Where(i => i.Id == row.ItemId && i.Status == PlanItemStatus.Started)
                    .ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, status).SetProperty(i => i.Reason, reason), cancellationToken) == 0)
            {
                return null;
            }
        }
        actions.Add(new TickAction(row.PlanId, key, status.ToString().ToLowerInvariant(), row.RunId, reason));
        return status;
    }

    /// <summary>The retry rule of the recipe the run executed (read only for failures, which are rare next to successes).</summary>
    private async Task<RetryRule?> RecipeRuleAsync(long runId, CancellationToken cancellationToken)
    {
        var json = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.RecipeJson).SingleAsync(cancellationToken);
        return JsonSerializer.Deserialize<RecipeSpec>(json, BatonJson.Options)?.Retry is { } retry
            ? new RetryRule(retry.ExitCodes, retry.Attempts, retry.Delay, RetryRule.RecipeSource)
            : null;
    }

    /// <summary>
    /// After <paramref name="succeeded"/> (work item ids) succeeded: readies every waiting dependent whose dependencies all
    /// succeeded. A success never skips anything, so nothing beyond the direct dependents can change. Returns how many.
    /// </summary>
    public async Task<int> ReadyDependentsAsync(long planId, IReadOnlyList<long> succeeded, DateTimeOffset? scheduledFor,
        List<TickAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        ArgumentNullException.ThrowIfNull(actions);
        var now = clock.GetUtcNow();
        var due = scheduledFor is { } at && at > now ? at : now;
        int readied;
        using (await gate.EnterAsync(cancellationToken))
        {
            readied = await db.PlanItems
                .Where(i => i.PlanId == planId && i.Status == PlanItemStatus.Waiting && i.DependsOn.Any(d => succeeded.Contains(d))
                    && !db.PlanItems.Any(d => d.PlanId == planId && i.DependsOn.Contains(d.WorkItemId) && d.Status != PlanItemStatus.Succeeded))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(i => i.Status, PlanItemStatus.Ready)
                    .SetProperty(i => i.Reason, (string?)null)
                    .SetProperty(i => i.DueAt, due), cancellationToken);
        }
        if (readied > 0)
        {
            actions.Add(new TickAction(planId, null, "ready", null, $"{readied} item(s) whose dependencies all succeeded"));
        }
        return readied;
    }

    /// <summary>
    /// Decides every waiting item of the plan (ready, or skipped naming the dependency that did not succeed) and ends the
    /// plan when all its items are final: for plans with a failure, new plans and reruns.
    /// </summary>
    public async Task AdvanceAsync(long planId, List<TickAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Id == planId, cancellationToken);
        var items = await (
            from item in db.PlanItems.AsNoTracking()
            where item.PlanId == planId
            join workItem in db.WorkItems on item.WorkItemId equals workItem.Id
            select new { item.WorkItemId, item.Status, item.DependsOn, workItem.Number })
            .ToListAsync(cancellationToken);
        var statuses = items.ToDictionary(i => i.WorkItemId, i => i.Status);
        var keys = items.ToDictionary(i => i.WorkItemId, i => ItemKey.WorkItem(i.Number));
        var decisions = PlanGraph.Advance(statuses, items.ToDictionary(i => i.WorkItemId, i => (IReadOnlyList<long>)i.DependsOn), id => keys[id]);
        var now = clock.GetUtcNow();
        var due = plan.ScheduledFor is { } at && at > now ? at : now;
        var raced = false;
        using (await gate.EnterAsync(cancellationToken))
        {
            foreach (var decision in decisions)
            {
                var changed = await db.PlanItems
                    .Where(i => i.PlanId == planId && i.WorkItemId == decision.WorkItemId && i.Status == PlanItemStatus.Waiting)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(i => i.Status, decision.Status)
                        .SetProperty(i => i.Reason, decision.Reason)
                        .SetProperty(i => i.DueAt, decision.Status == PlanItemStatus.Ready ? due : null), cancellationToken);
                if (changed == 1)
                {
                    statuses[decision.WorkItemId] = decision.Status;
                    actions.Add(new TickAction(planId, keys[decision.WorkItemId], decision.Status == PlanItemStatus.Ready ? "ready" : "skipped",
                        null, decision.Reason));
                }
                else
                {
                    raced = true;
                }
            }
        }
        // Someone else moved an item meanwhile: what is stored, not what was read, decides whether the plan is over.
        if (raced || statuses.Values.All(PlanGraph.IsFinal))
        {
            await TryFinishAsync(planId, actions, cancellationToken);
        }
    }

    /// <summary>Ends the plan when none of its items is left to do: succeeded, failed or cancelled by its items' outcomes.</summary>
    public async Task<bool> TryFinishAsync(long planId, List<TickAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var statuses = await db.PlanItems.Where(i => i.PlanId == planId).Select(i => i.Status).ToListAsync(cancellationToken);
        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Id == planId, cancellationToken);
        if (!plan.TryFinish(statuses, clock.GetUtcNow()))
        {
            return false;
        }
        using (await gate.EnterAsync(cancellationToken))
        {
            // Conditional: when another pass ended the plan first, this one changes nothing and says nothing.
            if (await db.Plans.Where(p => p.Id == planId && p.Status == PlanStatus.Running)
                    .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, plan.Status).SetProperty(p => p.FinishedAt, plan.FinishedAt),
                        cancellationToken) == 0)
            {
                return false;
            }
        }
        actions.Add(new TickAction(planId, null, $"plan {plan.Status.ToString().ToLowerInvariant()}", null, null));
        return true;
    }
}

/// <summary>A started plan item whose run has ended, and what recording it needs.</summary>
public sealed record EndedItem(long ItemId, long PlanId, DateTimeOffset? ScheduledFor, long WorkItemId, int WorkItemNumber, int Retries,
    RetryRule WorkItemRule, RetryRule ProjectRule, long RunId, RunStatus Status, int? ExitCode, long ProjectId, string? ConcurrencyGroup,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
