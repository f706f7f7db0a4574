using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Baton.Core.Secrets;

/// <summary>
/// Every string that gives a secret away when it appears in a log line: the value itself and
/// the encodings a tool or a script commonly prints it in (base64, URL, JSON). A form shorter than
/// <see cref="SecretMasker.MinimumLength"/> is left out for the same reason short values are
/// refused as secrets: it would mask ordinary text everywhere.
/// </summary>
public static class SecretForms
{
    public static IReadOnlyList<string> Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var forms = new List<string> { value };
        forms.AddRange(Lines(value));
        forms.AddRange(Base64(value));
        forms.Add(Uri.EscapeDataString(value));
        forms.Add(WebUtility.UrlEncode(value));
        // A JSON string's content as System.Text.Json writes it, with its default and its relaxed encoder (no reflection:
        // the native agent masks too).
        forms.Add(JsonEncodedText.Encode(value).Value);
        forms.Add(JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value);
        forms.Add(EscapeJsonMinimally(value));
        return [.. forms.Where(f => f.Length >= SecretMasker.MinimumLength).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The agent splits output at newlines, so a multi-line value only ever shows up one line at a
    /// time. Each line is a form of its own, raw only: its encodings would only show up if a tool
    /// encoded that one line, and the whole value's encodings are already forms. A short line
    /// (a lone <c>}</c> or <c>==</c> closing a key file) is not one, or it would mask that
    /// text in every log.
    /// </summary>
    private static IEnumerable<string> Lines(string value) =>
        value.Contains('\n', StringComparison.Ordinal)
            ? value.Split('\n').Select(line => line.TrimEnd('\r'))
            : [];

    private static IEnumerable<string> Base64(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var padded = Convert.ToBase64String(bytes);
        var unpadded = padded.TrimEnd('=');
        foreach (var standard in new[] { padded, unpadded }.Concat(AlignedCores(bytes)))
        {
            yield return standard;
            yield return standard.Replace('+', '-').Replace('/', '_');
        }
    }

    /// <summary>
    /// A value inside a longer base64 stream (a whole config file or a basic-auth header encoded at
    /// once) does not encode as it does alone: the characters at its edges mix in its neighbours'
    /// bits. What stays the same, whatever the neighbours, are the characters whose six bits all
    /// come from the value; they depend only on how many bytes come before it, modulo 3. Encoding
    /// zero bytes around it and cutting at the first and last whole group gives those characters.
    /// </summary>
    private static IEnumerable<string> AlignedCores(byte[] bytes)
    {
        for (var before = 0; before < 3; before++)
        {
            var surrounded = new byte[before + bytes.Length + 2];
            bytes.CopyTo(surrounded, before);
            var encoded = Convert.ToBase64String(surrounded);
            var firstBit = 8 * before;
            var endBit = firstBit + 8 * bytes.Length;
            var first = (firstBit + 5) / 6;
            var end = endBit / 6;
            if (end - first >= SecretMasker.MinimumLength)
            {
                yield return encoded[first..end];
            }
        }
    }

    /// <summary>
    /// What jq, Python's <c>json.dumps(ensure_ascii=False)</c> and most tools print: only the
    /// quote, the backslash and control characters escaped. .NET's relaxed encoder is close but
    /// still escapes characters outside the basic plane (emoji) and a few others, so it is not
    /// enough on its own.
    /// </summary>
    private static string EscapeJsonMinimally(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => escaped.Append("\\\""),
                '\\' => escaped.Append("\\\\"),
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                '\b' => escaped.Append("\\b"),
                '\f' => escaped.Append("\\f"),
                < ' ' => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }
        return escaped.ToString();
    }
}
