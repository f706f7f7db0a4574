using Baton.Core.Keys;

namespace Baton.Core.WorkItems;

/// <summary>
/// A unit of work implementing approved requirements, with a tool recipe to run.
/// Its links (requirements, dependencies) live in their own tables; see the configurations.
/// </summary>
public sealed class WorkItem : IProjectItem
{
    private WorkItem() { }

    public WorkItem(long projectId, int number, string title, string description,
        IReadOnlyList<string> labels, int priority, string createdBy, DateTimeOffset now)
    {
        ProjectId = projectId;
        Number = number;
        Title = title;
        Description = description;
        Labels = [.. labels];
        Priority = priority;
        CreatedBy = createdBy;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public const int MinPriority = -1000;
    public const int MaxPriority = 1000;

    /// <summary>
    /// The number of a project's ad-hoc work item, which holds the runs of recipes sent with <c>baton exec</c>.
    /// People's items are numbered from 1 and keys never parse to 0, so WI-0 is never addressed by key, linked,
    /// depended on or planned: it exists only so that ad-hoc runs have the home every run needs.
    /// </summary>
    public const int AdHocNumber = 0;

    /// <summary>A project's ad-hoc work item (see <see cref="AdHocNumber"/>); it has no labels, so runs get the project's defaults.</summary>
    public static WorkItem AdHoc(long projectId, string createdBy, DateTimeOffset now) =>
        new(projectId, AdHocNumber, "Ad-hoc runs", "Runs of recipes sent with baton exec (POST /api/projects/{key}/exec); not part of any plan.",
            [], 0, createdBy, now);

    public bool IsAdHoc => Number == AdHocNumber;

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public int Number { get; private set; }
    public string Key => ItemKey.WorkItem(Number);
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public List<string> Labels { get; private set; } = [];
    public int Priority { get; private set; }
    /// <summary>The version of the recipe currently in force (null: no recipe yet).</summary>
    public int? RecipeVersion { get; private set; }
    /// <summary>Runs are numbered per work item; the counter is bumped with an UPDATE inside the creating transaction.</summary>
    public int LastRunNumber { get; private set; }
    /// <summary>Runs of items sharing a group (per project) hold at most <see cref="ConcurrencyLimit"/> slots at once; extra runs wait, queued, in order.</summary>
    public string? ConcurrencyGroup { get; private set; }
    public int? ConcurrencyLimit { get; private set; }
    /// <summary>When its scheduled run fails with one of these exit codes, the scheduler runs it again (up to <see cref="RetryAttempts"/> more times).</summary>
    public List<int> RetryExitCodes { get; private set; } = [];
    public int RetryAttempts { get; private set; }
    public int RetryDelaySeconds { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Update(string? title, string? description, IReadOnlyList<string>? labels, int? priority, DateTimeOffset now)
    {
        Title = title ?? Title;
        Description = description ?? Description;
        if (labels is not null)
        {
            Labels = [.. labels];
        }
        Priority = priority ?? Priority;
        UpdatedAt = now;
    }

    /// <summary>Joins a concurrency group (or leaves it with a null group).</summary>
    public void UseConcurrency(string? group, int limit, DateTimeOffset now)
    {
        ConcurrencyGroup = group;
        ConcurrencyLimit = group is null ? null : limit;
        UpdatedAt = now;
    }

    /// <summary>Sets the automatic retry rule (no exit codes: no retries).</summary>
    public void UseRetry(IReadOnlyList<int> exitCodes, int attempts, int delaySeconds, DateTimeOffset now)
    {
        RetryExitCodes = [.. exitCodes];
        RetryAttempts = exitCodes.Count == 0 ? 0 : attempts;
        RetryDelaySeconds = delaySeconds;
        UpdatedAt = now;
    }


    public void UseRecipeVersion(int version, DateTimeOffset now)
    {
        RecipeVersion = version;
        UpdatedAt = now;
    }
}

/// <summary>A work item implements a requirement (many to many).</summary>
public sealed class WorkItemRequirement
{
    public long WorkItemId { get; set; }
    public long RequirementId { get; set; }
}

/// <summary>Edge of the project's DAG: <see cref="WorkItemId"/> runs after <see cref="DependsOnId"/>.</summary>
public sealed class WorkItemDependency
{
    public long WorkItemId { get; set; }
    public long DependsOnId { get; set; }
}
