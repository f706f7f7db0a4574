namespace Baton.Core.WorkItems;

/// <summary>
/// When the scheduler runs a failed work item again: its run exited with one of
/// <see cref="ExitCodes"/> and fewer than <see cref="Attempts"/> retries were made; the next
/// try is due <see cref="DelaySeconds"/> after the failure. No exit codes: no retries.
/// </summary>
public sealed record RetryRule(IReadOnlyList<int> ExitCodes, int Attempts, int DelaySeconds)
{
    public static RetryRule None { get; } = new([], 0, 0);

    public bool Retries(int? exitCode, int retriesSoFar) => exitCode is { } code && ExitCodes.Contains(code) && retriesSoFar < Attempts;
}
