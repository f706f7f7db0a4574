using Baton.Core.WorkItems;

namespace Baton.Core.Tests.WorkItems;

public sealed class RetryRuleTests
{
    private static RetryRule Rule(string source, int attempts = 2, params int[] codes) => new(codes, attempts, TimeSpan.Zero, source);

    [Fact]
    public void FirstOf_TakesTheRecipesRule_ThenTheWorkItems_ThenTheProjects_SkippingRulesThatRetryNothing()
    {
        var recipe = Rule("recipe", 1, 75);
        var workItem = Rule("work item", 2, 1);
        var project = Rule("project", 3, 137);

        Assert.Same(recipe, RetryRule.FirstOf(recipe, workItem, project));
        Assert.Same(workItem, RetryRule.FirstOf(null, workItem, project));
        Assert.Same(project, RetryRule.FirstOf(null, Rule("work item", 2), project));
        Assert.Same(project, RetryRule.FirstOf(null, Rule("work item", 0, 1), project));
        Assert.Null(RetryRule.FirstOf(null, Rule("work item", 2), Rule("project", 2)));
    }

    [Theory]
    [InlineData(75, 0, true)]
    [InlineData(75, 1, true)]
    [InlineData(75, 2, false)]
    [InlineData(1, 0, false)]
    [InlineData(null, 0, false)]
    public void Retries_OnlyItsExitCodes_WhileAttemptsRemain(int? exitCode, int retriesSoFar, bool retried) =>
        Assert.Equal(retried, Rule("recipe", 2, 75, 137).Retries(exitCode, retriesSoFar));

    [Fact]
    public void CheckExitCodes_RefusesCodesNoProcessExitsWith_AndLongLists()
    {
        Assert.Null(RetryRule.CheckExitCodes([1, 255]));
        Assert.NotNull(RetryRule.CheckExitCodes([0]));
        Assert.NotNull(RetryRule.CheckExitCodes([256]));
        Assert.NotNull(RetryRule.CheckExitCodes([.. Enumerable.Range(1, 21)]));
    }
}
