namespace Baton.Core.Plans;

/// <summary>
/// A set of a project's work items run in dependency order: each item becomes a run once every
/// item it depends on (within the plan) has succeeded. Its items are the scheduler's queue.
/// </summary>
public sealed class Plan
{
    private Plan() { }

    public Plan(long projectId, int priority, DateTimeOffset? scheduledFor, string requestedBy, DateTimeOffset now)
    {
        ProjectId = projectId;
        Priority = priority;
        ScheduledFor = scheduledFor;
        RequestedBy = requestedBy;
        CreatedAt = now;
    }

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public PlanStatus Status { get; private set; } = PlanStatus.Running;
    public int Priority { get; private set; }
    /// <summary>No item starts before this time (null: at once).</summary>
    public DateTimeOffset? ScheduledFor { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Runs again (rerun-failed): its failed and skipped items go back to waiting.</summary>
    public void Reopen()
    {
        Status = PlanStatus.Running;
        FinishedAt = null;
    }

    /// <summary>Ends the plan once every item is final: succeeded if all succeeded, else failed (or cancelled when cancelled).</summary>
    public bool TryFinish(IReadOnlyCollection<PlanItemStatus> items, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Status != PlanStatus.Running || items.Any(s => !PlanGraph.IsFinal(s)))
        {
            return false;
        }
        Status = items.All(s => s == PlanItemStatus.Succeeded) ? PlanStatus.Succeeded
            : items.Any(s => s == PlanItemStatus.Cancelled) ? PlanStatus.Cancelled
            : PlanStatus.Failed;
        FinishedAt = now;
        return true;
    }
}

public enum PlanStatus
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
