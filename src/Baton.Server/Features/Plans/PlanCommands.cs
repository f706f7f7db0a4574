using Baton.Core.Access;
using Baton.Core.Keys;
using Baton.Core.Plans;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>Making a plan: the named work items and everything they depend on (or the whole project), as one DAG.</summary>
public sealed class PlanCommands(BatonDbContext db, AuditTrail audit, RunSignals signals, WriteGate gate, TimeProvider clock)
{
    public const int MaxItems = 1000;

    public async Task<Outcome<Plan>> CreateAsync(string key, CreatePlanRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        errors.Range("priority", request.Priority, WorkItem.MinPriority, WorkItem.MaxPriority);
        if (request.WorkItems is { Count: 0 })
        {
            errors.Add("workItems", "name at least one work item, or leave workItems out to plan the whole project");
        }
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } missing)
        {
            return missing;
        }
        var items = await db.WorkItems.AsNoTracking().Where(w => w.ProjectId == project.Value && w.Number != WorkItem.AdHocNumber)
            .Select(w => new { w.Id, w.Number, w.Priority, w.RecipeVersion }).ToListAsync(cancellationToken);
        var edges = await db.WorkItemDependencies.AsNoTracking()
            .Where(d => db.WorkItems.Any(w => w.Id == d.WorkItemId && w.ProjectId == project.Value)).ToListAsync(cancellationToken);
        var dependsOn = edges.GroupBy(e => e.WorkItemId).ToDictionary(g => g.Key, g => g.Select(e => e.DependsOnId).ToList());
        var byNumber = items.ToDictionary(i => i.Number);
        var chosen = new HashSet<long>();
        if (request.WorkItems is null)
        {
            chosen.UnionWith(items.Select(i => i.Id));
        }
        else
        {
            for (var i = 0; i < request.WorkItems.Count; i++)
            {
                if (!ItemKey.TryParseWorkItem(request.WorkItems[i], out var number) || !byNumber.TryGetValue(number, out var item))
                {
                    return Failure.Unprocessable($"workItems[{i}]", $"'{request.WorkItems[i]}' is not a work item of project '{key}'");
                }
                Close(item.Id, dependsOn, chosen);
            }
        }
        if (chosen.Count == 0)
        {
            return Failure.Unprocessable("workItems", $"project '{key}' has no work items to plan");
        }
        if (chosen.Count > MaxItems)
        {
            return Failure.Unprocessable("workItems", $"a plan holds at most {MaxItems} work items ({chosen.Count} chosen)");
        }
        var withoutRecipe = items.Where(i => chosen.Contains(i.Id) && i.RecipeVersion is null).Select(i => ItemKey.WorkItem(i.Number)).ToList();
        if (withoutRecipe.Count > 0)
        {
            return Failure.Unprocessable("workItems", $"these work items have no recipe yet: {string.Join(", ", withoutRecipe)}");
        }

        var now = clock.GetUtcNow();
        var priority = request.Priority ?? 0;
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var plan = new Plan(project.Value, priority, request.ScheduledFor, actor, now);
            db.Plans.Add(plan);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var item in items.Where(i => chosen.Contains(i.Id)))
            {
                var itemPriority = Math.Clamp(item.Priority + priority, WorkItem.MinPriority, WorkItem.MaxPriority);
                db.PlanItems.Add(new PlanItem(plan.Id, item.Id, dependsOn.GetValueOrDefault(item.Id) ?? [], itemPriority));
            }
            audit.Record(actor, "plan.created", $"plan:{plan.Id}", $"project {key}, {chosen.Count} work item(s)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            signals.PulseScheduler();
            return plan;
        }
    }

    /// <summary>
    /// Requeues a finished plan's items that did not succeed (failed, cancelled or skipped); succeeded
    /// items keep their runs. A new run of an item whose recipe is unchanged keeps its approval.
    /// </summary>
    public async Task<Outcome<Plan>> RerunFailedAsync(long planId, string actor, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
            if (plan is null)
            {
                return Failure.NotFound($"plan {planId} does not exist");
            }
            if (plan.Status == PlanStatus.Running)
            {
                return Failure.Conflict($"plan {planId} is still running; rerun its failed items once it has ended");
            }
            var items = await db.PlanItems.Where(i => i.PlanId == planId
                && (i.Status == PlanItemStatus.Failed || i.Status == PlanItemStatus.Skipped || i.Status == PlanItemStatus.Cancelled))
                .ToListAsync(cancellationToken);
            if (items.Count == 0)
            {
                return Failure.Conflict($"plan {planId} has no failed or skipped items");
            }
            items.ForEach(i => i.Rerun());
            plan.Reopen();
            audit.Record(actor, "plan.rerun_failed", $"plan:{planId}", $"{items.Count} item(s) requeued");
            await db.SaveChangesAsync(cancellationToken);
        }
        signals.PulseScheduler();
        return (await db.Plans.AsNoTracking().SingleAsync(p => p.Id == planId, cancellationToken));
    }

    /// <summary>Pauses or resumes the whole queue: while paused no plan item starts and no schedule fires.</summary>
    public async Task SetQueuePausedAsync(bool paused, string actor, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            var marker = await db.SystemMarkers.SingleOrDefaultAsync(m => m.Key == SystemMarker.QueuePaused, cancellationToken);
            if (paused && marker is null)
            {
                db.SystemMarkers.Add(new SystemMarker(SystemMarker.QueuePaused, clock.GetUtcNow()));
            }
            else if (!paused && marker is not null)
            {
                db.SystemMarkers.Remove(marker);
            }
            audit.Record(actor, paused ? "queue.paused" : "queue.resumed", "queue");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
            {
                // Paused by someone else at the same moment: the queue is paused, as asked.
            }
        }
        signals.PulseScheduler();
    }

    /// <summary>Adds <paramref name="item"/> and, transitively, what it depends on.</summary>
    private static void Close(long item, Dictionary<long, List<long>> dependsOn, HashSet<long> chosen)
    {
        var pending = new Stack<long>([item]);
        while (pending.TryPop(out var next))
        {
            if (chosen.Add(next))
            {
                foreach (var dependency in dependsOn.GetValueOrDefault(next) ?? [])
                {
                    pending.Push(dependency);
                }
            }
        }
    }
}
