using Baton.Core.WorkItems;
using Baton.Server.Infrastructure.Errors;

namespace Baton.Server.Features.Plans;

/// <summary>
/// A scheduled run that fails with one of <see cref="ExitCodes"/> is run again after <see cref="DelaySeconds"/>, at most
/// <see cref="Attempts"/> more times. Set on a work item or as a project's default; a recipe's own <c>retry</c> comes first.
/// </summary>
public sealed record RetryRuleDto(IReadOnlyList<int> ExitCodes, int Attempts, int DelaySeconds)
{
    public static RetryRuleDto? From(RetryRule? rule) =>
        rule is { IsSet: true } ? new RetryRuleDto(rule.ExitCodes, rule.Attempts, (int)rule.Delay.TotalSeconds) : null;

    /// <summary>The rule to store: no exit codes (or no attempts) means none.</summary>
    public RetryRule ToRule(string source) => new([.. ExitCodes.Distinct()], ExitCodes.Count == 0 ? 0 : Attempts, TimeSpan.FromSeconds(DelaySeconds), source);

    /// <summary>Errors under <paramref name="field"/> (e.g. "retry", "policy.retry").</summary>
    public static void Check(FieldErrors errors, string field, RetryRuleDto? rule)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (rule is null)
        {
            return;
        }
        if (rule.ExitCodes is { Count: > 0 } && RetryRule.CheckExitCodes(rule.ExitCodes) is { } problem)
        {
            errors.Add($"{field}.exitCodes", problem);
        }
        else if (rule.ExitCodes is null)
        {
            errors.Add($"{field}.exitCodes", "exitCodes is required ([] removes the rule)");
        }
        errors.Range($"{field}.attempts", rule.Attempts, 0, RetryRule.MaxAttempts);
        errors.Range($"{field}.delaySeconds", rule.DelaySeconds, 0, (int)RetryRule.MaxDelay.TotalSeconds);
    }
}
