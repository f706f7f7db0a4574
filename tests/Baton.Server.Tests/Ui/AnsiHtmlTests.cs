using Baton.Server.Ui.Runs;

namespace Baton.Server.Tests.Ui;

public sealed class AnsiHtmlTests
{
    private const string E = "\u001b";

    [Fact]
    public void LeavesPlainText_AsItIs()
    {
        Assert.Equal("hello world", AnsiHtml.ToHtml("hello world"));
    }

    [Fact]
    public void Converts_BoldRed_ToSpanWithClasses()
    {
        Assert.Equal("<span class=\"ansi-bold ansi-fg-1\">fail</span> ok", AnsiHtml.ToHtml($"{E}[1;31mfail{E}[0m ok"));
    }

    [Fact]
    public void Converts_DimItalicUnderline_ToClasses()
    {
        Assert.Equal("<span class=\"ansi-dim ansi-italic ansi-underline\">x</span>", AnsiHtml.ToHtml($"{E}[2;3;4mx"));
    }

    [Fact]
    public void Converts_BrightColours_ToPaletteEightToFifteen()
    {
        Assert.Equal("<span class=\"ansi-fg-10 ansi-bg-15\">x</span>", AnsiHtml.ToHtml($"{E}[92;107mx"));
    }

    [Fact]
    public void Converts_Backgrounds_AndDefaultsEndThem()
    {
        Assert.Equal("<span class=\"ansi-fg-3 ansi-bg-4\">a</span><span class=\"ansi-bg-4\">b</span>c",
            AnsiHtml.ToHtml($"{E}[33;44ma{E}[39mb{E}[49mc"));
    }

    [Fact]
    public void EndsBoldAndDim_With22_AndKeepsColour()
    {
        Assert.Equal("<span class=\"ansi-bold ansi-fg-2\">a</span><span class=\"ansi-fg-2\">b</span>", AnsiHtml.ToHtml($"{E}[1;32ma{E}[22mb"));
    }

    [Fact]
    public void ReadsAnEmptySgr_AsReset()
    {
        Assert.Equal("<span class=\"ansi-fg-1\">a</span>b", AnsiHtml.ToHtml($"{E}[31ma{E}[mb"));
    }

    [Fact]
    public void Converts_256Colours_ToPaletteClassOrInlineRgb()
    {
        Assert.Equal("<span class=\"ansi-fg-9\">a</span>", AnsiHtml.ToHtml($"{E}[38;5;9ma"));
        Assert.Equal("<span style=\"color:rgb(255,0,0)\">a</span>", AnsiHtml.ToHtml($"{E}[38;5;196ma"));
        Assert.Equal("<span style=\"background-color:rgb(8,8,8)\">a</span>", AnsiHtml.ToHtml($"{E}[48;5;232ma"));
    }

    [Fact]
    public void Converts_TrueColour_ToInlineRgb()
    {
        Assert.Equal("<span style=\"color:rgb(1,2,3);background-color:rgb(250,251,252)\">a</span>",
            AnsiHtml.ToHtml($"{E}[38;2;1;2;3;48;2;250;251;252ma"));
    }

    [Theory]
    [InlineData("38;5;256")]
    [InlineData("38;2;300;0;0")]
    [InlineData("38;2;1;2")]
    [InlineData("38;9;1")]
    [InlineData("38;2;-1;0;0")]
    public void Ignores_ColoursOutOfRange(string parameters)
    {
        Assert.Equal("a", AnsiHtml.ToHtml($"{E}[{parameters}ma"));
    }

    [Fact]
    public void Strips_OtherCsiAndOscSequences()
    {
        var line = $"{E}[2K{E}[1G{E}]0;title\u0007{E}]8;;http://x{E}\\link{E}]8;;{E}\\{E}(Bdone{E}[?25l";
        Assert.Equal("linkdone", AnsiHtml.ToHtml(line));
        Assert.Equal("linkdone", AnsiHtml.PlainText(line));
    }

    [Fact]
    public void Strips_ControlCharacters_ButKeepsTabs()
    {
        Assert.Equal("a\tb", AnsiHtml.ToHtml("a\tb\r\u0007"));
    }

    [Fact]
    public void Strips_AnUnfinishedEscape_AtTheEnd()
    {
        Assert.Equal("ab", AnsiHtml.ToHtml($"ab{E}[31"));
        Assert.Equal("ab", AnsiHtml.ToHtml($"ab{E}"));
    }

    [Fact]
    public void Escapes_ScriptTags()
    {
        var html = AnsiHtml.ToHtml($"{E}[31m<script>alert(1)</script>");
        Assert.Equal("<span class=\"ansi-fg-1\">&lt;script&gt;alert(1)&lt;/script&gt;</span>", html);
    }

    [Fact]
    public void Escapes_QuotesAndAmpersands()
    {
        Assert.Equal("&quot;a&quot; &amp; &#39;b&#39; &amp;amp;", AnsiHtml.ToHtml("\"a\" & 'b' &amp;"));
    }

    [Fact]
    public void NeverPutsSequenceText_IntoAttributes()
    {
        var html = AnsiHtml.ToHtml($"{E}[38;2;1;2;3\"onmouseover=alert(1)mx");
        Assert.DoesNotContain("<span", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Marks_StretchesOfThePlainText_AcrossStyles()
    {
        var html = AnsiHtml.ToHtml($"ab{E}[31mcd{E}[0mef", [new TextMark(1, 4), new TextMark(5, 1, Current: true)]);
        Assert.Equal("a<mark class=\"hit\">b</mark><span class=\"ansi-fg-1\"><mark class=\"hit\">cd</mark></span><mark class=\"hit\">e</mark>"
            + "<mark class=\"hit current\">f</mark>", html);
    }

    [Fact]
    public void Marks_EscapeTheirText()
    {
        Assert.Equal("<mark class=\"hit\">&lt;b&gt;</mark>", AnsiHtml.ToHtml("<b>", [new TextMark(0, 3)]));
    }
}
