namespace Baton.Core.Projects;

/// <summary>How runs of a project are gated, and where its work goes by default.</summary>
public sealed record ProjectPolicy(
    bool RunApprovalRequired,
    int RequiredApprovals,
    bool SelfApprovalAllowed,
    IReadOnlyList<string> DefaultLabels)
{
    public const int MaxRequiredApprovals = 10;

    public static ProjectPolicy Default { get; } = new(false, 1, false, []);
}
