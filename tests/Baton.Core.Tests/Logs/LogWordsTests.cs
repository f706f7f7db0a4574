using Baton.Core.Logs;

namespace Baton.Core.Tests.Logs;

public sealed class LogWordsTests
{
    [Fact]
    public void Of_SplitsOnWhatIsNeitherLetterNorDigit_AndLowercases() =>
        Assert.Equal(["error", "disk", "full", "dev", "sda1", "42", "café"], LogWords.Of("ERROR: disk-full (/dev/sda1) 42? café"));

    [Theory]
    [InlineData("Connection timed out after 30s", new[] { "timed", "out" }, true)]
    [InlineData("Connection timed out after 30s", new[] { "timeout" }, false)]
    [InlineData("errors everywhere", new[] { "error" }, false)]
    [InlineData("anything", new string[0], true)]
    public void HasAll_NeedsEveryWord_AsAWholeWord(string text, string[] words, bool matches) =>
        Assert.Equal(matches, LogWords.HasAll(text, words));
}
