using Baton.Core.Projects;
using Baton.Core.WorkItems;
using Baton.Server.Features.Plans;

namespace Baton.Server.Features.Projects;

public sealed record CreateProjectRequest
{
    /// <summary>URL slug, unique, never changes (e.g. "payments").</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public PolicyInput? Policy { get; init; }
}

/// <summary>Changes only the fields that are present.</summary>
public sealed record UpdateProjectRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public PolicyInput? Policy { get; init; }
}

/// <summary>Policy fields to set; absent fields keep their current (or default) value.</summary>
public sealed record PolicyInput
{
    public bool? RunApprovalRequired { get; init; }
    public int? RequiredApprovals { get; init; }
    public bool? SelfApprovalAllowed { get; init; }
    public IReadOnlyList<string>? DefaultLabels { get; init; }
    public int? MaxRunAttempts { get; init; }
    /// <summary>The retry rule for scheduled runs of work items without their own (no exit codes removes it).</summary>
    public RetryRuleDto? Retry { get; init; }
    /// <summary>Hours a run may wait for approval before it is rejected; 0 removes the expiry.</summary>
    public int? ApprovalExpiryHours { get; init; }

    public ProjectPolicy ApplyTo(ProjectPolicy current) => new(
        RunApprovalRequired ?? current.RunApprovalRequired,
        RequiredApprovals ?? current.RequiredApprovals,
        SelfApprovalAllowed ?? current.SelfApprovalAllowed,
        DefaultLabels is null ? current.DefaultLabels : Labels.Normalize(DefaultLabels),
        MaxRunAttempts ?? current.MaxRunAttempts,
        Retry is null ? current.Retry : Retry.ToRule(RetryRule.ProjectSource),
        ApprovalExpiryHours is null ? current.ApprovalExpiryHours : ApprovalExpiryHours == 0 ? null : ApprovalExpiryHours);
}

public sealed record PolicyDto(bool RunApprovalRequired, int RequiredApprovals, bool SelfApprovalAllowed, IReadOnlyList<string> DefaultLabels,
    int MaxRunAttempts, RetryRuleDto? Retry, int? ApprovalExpiryHours)
{
    public static PolicyDto From(ProjectPolicy policy) =>
        new(policy.RunApprovalRequired, policy.RequiredApprovals, policy.SelfApprovalAllowed, policy.DefaultLabels, policy.MaxRunAttempts,
            RetryRuleDto.From(policy.Retry), policy.ApprovalExpiryHours);
}

public sealed record ProjectDto(
    string Key, string Name, string Description, PolicyDto Policy,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProjectDto From(Project project) => new(
        project.Key, project.Name, project.Description, PolicyDto.From(project.Policy),
        project.CreatedBy, project.CreatedAt, project.UpdatedAt);
}
