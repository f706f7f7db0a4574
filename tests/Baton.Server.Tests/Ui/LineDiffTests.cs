using Baton.Server.Ui.Projects;

namespace Baton.Server.Tests.Ui;

public sealed class LineDiffTests
{
    private static string Show(IReadOnlyList<DiffLine> diff) => string.Join("|", diff.Select(l => l.Kind switch
    {
        DiffKind.Added => "+" + l.Text,
        DiffKind.Removed => "-" + l.Text,
        _ => " " + l.Text,
    }));

    [Fact]
    public void EqualTexts_AreAllSame_WithBothLineNumbers()
    {
        var diff = LineDiff.Compare("a\nb\n", "a\nb\n");

        Assert.Equal(" a| b", Show(diff));
        Assert.Equal([(1, 1), (2, 2)], diff.Select(l => (l.OldNumber!.Value, l.NewNumber!.Value)));
    }

    [Fact]
    public void AChangedLine_IsRemovedThenAdded_BetweenTheLinesAround()
    {
        var diff = LineDiff.Compare("one\ntwo\nthree", "one\n2\nthree");

        Assert.Equal(" one|-two|+2| three", Show(diff));
        Assert.Equal((2, (int?)null), (diff[1].OldNumber!.Value, diff[1].NewNumber));
        Assert.Equal(((int?)null, 2), (diff[2].OldNumber, diff[2].NewNumber!.Value));
    }

    [Fact]
    public void TheDiff_KeepsTheLongestCommonSubsequence()
    {
        // LCS of ABCBDAB and BDCABA has length 4; the rest are removals and additions.
        var diff = LineDiff.Compare("A\nB\nC\nB\nD\nA\nB", "B\nD\nC\nA\nB\nA");

        Assert.Equal(4, diff.Count(l => l.Kind == DiffKind.Same));
        Assert.Equal("ABCBDAB", string.Concat(diff.Where(l => l.Kind != DiffKind.Added).Select(l => l.Text)));
        Assert.Equal("BDCABA", string.Concat(diff.Where(l => l.Kind != DiffKind.Removed).Select(l => l.Text)));
    }

    [Fact]
    public void FromEmpty_EveryLineIsAdded_AndToEmpty_EveryLineIsRemoved()
    {
        Assert.Equal("+x|+y", Show(LineDiff.Compare("", "x\ny")));
        Assert.Equal("-x|-y", Show(LineDiff.Compare("x\ny\n", "")));
        Assert.Empty(LineDiff.Compare("", ""));
    }

    [Fact]
    public void WindowsLineEndings_CompareEqualToUnixOnes()
    {
        Assert.Equal(" a|+c| b", Show(LineDiff.Compare("a\r\nb\r\n", "a\nc\nb\n")));
    }

    [Fact]
    public void AChangeTooLargeForTheTable_StillDiffsCorrectly_AsRemovalsThenAdditions()
    {
        var old = string.Join('\n', Enumerable.Range(0, 2_100).Select(i => $"old {i}"));
        var @new = string.Join('\n', Enumerable.Range(0, 2_100).Select(i => $"new {i}"));

        var diff = LineDiff.Compare("same\n" + old, "same\n" + @new);

        Assert.Equal(DiffKind.Same, diff[0].Kind);
        Assert.Equal(2_100, diff.Count(l => l.Kind == DiffKind.Removed));
        Assert.Equal(2_100, diff.Count(l => l.Kind == DiffKind.Added));
        Assert.True(diff.Skip(1).Take(2_100).All(l => l.Kind == DiffKind.Removed));
    }
}
