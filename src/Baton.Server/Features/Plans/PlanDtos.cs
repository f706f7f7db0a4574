using Baton.Core.Plans;
using Baton.Core.Runs;

namespace Baton.Server.Features.Plans;

public sealed record CreatePlanRequest
{
    /// <summary>Work item keys to run, with everything they depend on; all of the project's when absent.</summary>
    public IReadOnlyList<string>? WorkItems { get; init; }
    /// <summary>No item starts before this time.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
    /// <summary>Added to each work item's priority.</summary>
    public int? Priority { get; init; }
}

public sealed record PlanItemDto(string WorkItem, PlanItemStatus Status, IReadOnlyList<string> DependsOn, int Priority, DateTimeOffset? DueAt,
    long? RunId, RunStatus? RunStatus, string? Reason, string? WaitingReason);

public sealed record PlanDto(long Id, string Project, PlanStatus Status, int Priority, DateTimeOffset? ScheduledFor, string RequestedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, IReadOnlyList<PlanItemDto> Items);

/// <summary>What one pass of the scheduler did.</summary>
public sealed record TickReport(IReadOnlyList<TickAction> Actions, DateTimeOffset? NextDueAt);

/// <summary>One thing the scheduler did: started (with the run), skipped, ended, held (and why), finished a plan.</summary>
public sealed record TickAction(long PlanId, string? WorkItem, string Action, long? RunId, string? Reason);

/// <summary>An entry of <c>GET /api/queue</c>: a plan item that waits, or a run that waits, and the one reason why.</summary>
public sealed record QueueEntryDto(string Project, string WorkItem, long? PlanId, long? RunId, string State, int Priority, DateTimeOffset? DueAt,
    string Reason);
