using Baton.Core.WorkItems;

namespace Baton.Core.Projects;

/// <summary>
/// A project: the root every vision, requirement and work item hangs from. It also hands out
/// the dense per-project numbers of requirements and work items (see the counters below).
/// </summary>
public sealed class Project
{
    private Project() { }

    public Project(string key, string name, string description, ProjectPolicy policy, string createdBy, DateTimeOffset now)
    {
        Key = key;
        Name = name;
        Description = description;
        CreatedBy = createdBy;
        CreatedAt = now;
        UpdatedAt = now;
        ApplyPolicy(policy);
    }

    public long Id { get; private set; }
    public string Key { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public bool RunApprovalRequired { get; private set; }
    public int RequiredApprovals { get; private set; }
    public bool SelfApprovalAllowed { get; private set; }
    public List<string> DefaultLabels { get; private set; } = [];
    public int MaxRunAttempts { get; private set; } = ProjectPolicy.DefaultMaxRunAttempts;
    /// <summary>The project's default retry rule for scheduled runs (a recipe's or work item's own rule comes first).</summary>
    public List<int> RetryExitCodes { get; private set; } = [];
    public int RetryAttempts { get; private set; }
    public int RetryDelaySeconds { get; private set; }
    /// <summary>A run waiting for approval this long is rejected; null: it waits until someone decides.</summary>
    public int? ApprovalExpiryHours { get; private set; }
    /// <summary>Last REQ number handed out; bumped atomically in the database, never here.</summary>
    public int LastRequirementNumber { get; private set; }
    /// <summary>Last WI number handed out; bumped atomically in the database, never here.</summary>
    public int LastWorkItemNumber { get; private set; }
    /// <summary>Bumped by every change of the dependency graph, so concurrent edits serialise.</summary>
    public int GraphVersion { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public ProjectPolicy Policy => new(RunApprovalRequired, RequiredApprovals, SelfApprovalAllowed, DefaultLabels, MaxRunAttempts,
        RetryExitCodes.Count > 0 ? new RetryRule(RetryExitCodes, RetryAttempts, TimeSpan.FromSeconds(RetryDelaySeconds), RetryRule.ProjectSource) : null,
        ApprovalExpiryHours);

    public void Update(string? name, string? description, ProjectPolicy? policy, DateTimeOffset now)
    {
        Name = name ?? Name;
        Description = description ?? Description;
        if (policy is not null)
        {
            ApplyPolicy(policy);
        }
        UpdatedAt = now;
    }

    private void ApplyPolicy(ProjectPolicy policy)
    {
        RunApprovalRequired = policy.RunApprovalRequired;
        RequiredApprovals = policy.RequiredApprovals;
        SelfApprovalAllowed = policy.SelfApprovalAllowed;
        DefaultLabels = [.. policy.DefaultLabels];
        MaxRunAttempts = policy.MaxRunAttempts;
        RetryExitCodes = [.. policy.Retry?.ExitCodes ?? []];
        RetryAttempts = RetryExitCodes.Count == 0 ? 0 : policy.Retry!.Attempts;
        RetryDelaySeconds = RetryExitCodes.Count == 0 ? 0 : (int)policy.Retry!.Delay.TotalSeconds;
        ApprovalExpiryHours = policy.ApprovalExpiryHours;
    }
}
