namespace Baton.Core.WorkItems;

/// <summary>
/// When the scheduler runs a failed work item again: its run exited with one of
/// <see cref="ExitCodes"/> and fewer than <see cref="Attempts"/> retries were made; the next try
/// is due <see cref="Delay"/> after the failure. A rule can come from the run's recipe, the work
/// item or the project's policy; <see cref="FirstOf"/> says which one applies.
/// </summary>
public sealed record RetryRule(IReadOnlyList<int> ExitCodes, int Attempts, TimeSpan Delay, string Source)
{
    public const int MaxAttempts = 10;
    public const int MaxExitCodes = 20;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);
    public const string RecipeSource = "the recipe's retry rule";
    public const string WorkItemSource = "the work item's retry rule";
    public const string ProjectSource = "the project's retry rule";

    /// <summary>A rule that retries nothing (no exit codes or no attempts) is no rule: the next source is asked.</summary>
    public bool IsSet => ExitCodes.Count > 0 && Attempts > 0;

    public bool Retries(int? exitCode, int retriesSoFar) => exitCode is { } code && ExitCodes.Contains(code) && retriesSoFar < Attempts;

    /// <summary>The first rule that is set: the recipe's (approved and versioned with the steps it retries), the work item's, the project's.</summary>
    public static RetryRule? FirstOf(params RetryRule?[] rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.FirstOrDefault(r => r is { IsSet: true });
    }

    /// <summary>Why <paramref name="exitCodes"/> cannot be retry exit codes, or null (exit codes of a process that exited: 1 to 255).</summary>
    public static string? CheckExitCodes(IReadOnlyList<int>? exitCodes) =>
        exitCodes is null || exitCodes.Count > MaxExitCodes || exitCodes.Any(c => c is < 1 or > 255)
            ? $"at most {MaxExitCodes} exit codes, each between 1 and 255"
            : null;
}
