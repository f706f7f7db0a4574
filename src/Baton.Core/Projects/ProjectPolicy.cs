namespace Baton.Core.Projects;

/// <summary>How runs of a project are gated, and where its work goes by default.</summary>
public sealed record ProjectPolicy(
    bool RunApprovalRequired,
    int RequiredApprovals,
    bool SelfApprovalAllowed,
    IReadOnlyList<string> DefaultLabels,
    int MaxRunAttempts)
{
    public const int MaxRequiredApprovals = 10;
    /// <summary>A run whose agent is lost is requeued until it has been tried this many times.</summary>
    public const int DefaultMaxRunAttempts = 2;
    public const int MaxMaxRunAttempts = 10;

    public static ProjectPolicy Default { get; } = new(false, 1, false, [], DefaultMaxRunAttempts);
}
