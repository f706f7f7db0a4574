using System.Text;

namespace Baton.Server.Tests.Infrastructure.Fuzzing;

/// <summary>
/// Malformed variants of a valid request body, from a seeded random source (a failure names its case number, so
/// it can be replayed): cut short, bytes dropped or inserted, values swapped for other JSON types or extremes,
/// unknown and duplicate members, deep nesting, control characters and invalid UTF-8; for YAML also tabs,
/// anchors and aliases, tags and bad indentation.
/// </summary>
public sealed class HostileBodies(int seed)
{
    private static readonly string[] JsonValues =
    [
        "null", "true", "0", "-1", "1e309", "9223372036854775808", "-9223372036854775809", "0.5", "\"\"", "[]", "{}", "[null]",
        "\"\\u0000\"", "\"\\ud800\"", "\"" + new string('x', 70_000) + "\"", "\"WI-999999\"", "\"../../etc/passwd\"", "\"2026-13-45T99:00:00Z\"",
        "\"* * * * * * *\"", "\"Mars/Olympus\"", "[\"a\",1,null]", "{\"group\":\"\",\"limit\":-5}",
    ];
    private static readonly string[] YamlPieces =
    [
        "\t", "&a [x]", "*a", "!!python/object:os.system", "<<: *a", "---\n", "...\n", "? complex\n", ": value\n", "\u0000", "\uFEFF",
        "{", "[", "'", "\"", "timeout: -1s\n", "timeout: 99999999999h\n", "run:\n", "env: {LD_PRELOAD: x}\n", "cwd: ../..\n", "steps: 7\n",
        "  ", "\n    - name: x\n", "%YAML 1.1\n", "x: [*a, *a, *a, *a]\n",
    ];
    private const string Noise = "{}[]\",:\\ 0123456789-.eEtrufalsn\u00e9\u2028\u0001\uFFFF";

    private readonly Random _random = new(seed);

    public byte[] Json(string valid) => Mutate(valid, json: true);

    public byte[] Yaml(string valid) => Mutate(valid, json: false);

    private byte[] Mutate(string valid, bool json)
    {
        var text = valid;
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            text = _random.Next(json ? 9 : 7) switch
            {
                0 => text[..Math.Max(0, _random.Next(text.Length))],
                1 => Remove(text),
                2 => Insert(text, Noise[_random.Next(Noise.Length)].ToString()),
                3 => json ? SwapValue(text) : Insert(text, YamlPieces[_random.Next(YamlPieces.Length)]),
                4 => json ? Insert(text, "\"unknownMember\":1,", after: '{') : text.Replace("  ", "\t", StringComparison.Ordinal),
                5 => json ? DuplicateMember(text) : string.Concat(Enumerable.Repeat("- ", 1 + _random.Next(50))) + text,
                6 => json ? new string('[', 1 + _random.Next(5000)) + text : text + "\n" + YamlPieces[_random.Next(YamlPieces.Length)],
                7 => json ? SwapValue(SwapValue(text)) : text,
                _ => text,
            };
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (_random.Next(10) == 0 && bytes.Length > 0)
        {
            // Not UTF-8 at all: a lone continuation byte, an overlong form or a truncated sequence.
            var bad = new[] { new byte[] { 0x80 }, [0xC0, 0xAF], [0xE2, 0x82], [0xFF] }[_random.Next(4)];
            var at = _random.Next(bytes.Length);
            bytes = [.. bytes[..at], .. bad, .. bytes[at..]];
        }
        return bytes;
    }

    private string Remove(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }
        var at = _random.Next(text.Length);
        return text.Remove(at, Math.Min(text.Length - at, 1 + _random.Next(4)));
    }

    private string Insert(string text, string piece, char? after = null)
    {
        var at = after is { } c && text.Contains(c, StringComparison.Ordinal) ? text.IndexOf(c, StringComparison.Ordinal) + 1 : _random.Next(text.Length + 1);
        return text.Insert(at, piece);
    }

    /// <summary>Replaces the value after a random member name with another JSON value.</summary>
    private string SwapValue(string text)
    {
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':').ToList();
        if (colons.Count == 0)
        {
            return text;
        }
        var start = colons[_random.Next(colons.Count)] + 1;
        var end = start;
        var depth = 0;
        var inString = false;
        for (; end < text.Length; end++)
        {
            var c = text[end];
            if (inString)
            {
                inString = c != '"' || text[end - 1] == '\\';
                continue;
            }
            if (c == '"')
            {
                inString = true;
            }
            else if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}' && --depth < 0 || c == ',' && depth == 0)
            {
                break;
            }
        }
        return text[..start] + JsonValues[_random.Next(JsonValues.Length)] + text[end..];
    }

    private string DuplicateMember(string text)
    {
        var open = text.IndexOf('{', StringComparison.Ordinal);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return open < 0 || colon < open ? text : text.Insert(open + 1, text[(open + 1)..colon] + ":" + JsonValues[_random.Next(JsonValues.Length)] + ",");
    }
}
