namespace Baton.Core.Plans;

/// <summary>
/// What a plan's waiting items become, given where every item of the plan is: ready when all
/// their dependencies succeeded, skipped (with the dependency named) as soon as one of them
/// ended otherwise. Pure, so the scheduler's every decision is unit-tested here.
/// </summary>
public static class PlanGraph
{
    public static bool IsFinal(PlanItemStatus status) =>
        status is PlanItemStatus.Succeeded or PlanItemStatus.Failed or PlanItemStatus.Cancelled or PlanItemStatus.Skipped;

    /// <summary>
    /// Decisions for waiting items, applied until nothing changes, so a failure skips its whole
    /// downstream in one pass. <paramref name="keyOf"/> names a work item in reasons.
    /// </summary>
    public static IReadOnlyList<PlanDecision> Advance(IReadOnlyDictionary<long, PlanItemStatus> items,
        IReadOnlyDictionary<long, IReadOnlyList<long>> dependsOn, Func<long, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(dependsOn);
        ArgumentNullException.ThrowIfNull(keyOf);
        var status = new Dictionary<long, PlanItemStatus>(items);
        var decisions = new List<PlanDecision>();
        bool changed;
        do
        {
            changed = false;
            foreach (var (item, current) in status.Where(s => s.Value == PlanItemStatus.Waiting).OrderBy(s => s.Key).ToList())
            {
                var deps = dependsOn.GetValueOrDefault(item) ?? [];
                var blocker = deps.FirstOrDefault(d => IsFinal(status[d]) && status[d] != PlanItemStatus.Succeeded);
                if (blocker != 0)
                {
                    var reason = $"dependency {keyOf(blocker)} {Words(status[blocker])}";
                    status[item] = PlanItemStatus.Skipped;
                    decisions.Add(new PlanDecision(item, PlanItemStatus.Skipped, reason));
                    changed = true;
                }
                else if (deps.All(d => status[d] == PlanItemStatus.Succeeded))
                {
                    status[item] = PlanItemStatus.Ready;
                    decisions.Add(new PlanDecision(item, PlanItemStatus.Ready, null));
                    changed = true;
                }
            }
        }
        while (changed);
        return decisions;
    }

    /// <summary>The first dependency that holds a waiting item back, for "waiting for dependency WI-3 (running)".</summary>
    public static long? FirstUnfinished(IReadOnlyList<long> dependsOn, IReadOnlyDictionary<long, PlanItemStatus> items)
    {
        ArgumentNullException.ThrowIfNull(dependsOn);
        ArgumentNullException.ThrowIfNull(items);
        return dependsOn.Where(d => items[d] != PlanItemStatus.Succeeded).Select(d => (long?)d).FirstOrDefault();
    }

    public static string Words(PlanItemStatus status) => status switch
    {
        PlanItemStatus.Succeeded => "succeeded",
        PlanItemStatus.Failed => "failed",
        PlanItemStatus.Cancelled => "was cancelled",
        PlanItemStatus.Skipped => "was skipped",
        PlanItemStatus.Started => "running",
        PlanItemStatus.Ready => "about to start",
        _ => "waiting",
    };
}

/// <summary>An item's next state, and for a skip, why.</summary>
public sealed record PlanDecision(long WorkItemId, PlanItemStatus Status, string? Reason);
