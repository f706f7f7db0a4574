using Baton.Core.Access;
using Baton.Core.Keys;
using Baton.Core.Plans;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Queries;
using Baton.Server.Features.Runs;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>
/// Starts the tick queue's due entries: ready plan items due by now, highest priority first, each
/// made a run unless the queue is paused (a run of a concurrency group then waits for its slot like
/// any other, see <see cref="ConcurrencyGroups"/>). Everything a run copies is read in the same
/// query, so a start costs that query and the run's own insert.
/// </summary>
public sealed class PlanStarter(BatonDbContext db, RunCreator runs, TimeProvider clock)
{
    /// <summary>Starts what is due, in every running plan or only in <paramref name="planId"/>.</summary>
    public async Task StartDueAsync(long? planId, List<TickAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var due = new List<DueItem>();
        await foreach (var item in DueQuery.For(db)(db, clock.GetUtcNow(), planId).WithCancellation(cancellationToken))
        {
            due.Add(item);
        }
        foreach (var item in due)
        {
            var key = ItemKey.WorkItem(item.WorkItemNumber);
            var source = await runs.SourceAsync(item.WorkItemId, cancellationToken);
            if (source is null)
            {
                actions.Add(new TickAction(item.PlanId, key, "not started", null, "the work item has no recipe"));
                continue;
            }
            var created = await runs.InsertAsync(new RunOrder(source, item.PreviousRunId is null ? RunTrigger.Scheduler : RunTrigger.Rerun,
                item.Priority, item.RequestedBy, item.Id, item.PreviousRunId), cancellationToken);
            actions.Add(created.Value is { } run
                ? new TickAction(item.PlanId, key, "started", run.Run.Id, null)
                : new TickAction(item.PlanId, key, "not started", null, created.Failure!.Detail));
        }
    }

    /// <summary>
    /// Ready items due by <c>now</c> in running plans (of one plan, or all for a null plan id), best first; nothing while the
    /// queue is paused. Compiled once: the completion path asks it every time a plan moves on.
    /// </summary>
    private static readonly CompiledQuery<Func<BatonDbContext, DateTimeOffset, long?, IAsyncEnumerable<DueItem>>> DueQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db, DateTimeOffset now, long? planId) =>
            from item in db.PlanItems.AsNoTracking()
            where item.Status == PlanItemStatus.Ready && item.DueAt <= now && (planId == null || item.PlanId == planId)
            join plan in db.Plans on item.PlanId equals plan.Id
            where plan.Status == PlanStatus.Running && !db.SystemMarkers.Any(m => m.Key == SystemMarker.QueuePaused)
            join workItem in db.WorkItems on item.WorkItemId equals workItem.Id
            orderby item.Priority descending, item.DueAt, item.Id
            select new DueItem(item.Id, item.PlanId, item.Priority, item.PreviousRunId, plan.RequestedBy, workItem.Id, workItem.Number)));

    private sealed record DueItem(long Id, long PlanId, int Priority, long? PreviousRunId, string RequestedBy, long WorkItemId, int WorkItemNumber);
}
