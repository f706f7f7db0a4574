namespace Baton.Server.Configuration;

/// <summary>
/// Reads a <c>.env</c> file: <c>KEY=value</c> lines, <c>#</c> comments, optional <c>export</c>,
/// single quotes (literal) or double quotes (with \n, \t, \", \\ escapes). Written here because
/// the only DotNetEnv version our package mirror serves targets netstandard1.3 (ADR 0002).
/// </summary>
public static class DotEnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pairs = new List<KeyValuePair<string, string>>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{source}:{index + 1}: expected KEY=value");
            }
            var key = line[..equals].Trim();
            pairs.Add(new(key, Value(line[(equals + 1)..].Trim(), source, index + 1)));
        }
        return pairs;
    }

    private static string Value(string raw, string source, int line)
    {
        if (raw.Length == 0)
        {
            return "";
        }
        var quote = raw[0];
        if (quote is not ('"' or '\''))
        {
            // Unquoted: a " #" starts a trailing comment.
            var comment = raw.IndexOf(" #", StringComparison.Ordinal);
            return comment >= 0 ? raw[..comment].TrimEnd() : raw;
        }
        var end = raw.LastIndexOf(quote);
        if (end == 0)
        {
            throw new FormatException($"{source}:{line}: unterminated {quote}quoted value");
        }
        var inner = raw[1..end];
        return quote == '\'' ? inner : Unescape(inner);
    }

    private static string Unescape(string value) => value
        .Replace("\\n", "\n", StringComparison.Ordinal)
        .Replace("\\t", "\t", StringComparison.Ordinal)
        .Replace("\\\"", "\"", StringComparison.Ordinal)
        .Replace("\\\\", "\\", StringComparison.Ordinal);
}
