using Baton.Core.Recipes;

namespace Baton.Core.Tests.Recipes;

public sealed class RecipeValuesTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0s", 0)]
    public void Durations_Parse_TheFourUnits(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5 m")]
    [InlineData("5min")]
    [InlineData("-5s")]
    [InlineData("1.5h")]
    [InlineData("1h30m")]
    [InlineData("99999999999h")]
    [InlineData("")]
    public void Durations_Refuse_OtherForms(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(90_000, "90s")]
    [InlineData(7_200_000, "2h")]
    [InlineData(300_000, "5m")]
    [InlineData(1_500, "1500ms")]
    [InlineData(0, "0s")]
    public void Durations_Format_TheShortestExactForm(long milliseconds, string expected)
    {
        var formatted = Durations.Format(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, formatted);
        Assert.True(Durations.TryParse(formatted, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }

    [Theory]
    [InlineData(".", ".")]
    [InlineData("", ".")]
    [InlineData("./src/", "src")]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("a\\b", "a/b")]
    public void WorkspacePath_Normalizes_PathsInsideTheWorkspace(string path, string expected) =>
        Assert.Equal(expected, WorkspacePath.Normalize(path));

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/etc")]
    [InlineData("\\\\server\\share")]
    [InlineData("C:\\Windows")]
    [InlineData("~/x")]
    public void WorkspacePath_RefusesPathsThatLeaveTheWorkspace(string path) => Assert.Null(WorkspacePath.Normalize(path));

    [Fact]
    public void RecipeHash_IsStable_AndChangesWithAnyByte()
    {
        var hash = RecipeHash.Compute("steps:\n  - run: a\n");

        Assert.Equal(hash, RecipeHash.Compute("steps:\n  - run: a\n"));
        Assert.NotEqual(hash, RecipeHash.Compute("steps:\n  - run: b\n"));
        Assert.NotEqual(hash, RecipeHash.Compute("steps:\n  - run: a \n"));
        Assert.Matches("^sha256:[0-9a-f]{64}$", hash);
    }
}
