using System.Globalization;
using System.Net;
using System.Text;

namespace Baton.Server.Ui.Runs;

/// <summary>A stretch of a line's visible text (ANSI escapes removed) to mark, e.g. a search hit.</summary>
public readonly record struct TextMark(int Start, int Length, bool Current = false);

/// <summary>
/// Turns one log line with ANSI escapes into HTML that is safe to render as markup: every character of text is
/// HTML-escaped, SGR styles become spans (the 16 colours as <c>ansi-fg-N</c>/<c>ansi-bg-N</c> classes a theme
/// can restyle, 256 and true colours as inline <c>rgb()</c> built from parsed numbers only), and every other
/// escape sequence is dropped. Unknown or malformed parameters are ignored, never echoed.
/// </summary>
public static class AnsiHtml
{
    private const char Escape = '\u001b';

    /// <summary>The text a person sees: escapes and control characters removed (what search positions refer to).</summary>
    public static string PlainText(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var plain = new StringBuilder(line.Length);
        foreach (var segment in Parse(line))
        {
            plain.Append(segment.Text);
        }
        return plain.ToString();
    }

    /// <summary>The line as HTML; <paramref name="marks"/> (sorted, not overlapping) wrap parts of the plain text in <c>&lt;mark&gt;</c>.</summary>
    public static string ToHtml(string line, IReadOnlyList<TextMark>? marks = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        var html = new StringBuilder(line.Length + 16);
        var offset = 0;
        foreach (var segment in Parse(line))
        {
            var open = segment.Style.IsPlain ? null : OpenTag(segment.Style);
            html.Append(open);
            AppendMarked(html, segment.Text, offset, marks);
            if (open is not null)
            {
                html.Append("</span>");
            }
            offset += segment.Text.Length;
        }
        return html.ToString();
    }

    private static void AppendMarked(StringBuilder html, string text, int offset, IReadOnlyList<TextMark>? marks)
    {
        var position = 0;
        foreach (var mark in marks ?? [])
        {
            var start = Math.Max(mark.Start - offset, position);
            var end = Math.Min(mark.Start + mark.Length - offset, text.Length);
            if (end <= start)
            {
                continue;
            }
            html.Append(WebUtility.HtmlEncode(text[position..start]));
            html.Append(mark.Current ? "<mark class=\"hit current\">" : "<mark class=\"hit\">");
            html.Append(WebUtility.HtmlEncode(text[start..end])).Append("</mark>");
            position = end;
        }
        html.Append(WebUtility.HtmlEncode(text[position..]));
    }

    private static string OpenTag(AnsiStyle style)
    {
        var classes = new List<string>(4);
        var css = new List<string>(2);
        if (style.Bold) classes.Add("ansi-bold");
        if (style.Dim) classes.Add("ansi-dim");
        if (style.Italic) classes.Add("ansi-italic");
        if (style.Underline) classes.Add("ansi-underline");
        Describe(style.Foreground, "fg", "color", classes, css);
        Describe(style.Background, "bg", "background-color", classes, css);
        var tag = new StringBuilder("<span");
        if (classes.Count > 0)
        {
            tag.Append(" class=\"").AppendJoin(' ', classes).Append('"');
        }
        if (css.Count > 0)
        {
            tag.Append(" style=\"").AppendJoin(';', css).Append('"');
        }
        return tag.Append('>').ToString();
    }

    private static void Describe(AnsiColor? color, string layer, string property, List<string> classes, List<string> css)
    {
        if (color is not { } c)
        {
            return;
        }
        if (c.Palette is { } index)
        {
            classes.Add(string.Create(CultureInfo.InvariantCulture, $"ansi-{layer}-{index}"));
        }
        else
        {
            // Only bytes parsed from digits reach here: the style attribute cannot carry anything else.
            css.Add(string.Create(CultureInfo.InvariantCulture, $"{property}:rgb({c.R},{c.G},{c.B})"));
        }
    }

    /// <summary>The line as runs of text that share one style.</summary>
    private static List<Segment> Parse(string line)
    {
        var segments = new List<Segment>();
        var style = default(AnsiStyle);
        var text = new StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == Escape)
            {
                var (next, sgr) = SkipEscape(line, i);
                if (sgr is not null)
                {
                    var changed = AnsiSgr.Apply(style, sgr);
                    if (changed != style)
                    {
                        Flush(segments, text, style);
                        style = changed;
                    }
                }
                i = next;
                continue;
            }
            // Other control characters (a bare CR of a progress bar, a bell) would only confuse the page; tabs stay.
            if (!char.IsControl(c) || c == '\t')
            {
                text.Append(c);
            }
            i++;
        }
        Flush(segments, text, style);
        return segments;
    }

    private static void Flush(List<Segment> segments, StringBuilder text, AnsiStyle style)
    {
        if (text.Length > 0)
        {
            segments.Add(new Segment(text.ToString(), style));
            text.Clear();
        }
    }

    /// <summary>Where the escape at <paramref name="start"/> ends, and its parameters when it is an SGR (<c>ESC [ … m</c>).</summary>
    private static (int Next, string? Sgr) SkipEscape(string line, int start)
    {
        var i = start + 1;
        if (i >= line.Length)
        {
            return (i, null);
        }
        switch (line[i])
        {
            case '[':
                // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E. Bytes out of that
                // order make it malformed: like a terminal, skip to its final byte and apply nothing.
                var parameters = ++i;
                while (i < line.Length && line[i] is >= '\x30' and <= '\x3f') i++;
                var parametersEnd = i;
                while (i < line.Length && line[i] is >= '\x20' and <= '\x3f') i++;
                if (i >= line.Length || line[i] is < '\x40' or > '\x7e')
                {
                    return (i, null);
                }
                return (i + 1, line[i] == 'm' && parametersEnd == i ? line[parameters..parametersEnd] : null);
            case ']' or 'P' or 'X' or '^' or '_':
                // OSC and other strings (titles, hyperlinks): up to BEL or ESC \.
                for (i++; i < line.Length; i++)
                {
                    if (line[i] == '\a')
                    {
                        return (i + 1, null);
                    }
                    if (line[i] == Escape && i + 1 < line.Length && line[i + 1] == '\\')
                    {
                        return (i + 2, null);
                    }
                }
                return (i, null);
            default:
                // Two-character escapes, with any intermediate bytes (ESC ( B selects a character set).
                while (i < line.Length && line[i] is >= '\x20' and <= '\x2f') i++;
                return (Math.Min(i + 1, line.Length), null);
        }
    }

    private readonly record struct Segment(string Text, AnsiStyle Style);
}
