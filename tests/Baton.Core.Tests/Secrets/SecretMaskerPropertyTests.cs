using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Baton.Core.Secrets;
using Xunit.Abstractions;

namespace Baton.Core.Tests.Secrets;

/// <summary>
/// Generated cases: a random secret, embedded in a random form in random text, split into lines
/// and cut the way the agent does. What must not survive is worked out here from what was
/// embedded, not only from <see cref="SecretForms"/>, so a form missing there is caught.
/// </summary>
public sealed class SecretMaskerPropertyTests(ITestOutputHelper output)
{
    private const int Seed = 20_250_611;
    private const int Cases = 100_000;

    private static readonly string[] SecretPieces =
    [
        .. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".Select(c => c.ToString()),
        "\"", "\\", "/", "+", "=", "&", "%", "?", " ", "*", "'", "<", ">", "-", "_", "\t",
        "é", "ü", "漢", "字", "😀", "🔑",
    ];

    /// <summary>Characters no form of a secret built from <see cref="SecretPieces"/> holds.</summary>
    private const string Unrelated = "()[]{}|~^;:,.!#$@";

    private static readonly string[] TextPieces = [.. SecretPieces, "\n", "\r\n", "==", "YWJj", "%2", "\\u00", .. Unrelated.Select(c => c.ToString())];

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Apply_LeavesNoFormOfTheSecret_InAnyGeneratedLine()
    {
        var watch = Stopwatch.StartNew();
        var lines = 0;
        for (var index = 0; index < Cases; index++)
        {
            lines += RunCase(index);
        }
        output.WriteLine($"{Cases} cases, {lines} lines, {watch.ElapsedMilliseconds} ms (seed {Seed})");
    }

    private static int RunCase(int index)
    {
        var random = new Random(Seed + index);
        if (random.Next(10) == 0)
        {
            CheckTextAroundIsKept(random, index);
            return 1;
        }
        var secret = RandomSecret(random, newlines: random.Next(5) == 0);
        var (embedded, exposed) = Embed(random, secret);
        var text = RandomText(random) + embedded + RandomText(random);
        string[] secrets = random.Next(5) == 0 ? [secret, RandomSecret(random, newlines: false)] : [secret];
        var masker = new SecretMasker(secrets);
        var forbidden = secrets.SelectMany(SecretForms.Of).Concat(exposed).Where(f => f.Length >= SecretMasker.MinimumLength).ToArray();

        var lines = text.Split('\n');
        foreach (var whole in lines)
        {
            // The agent cuts an over-long line and drops the rest; a random cut is the worst case.
            var truncated = whole.Length > 0 && random.Next(3) == 0;
            var line = truncated ? whole[..random.Next(whole.Length)] : whole;
            var masked = masker.Apply(line, truncated);
            var leak = forbidden.FirstOrDefault(f => masked.Contains(f, StringComparison.Ordinal))
                ?? (truncated ? forbidden.FirstOrDefault(f => EndsWithStartOf(masked, f)) : null);
            if (leak is not null)
            {
                Assert.Fail($"seed {Seed}, case {index}: secret {Quote(secret)}, line {Quote(line)} (truncated: {truncated}) masked to {Quote(masked)} still shows {Quote(leak)}");
            }
        }
        return lines.Length;
    }

    private static void CheckTextAroundIsKept(Random random, int index)
    {
        var secret = RandomSecret(random, newlines: false);
        var before = RandomUnrelated(random);
        var after = RandomUnrelated(random);

        var masked = new SecretMasker([secret]).Apply(before + secret + after);

        if (masked != before + SecretMasker.Mask + after)
        {
            Assert.Fail($"seed {Seed}, case {index}: secret {Quote(secret)} between {Quote(before)} and {Quote(after)} masked to {Quote(masked)}");
        }
    }

    /// <summary>The text put in the log, and what of it gives the secret away.</summary>
    private static (string Embedded, string[] Exposed) Embed(Random random, string secret)
    {
        switch (random.Next(4))
        {
            case 0:
                // Raw; a multi-line secret lands on separate lines when the text is split.
                return (secret, [secret, .. secret.Split('\n').Select(line => line.TrimEnd('\r'))]);
            case 1:
                return EmbedInBase64(random, secret);
            case 2:
                var url = random.Next(2) == 0 ? Uri.EscapeDataString(secret) : WebUtility.UrlEncode(secret);
                return (url, [url]);
            default:
                var json = random.Next(3) switch
                {
                    0 => JsonSerializer.Serialize(secret)[1..^1],
                    1 => JsonSerializer.Serialize(secret, RelaxedJson)[1..^1],
                    _ => EscapeLikeJq(secret),
                };
                return (json, [json]);
        }
    }

    /// <summary>
    /// The secret's bytes among random ones, encoded as one stream. What gives it away is every
    /// character whose six bits all lie in the secret's bytes, found here from the positions.
    /// </summary>
    private static (string Embedded, string[] Exposed) EmbedInBase64(Random random, string secret)
    {
        var before = RandomBytes(random, random.Next(13));
        var value = Encoding.UTF8.GetBytes(secret);
        var after = RandomBytes(random, random.Next(13));
        var encoded = Convert.ToBase64String([.. before, .. value, .. after]);
        if (random.Next(2) == 0)
        {
            encoded = encoded.Replace('+', '-').Replace('/', '_');
        }
        if (random.Next(2) == 0)
        {
            encoded = encoded.TrimEnd('=');
        }
        var first = (8 * before.Length + 5) / 6;
        var end = 8 * (before.Length + value.Length) / 6;
        var alone = before.Length == 0 && after.Length == 0;
        return (encoded, alone ? [encoded, encoded[first..end]] : [encoded[first..end]]);
    }

    private static string RandomSecret(Random random, bool newlines)
    {
        var length = random.Next(SecretMasker.MinimumLength, 65);
        var secret = new StringBuilder();
        while (secret.Length < length)
        {
            secret.Append(newlines && random.Next(8) == 0
                ? (random.Next(2) == 0 ? "\n" : "\r\n")
                : SecretPieces[random.Next(SecretPieces.Length)]);
        }
        return secret.ToString();
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (var count = random.Next(12); count > 0; count--)
        {
            text.Append(TextPieces[random.Next(TextPieces.Length)]);
        }
        return text.ToString();
    }

    private static string RandomUnrelated(Random random) =>
        new([.. Enumerable.Range(0, random.Next(10)).Select(_ => Unrelated[random.Next(Unrelated.Length)])]);

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>jq's escaping, written out here so the test does not lean on the code under test.</summary>
    private static string EscapeLikeJq(string value) =>
        string.Concat(value.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            _ => c.ToString(),
        }));

    /// <summary>
    /// The line ends in three or more characters a form starts with. A line ending in the mask
    /// itself does not count: a secret starting with "***" is then indistinguishable from it.
    /// </summary>
    private static bool EndsWithStartOf(string line, string form)
    {
        for (var start = Math.Max(0, line.Length - form.Length); start <= line.Length - 3; start++)
        {
            var tail = line.AsSpan(start);
            if (form.AsSpan().StartsWith(tail, StringComparison.Ordinal) && !tail.SequenceEqual(SecretMasker.Mask))
            {
                return true;
            }
        }
        return false;
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text, RelaxedJson);
}
