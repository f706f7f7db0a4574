using Baton.Core.WorkItems;
using Baton.Server.Features.Plans;

namespace Baton.Server.Features.WorkItems;

public sealed record CreateWorkItemRequest
{
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary>Keys of approved requirements this item implements (REQ-n).</summary>
    public IReadOnlyList<string>? Requirements { get; init; }
    /// <summary>Keys of work items of the same project that must succeed first (WI-n).</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }
    public IReadOnlyList<string>? Labels { get; init; }
    public int? Priority { get; init; }
    public ConcurrencyDto? Concurrency { get; init; }
    public RetryRuleDto? Retry { get; init; }
}

/// <summary>At most <see cref="Limit"/> runs of the items naming <see cref="Group"/> (per project) at once; the rest wait their turn.</summary>
public sealed record ConcurrencyDto(string Group, int Limit);

/// <summary>Changes only the fields that are present; lists given replace the old lists.</summary>
public sealed record UpdateWorkItemRequest
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Requirements { get; init; }
    public IReadOnlyList<string>? DependsOn { get; init; }
    public IReadOnlyList<string>? Labels { get; init; }
    public int? Priority { get; init; }
    /// <summary>Sets the group; a group of "" leaves it.</summary>
    public ConcurrencyDto? Concurrency { get; init; }
    /// <summary>Replaces the retry rule; no exit codes removes it.</summary>
    public RetryRuleDto? Retry { get; init; }
}

public sealed record WorkItemDto(
    string Key, string Title, string Description, IReadOnlyList<string> Requirements, IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> Labels, int Priority, ConcurrencyDto? Concurrency, RetryRuleDto? Retry, int? RecipeVersion, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WorkItemDto From(WorkItem item, WorkItemLinks links) => new(
        item.Key, item.Title, item.Description, links.RequirementsOf(item.Id), links.DependenciesOf(item.Id),
        item.Labels, item.Priority,
        item.ConcurrencyGroup is { } group ? new ConcurrencyDto(group, item.ConcurrencyLimit ?? 1) : null,
        item.RetryExitCodes.Count > 0 ? new RetryRuleDto(item.RetryExitCodes, item.RetryAttempts, item.RetryDelaySeconds) : null, item.RecipeVersion, item.CreatedBy, item.CreatedAt, item.UpdatedAt);
}
