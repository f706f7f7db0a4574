using Baton.Server.Configuration;

namespace Baton.Server.Tests.Configuration;

public sealed class DotEnvFileTests
{
    [Fact]
    public void Parse_ReadsKeysValuesQuotesAndComments()
    {
        const string text = "# settings\n\nexport BATON_A=plain # trailing\nBATON_B='lit\\n eral'\nBATON_C=\"line\\nnext \\\"q\\\"\"\nBATON_D=\nBATON_E = spaced \n";

        var pairs = DotEnvFile.Parse(text, ".env").ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("plain", pairs["BATON_A"]);
        Assert.Equal("lit\\n eral", pairs["BATON_B"]);
        Assert.Equal("line\nnext \"q\"", pairs["BATON_C"]);
        Assert.Equal("", pairs["BATON_D"]);
        Assert.Equal("spaced", pairs["BATON_E"]);
        Assert.Equal(5, pairs.Count);
    }

    [Theory]
    [InlineData("BATON_A=1\nnot a setting\n", ".env:2: expected KEY=value")]
    [InlineData("BATON_A=\"open\n", ".env:1: unterminated \"quoted value")]
    public void Parse_NamesTheFileAndLine_OfABadLine(string text, string message)
    {
        var exception = Assert.Throws<FormatException>(() => DotEnvFile.Parse(text, ".env"));

        Assert.Equal(message, exception.Message);
    }
}
