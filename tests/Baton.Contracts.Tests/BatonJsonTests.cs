using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;

namespace Baton.Contracts.Tests;

public sealed class BatonJsonTests
{
    public enum RunState
    {
        PendingApproval,
        TimedOut,
    }

    public sealed record Sample(string DisplayName, RunState State, int? Priority);

    [Fact]
    public void Serialize_UsesCamelCaseMembers_AndSnakeCaseEnumValues()
    {
        var json = JsonSerializer.Serialize(new Sample("x", RunState.PendingApproval, null), BatonJson.Options);

        Assert.Equal("""{"displayName":"x","state":"pending_approval","priority":null}""", json);
    }

    [Theory]
    [InlineData("""{"displayName":"x","state":"timed_out","priority":1,"extra":true}""")]
    [InlineData("""{"displayName":null,"state":"timed_out","priority":1}""")]
    [InlineData("""{"displayName":"x","state":1,"priority":1}""")]
    [InlineData("""{"displayName":"x","state":"TimedOutish","priority":1}""")]
    public void Deserialize_RefusesUnknownMembers_NullsWhereNotAllowed_AndUnknownEnumValues(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Sample>(json, BatonJson.Options));
    }

    [Fact]
    public void RecipeSpec_RoundTrips()
    {
        var spec = new RecipeSpec
        {
            Name = "build",
            Env = new Dictionary<string, string> { ["A"] = "1" },
            Timeout = TimeSpan.FromMinutes(15),
            Steps = [new RecipeStep { Name = "s", Run = "make", Retry = new RetryPolicy(2, TimeSpan.FromSeconds(2)), Cwd = "src" }],
        };

        var back = JsonSerializer.Deserialize<RecipeSpec>(JsonSerializer.Serialize(spec, BatonJson.Options), BatonJson.Options)!;

        Assert.Equal(spec.Name, back.Name);
        Assert.Equal(spec.Env, back.Env);
        Assert.Equal(spec.Timeout, back.Timeout);
        Assert.Equal(spec.Steps[0], back.Steps[0] with { Env = spec.Steps[0].Env });
    }
}
