using Baton.Core.Access;
using Baton.Core.Keys;
using Baton.Core.Projects;
using Baton.Core.Requirements;

namespace Baton.Core.Tests.Keys;

public sealed class KeysTests
{
    [Theory]
    [InlineData("REQ-1", 1)]
    [InlineData("req-42", 42)]
    public void ItemKey_ParsesRequirementKeys(string key, int number)
    {
        Assert.True(ItemKey.TryParseRequirement(key, out var parsed));
        Assert.Equal(number, parsed);
    }

    [Theory]
    [InlineData("REQ-0")]
    [InlineData("REQ-01")]
    [InlineData("REQ--1")]
    [InlineData("REQ-")]
    [InlineData("REQ-1x")]
    [InlineData("WI-1")]
    [InlineData("REQ-99999999999")]
    [InlineData(null)]
    public void ItemKey_RefusesOtherSpellings(string? key) => Assert.False(ItemKey.TryParseRequirement(key, out _));

    [Theory]
    [InlineData("web", true)]
    [InlineData("payments-api-2", true)]
    [InlineData("a", false)]
    [InlineData("Web", false)]
    [InlineData("2fa", false)]
    [InlineData("has space", false)]
    [InlineData("x12345678901234567890123456789012345678901", false)]
    public void ProjectKey_AcceptsOnlySlugs(string key, bool valid) => Assert.Equal(valid, ProjectKey.IsValid(key));

    [Theory]
    [InlineData(Role.Admin, Role.Maintainer, true)]
    [InlineData(Role.Maintainer, Role.Maintainer, true)]
    [InlineData(Role.Viewer, Role.Maintainer, false)]
    [InlineData(Role.Viewer, Role.Viewer, true)]
    [InlineData(Role.Agent, Role.Viewer, false)]
    [InlineData(Role.Admin, Role.Agent, false)]
    [InlineData(Role.Agent, Role.Agent, true)]
    public void Role_Satisfies_TheRoleLadder_WithAgentApart(Role held, Role needed, bool expected) =>
        Assert.Equal(expected, held.Satisfies(needed));

    [Fact]
    public void ApiTokenSecret_IsRandom_AndOnlyItsHashIsKept()
    {
        var first = ApiTokenSecret.Generate();
        var second = ApiTokenSecret.Generate();

        Assert.NotEqual(first, second);
        Assert.StartsWith(ApiTokenSecret.Prefix, first, StringComparison.Ordinal);
        Assert.True(first.Length >= 40);
        Assert.Matches("^[0-9a-f]{64}$", ApiTokenSecret.Hash(first));
        Assert.Equal(ApiTokenSecret.Hash(first), ApiTokenSecret.Hash(first));
        Assert.DoesNotContain(first, ApiTokenSecret.Hash(first), StringComparison.Ordinal);
    }

    [Fact]
    public void Requirement_IsDecidedOnce()
    {
        var now = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var requirement = new Requirement(1, 1, "t", "", [], null, "ann", now);

        Assert.True(requirement.TryDecide(RequirementDecision.Approve, "bob", "ok", now));
        Assert.False(requirement.TryDecide(RequirementDecision.Reject, "eve", "no", now.AddHours(1)));
        Assert.Equal((RequirementStatus.Approved, "bob", "ok", now), (requirement.Status, requirement.DecidedBy, requirement.DecisionReason, requirement.DecidedAt));
    }
}
