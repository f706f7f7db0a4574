using Baton.Core.WorkItems;

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
}

/// <summary>Changes only the fields that are present; lists given replace the old lists.</summary>
public sealed record UpdateWorkItemRequest
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Requirements { get; init; }
    public IReadOnlyList<string>? DependsOn { get; init; }
    public IReadOnlyList<string>? Labels { get; init; }
    public int? Priority { get; init; }
}

public sealed record WorkItemDto(
    string Key, string Title, string Description, IReadOnlyList<string> Requirements, IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> Labels, int Priority, int? RecipeVersion, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WorkItemDto From(WorkItem item, WorkItemLinks links) => new(
        item.Key, item.Title, item.Description, links.RequirementsOf(item.Id), links.DependenciesOf(item.Id),
        item.Labels, item.Priority, item.RecipeVersion, item.CreatedBy, item.CreatedAt, item.UpdatedAt);
}
