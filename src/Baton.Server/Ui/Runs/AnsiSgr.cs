namespace Baton.Server.Ui.Runs;

/// <summary>A colour: one of the 16 themeable palette entries, or an exact RGB value.</summary>
internal readonly record struct AnsiColor(int? Palette, byte R, byte G, byte B)
{
    public static AnsiColor Indexed(int index) => new(index, 0, 0, 0);

    public static AnsiColor Rgb(byte r, byte g, byte b) => new(null, r, g, b);

    /// <summary>A colour of the 256-colour table: 0–15 the palette, 16–231 the 6×6×6 cube, 232–255 the grey ramp.</summary>
    public static AnsiColor From256(int n)
    {
        if (n < 16)
        {
            return Indexed(n);
        }
        if (n >= 232)
        {
            var grey = (byte)(8 + (10 * (n - 232)));
            return Rgb(grey, grey, grey);
        }
        var cube = n - 16;
        return Rgb(Level(cube / 36), Level(cube / 6 % 6), Level(cube % 6));
    }

    private static byte Level(int step) => (byte)(step == 0 ? 0 : 55 + (40 * step));
}

internal readonly record struct AnsiStyle(bool Bold, bool Dim, bool Italic, bool Underline, AnsiColor? Foreground, AnsiColor? Background)
{
    public bool IsPlain => this == default;
}

/// <summary>Applies the parameters of one SGR sequence (<c>ESC [ 1;31 m</c>) to a style.</summary>
internal static class AnsiSgr
{
    public static AnsiStyle Apply(AnsiStyle style, string parameters)
    {
        // Colons (38:5:n) read like semicolons; an empty parameter means 0, as terminals read it.
        var codes = parameters.Split([';', ':']).Select(p => p.Length == 0 ? 0 : int.TryParse(p, out var n) ? n : -1).ToArray();
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            style = code switch
            {
                0 => default,
                1 => style with { Bold = true },
                2 => style with { Dim = true },
                3 => style with { Italic = true },
                4 => style with { Underline = true },
                22 => style with { Bold = false, Dim = false },
                23 => style with { Italic = false },
                24 => style with { Underline = false },
                >= 30 and <= 37 => style with { Foreground = AnsiColor.Indexed(code - 30) },
                39 => style with { Foreground = null },
                >= 40 and <= 47 => style with { Background = AnsiColor.Indexed(code - 40) },
                49 => style with { Background = null },
                >= 90 and <= 97 => style with { Foreground = AnsiColor.Indexed(code - 90 + 8) },
                >= 100 and <= 107 => style with { Background = AnsiColor.Indexed(code - 100 + 8) },
                38 => Extended(codes, ref i) is { } fg ? style with { Foreground = fg } : style,
                48 => Extended(codes, ref i) is { } bg ? style with { Background = bg } : style,
                _ => style,
            };
        }
        return style;
    }

    /// <summary>The colour after a 38 or 48 (<c>5;n</c> or <c>2;r;g;b</c>), moving past what it used; null when out of range.</summary>
    private static AnsiColor? Extended(int[] codes, ref int i)
    {
        if (i + 1 >= codes.Length)
        {
            return null;
        }
        switch (codes[i + 1])
        {
            case 5 when i + 2 < codes.Length:
                var n = codes[i + 2];
                i += 2;
                return n is >= 0 and <= 255 ? AnsiColor.From256(n) : null;
            case 2 when i + 4 < codes.Length:
                var (r, g, b) = (codes[i + 2], codes[i + 3], codes[i + 4]);
                i += 4;
                return IsByte(r) && IsByte(g) && IsByte(b) ? AnsiColor.Rgb((byte)r, (byte)g, (byte)b) : null;
            default:
                // Not a form this knows: the rest of the sequence cannot be read reliably.
                i = codes.Length;
                return null;
        }
    }

    private static bool IsByte(int value) => value is >= 0 and <= 255;
}
