using System.Buffers;
using System.Text;

namespace Baton.Core.Secrets;

/// <summary>
/// Replaces every form of a set of secret values (<see cref="SecretForms"/>) in a log line by
/// <see cref="Mask"/>. This is the one choke point on the agent, which every line of a step's
/// output passes before it is spooled or sent, and the second pass on the server. Lines arrive
/// whole: the agent splits its processes' output only at newlines and cuts an over-long line
/// (hence <see cref="Apply(string, bool)"/>'s <c>truncated</c>), so a value cannot straddle two
/// lines unless it holds a newline itself, and then each of its lines is a form masked on its own,
/// in whichever batch it lands.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    /// <summary>
    /// Values shorter than this are refused as secrets. Masking a 1 to 5 character value would
    /// replace ordinary words and numbers in every log line (a secret <c>true</c> or <c>1234</c>
    /// turns the log into stars, and where the stars land tells an attacker the value anyway), and
    /// such a value falls to a handful of guesses, so it is not a secret worth the name.
    /// </summary>
    public const int MinimumLength = 6;

    /// <summary>
    /// A line cut at a length limit may end in the first part of a form. Three characters is
    /// where such a tail starts to say something; shorter ones would eat the last one or two
    /// characters of most cut lines.
    /// </summary>
    private const int MinimumTruncatedPrefix = 3;

    private readonly string[] _forms;
    private readonly SearchValues<string> _search;

    public SecretMasker(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var forms = new List<string>();
        foreach (var value in values)
        {
            if (value is null || value.Length < MinimumLength)
            {
                // The message names no value: it may end up in a log itself.
                throw new ArgumentException($"a secret has at least {MinimumLength} characters", nameof(values));
            }
            forms.AddRange(SecretForms.Of(value));
        }
        _forms = [.. forms.Distinct(StringComparer.Ordinal)];
        // Every form starts with its first MinimumLength characters, so searching for those finds
        // every line a form could be in, and the search builds several times faster than one for
        // the whole forms (its matcher grows with every character it is given). A line that only
        // holds such a start costs the slow scan and comes back unchanged.
        _search = SearchValues.Create([.. _forms.Select(f => f[..MinimumLength]).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
    }

    public static SecretMasker Empty { get; } = new([]);

    public bool IsEmpty => _forms.Length == 0;

    public string Apply(string line) => Apply(line, truncated: false);

    /// <param name="line">One line of output, without its newline.</param>
    /// <param name="truncated">The line was cut at a length limit and the rest dropped, so its end
    /// may be the first part of a form.</param>
    /// <returns>The line with every form masked; the same instance when nothing matched.</returns>
    public string Apply(string line, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IsEmpty)
        {
            return line;
        }
        // A value holding the mask itself ("ab***cd") can be completed by masking one of its other
        // forms ("ab" + base64 + "cd"), so mask again until nothing changes. Each pass that changes
        // the line shortens it or leaves it ending in the mask, so this ends.
        var current = line;
        while (true)
        {
            var next = MaskOnce(current, truncated);
            if (string.Equals(next, current, StringComparison.Ordinal))
            {
                return current;
            }
            current = next;
        }
    }

    private string MaskOnce(string line, bool truncated)
    {
        // The common case, nothing to mask, costs one vectorized scan for all forms at once.
        var firstHit = line.AsSpan().IndexOfAny(_search);
        var tail = truncated ? TruncatedTailStart(line) : -1;
        if (firstHit < 0 && tail < 0)
        {
            return line;
        }
        var matches = new List<(int Start, int End)>();
        if (firstHit >= 0)
        {
            foreach (var form in _forms)
            {
                for (var at = line.IndexOf(form, firstHit, StringComparison.Ordinal); at >= 0; at = line.IndexOf(form, at + 1, StringComparison.Ordinal))
                {
                    matches.Add((at, at + form.Length));
                }
            }
        }
        if (tail >= 0)
        {
            matches.Add((tail, line.Length));
        }
        return Rebuild(line, matches);
    }

    /// <summary>Where the longest end of the line that is the start of a form begins, or -1.</summary>
    private int TruncatedTailStart(string line)
    {
        var best = -1;
        foreach (var form in _forms)
        {
            var start = Math.Max(0, line.Length - form.Length);
            var last = best >= 0 ? best - 1 : line.Length - MinimumTruncatedPrefix;
            for (; start <= last; start++)
            {
                if (form.AsSpan().StartsWith(line.AsSpan(start), StringComparison.Ordinal))
                {
                    best = start;
                    break;
                }
            }
        }
        return best;
    }

    /// <summary>Overlapping or touching matches become one masked region, so the stars do not
    /// tell where one form ended and the next began.</summary>
    private static string Rebuild(string line, List<(int Start, int End)> matches)
    {
        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        var masked = new StringBuilder(line.Length);
        var copied = 0;
        var index = 0;
        while (index < matches.Count)
        {
            var (start, end) = matches[index++];
            while (index < matches.Count && matches[index].Start <= end)
            {
                end = Math.Max(end, matches[index++].End);
            }
            masked.Append(line, copied, start - copied).Append(Mask);
            copied = end;
        }
        return masked.Append(line, copied, line.Length - copied).ToString();
    }
}
