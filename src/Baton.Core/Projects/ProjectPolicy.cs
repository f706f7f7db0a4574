using Baton.Core.WorkItems;

namespace Baton.Core.Projects;

/// <summary>How runs of a project are gated, where its work goes, and which failures the scheduler retries, by default.</summary>
public sealed record ProjectPolicy(
    bool RunApprovalRequired,
    int RequiredApprovals,
    bool SelfApprovalAllowed,
    IReadOnlyList<string> DefaultLabels,
    int MaxRunAttempts,
    RetryRule? Retry = null,
    int? ApprovalExpiryHours = null)
{
    /// <summary>A pending approval may wait at most a year; none means it waits until someone decides.</summary>
    public const int MaxApprovalExpiryHours = 24 * 365;
    public const int MaxRequiredApprovals = 10;
    /// <summary>A run whose agent is lost is requeued until it has been tried this many times.</summary>
    public const int DefaultMaxRunAttempts = 2;
    public const int MaxMaxRunAttempts = 10;

    public static ProjectPolicy Default { get; } = new(false, 1, false, [], DefaultMaxRunAttempts);
}
