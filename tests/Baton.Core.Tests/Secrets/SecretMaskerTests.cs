using System.Text;
using Baton.Core.Secrets;

namespace Baton.Core.Tests.Secrets;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Apply_MasksTheRawValue_AndKeepsTheTextAroundIt() =>
        Assert.Equal("before *** after", Masker("s3cr3t-value").Apply("before s3cr3t-value after"));

    [Fact]
    public void Apply_MasksEveryOccurrence() =>
        Assert.Equal("a=*** b=***;", Masker("s3cr3t-value").Apply("a=s3cr3t-value b=s3cr3t-value;"));

    [Theory]
    [InlineData("czNjcjN0Pz5+Pz8/YWI=")]
    [InlineData("czNjcjN0Pz5+Pz8/YWI")]
    [InlineData("czNjcjN0Pz5-Pz8_YWI=")]
    [InlineData("czNjcjN0Pz5-Pz8_YWI")]
    public void Apply_MasksBase64_InBothAlphabets_WithOrWithoutPadding(string encoded) =>
        Assert.Equal("Authorization: Basic ***.", Masker("s3cr3t?>~???ab").Apply($"Authorization: Basic {encoded}."));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Apply_MasksEveryBase64CharacterThatOnlyTheValueDetermines_InsideALongerStream(int bytesBefore)
    {
        const string Value = "s3cr3t?>~???ab";
        var valueBytes = Encoding.UTF8.GetBytes(Value);
        byte[] stream = [.. Enumerable.Repeat((byte)0xFF, 3 + bytesBefore), .. valueBytes, 0xFF, 0xFE, 0xFD, 0xFC];
        var encoded = Convert.ToBase64String(stream);
        // Characters whose six bits straddle a neighbour's byte stay: they depend on the neighbour.
        var firstBit = 8 * (3 + bytesBefore);
        var first = (firstBit + 5) / 6;
        var end = (firstBit + 8 * valueBytes.Length) / 6;

        var masked = Masker(Value).Apply(encoded);

        Assert.Equal(encoded[..first] + SecretMasker.Mask + encoded[end..], masked);
    }

    [Theory]
    [InlineData("pa%20ss%26word%3D1%2F2%3F")]
    [InlineData("pa+ss%26word%3D1%2F2%3F")]
    public void Apply_MasksTheUrlEncodedValue(string encoded) =>
        Assert.Equal("GET /login?user=ann&pass=***&next=/", Masker("pa ss&word=1/2?").Apply($"GET /login?user=ann&pass={encoded}&next=/"));

    [Theory]
    [InlineData("say \\u0022hi\\u0022\\\\ to\\n\\u6F22\\u5B57 \\u00E9")]
    [InlineData("say \\\"hi\\\"\\\\ to\\n漢字 é")]
    public void Apply_MasksTheJsonEscapedValue(string escaped) =>
        Assert.Equal("{\"token\":\"***\"}", Masker("say \"hi\"\\ to\n漢字 é").Apply($"{{\"token\":\"{escaped}\"}}"));

    [Theory]
    [InlineData("key\\uD83D\\uDD11\\u0022value")]
    [InlineData("key\\uD83D\\uDD11\\\"value")]
    [InlineData("key🔑\\\"value")]
    public void Apply_MasksTheJsonEscapedValue_AsDotNetAndAsJqEscapeEmoji(string escaped) =>
        Assert.Equal("\"***\"", Masker("key🔑\"value").Apply($"\"{escaped}\""));

    [Fact]
    public void Apply_MasksEachLineOfAMultiLineValue_OnItsOwnLine()
    {
        var masker = Masker("-----BEGIN KEY-----\r\nMIIEvQIBADANBg\r\n-----END KEY-----");

        Assert.Equal("key: ***", masker.Apply("key: -----BEGIN KEY-----"));
        Assert.Equal("***", masker.Apply("MIIEvQIBADANBg"));
        Assert.Equal("*** (end)", masker.Apply("-----END KEY----- (end)"));
    }

    [Fact]
    public void Apply_LeavesAShortLineOfAMultiLineValue_WhichWouldMaskOrdinaryText()
    {
        var masker = Masker("{\n  \"key\": \"0123456789\"\n}");

        Assert.Equal("}", masker.Apply("}"));
        Assert.Equal("***", masker.Apply("  \"key\": \"0123456789\""));
    }

    [Fact]
    public void Apply_MergesOverlappingMatchesOfDifferentSecrets_IntoOneMask() =>
        Assert.Equal("x *** y", Masker("abcdef123", "123456xyz").Apply("x abcdef123456xyz y"));

    [Fact]
    public void Apply_MergesAdjacentMatches_IntoOneMask() =>
        Assert.Equal("[***]", Masker("abcdef", "ghijkl").Apply("[ghijklabcdefghijkl]"));

    [Fact]
    public void Apply_MasksAgain_WhenMaskingCompletesASecretThatHoldsTheMask() =>
        Assert.Equal("***", Masker("x***yz").Apply("x" + "eCoqKnl6" + "yz"));

    [Fact]
    public void Apply_MasksTheStartOfAFormThatEndsATruncatedLine() =>
        Assert.Equal("curl -H token:***", Masker("s3cr3t-value").Apply("curl -H token:s3cr3t-v", truncated: true));

    [Fact]
    public void Apply_MasksTheLongestStartOfAForm_EndingATruncatedLine() =>
        Assert.Equal("x=***", Masker("abcabcabc-secret").Apply("x=abcabcab", truncated: true));

    [Fact]
    public void Apply_LeavesTheEndOfALine_WhenTheLineWasNotTruncated()
    {
        var line = "curl -H token:s3cr3t-v";

        Assert.Same(line, Masker("s3cr3t-value").Apply(line));
    }

    [Fact]
    public void Apply_LeavesATruncatedLine_EndingInLessThanThreeCharactersOfAForm()
    {
        var line = "token:s3";

        Assert.Same(line, Masker("s3cr3t-value").Apply(line, truncated: true));
    }

    [Fact]
    public void Apply_ReturnsTheSameInstance_WhenNothingMatched()
    {
        var line = "nothing to see here: s3cr3t-valu";

        Assert.Same(line, Masker("s3cr3t-value").Apply(line));
    }

    [Fact]
    public void Empty_MasksNothing()
    {
        var line = "s3cr3t-value";

        Assert.True(SecretMasker.Empty.IsEmpty);
        Assert.Same(line, SecretMasker.Empty.Apply(line, truncated: true));
        Assert.False(Masker("s3cr3t-value").IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("true")]
    [InlineData("12345")]
    public void New_RefusesAValueShorterThanTheMinimum(string value) =>
        Assert.Throws<ArgumentException>(() => new SecretMasker(["long-enough", value]));

    private static SecretMasker Masker(params string[] values) => new(values);
}
