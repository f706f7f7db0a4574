namespace Baton.Core.Plans;

/// <summary>
/// One work item inside a plan: waiting for its dependencies, ready (an entry of the tick queue,
/// due at <see cref="DueAt"/>), started (its run exists), or ended like its run; skipped when a
/// dependency did not succeed. Its dependencies are fixed when the plan is made.
/// </summary>
public sealed class PlanItem
{
    private PlanItem() { }

    public PlanItem(long planId, long workItemId, IReadOnlyList<long> dependsOn, int priority)
    {
        PlanId = planId;
        WorkItemId = workItemId;
        DependsOn = [.. dependsOn];
        Priority = priority;
    }

    public long Id { get; private set; }
    public long PlanId { get; private set; }
    public long WorkItemId { get; private set; }
    /// <summary>Work item ids inside the same plan that must succeed first.</summary>
    public List<long> DependsOn { get; private set; } = [];
    public PlanItemStatus Status { get; private set; } = PlanItemStatus.Waiting;
    public int Priority { get; private set; }
    public DateTimeOffset? DueAt { get; private set; }
    public long? RunId { get; private set; }
    /// <summary>The run of the previous try when the item was rerun; its approval carries over if the recipe is unchanged.</summary>
    public long? PreviousRunId { get; private set; }
    /// <summary>Automatic retries made so far (the work item's retry rule).</summary>
    public int Retries { get; private set; }
    /// <summary>Why it ended without running (the dependency that did not succeed).</summary>
    public string? Reason { get; private set; }

    /// <summary>Back to waiting for another try (rerun-failed), remembering the run it replaces.</summary>
    public void Rerun()
    {
        PreviousRunId = RunId ?? PreviousRunId;
        RunId = null;
        Reason = null;
        DueAt = null;
        Status = PlanItemStatus.Waiting;
    }

    public void MakeReady(DateTimeOffset dueAt)
    {
        Status = PlanItemStatus.Ready;
        DueAt = dueAt;
    }

    public void Skip(string reason)
    {
        Status = PlanItemStatus.Skipped;
        Reason = reason;
    }

    public void Started(long runId)
    {
        Status = PlanItemStatus.Started;
        RunId = runId;
    }

    public void Ended(PlanItemStatus status, string? reason)
    {
        Status = status;
        Reason = reason;
    }
}

public enum PlanItemStatus
{
    /// <summary>Some dependency has not succeeded yet.</summary>
    Waiting,
    /// <summary>Every dependency succeeded: a run is made for it once it is due and its concurrency group has room.</summary>
    Ready,
    /// <summary>Its run exists (waiting for approval, queued or running).</summary>
    Started,
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>A dependency failed, was cancelled or was skipped.</summary>
    Skipped,
}
