namespace Baton.Server.Ui.Projects;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>One line of a diff, with its number in the old text, the new text, or both.</summary>
public sealed record DiffLine(DiffKind Kind, string Text, int? OldNumber, int? NewNumber);

/// <summary>
/// A line diff by longest common subsequence, for comparing two vision versions. Common leading and trailing lines are
/// matched first, so the table the LCS needs covers only the part that changed; a change too large for that table is
/// shown as the old lines removed and the new ones added (correct, just not minimal).
/// </summary>
public static class LineDiff
{
    /// <summary>Cells of the LCS table beyond which the diff gives up on minimality (about 16 MB of ints).</summary>
    public const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compare(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = Lines(before);
        var @new = Lines(after);
        var prefix = 0;
        while (prefix < old.Length && prefix < @new.Length && old[prefix] == @new[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < old.Length - prefix && suffix < @new.Length - prefix && old[^(suffix + 1)] == @new[^(suffix + 1)])
        {
            suffix++;
        }
        var result = new List<DiffLine>(old.Length + @new.Length);
        for (var i = 0; i < prefix; i++)
        {
            result.Add(new DiffLine(DiffKind.Same, old[i], i + 1, i + 1));
        }
        Middle(old, @new, prefix, old.Length - suffix, @new.Length - suffix, result);
        for (var i = 0; i < suffix; i++)
        {
            var o = old.Length - suffix + i;
            var n = @new.Length - suffix + i;
            result.Add(new DiffLine(DiffKind.Same, old[o], o + 1, n + 1));
        }
        return result;
    }

    /// <summary>The diff of old[start..oldEnd) against new[start..newEnd), appended to <paramref name="result"/>.</summary>
    private static void Middle(string[] old, string[] @new, int start, int oldEnd, int newEnd, List<DiffLine> result)
    {
        var n = oldEnd - start;
        var m = newEnd - start;
        if ((long)n * m > MaxCells)
        {
            for (var i = start; i < oldEnd; i++)
            {
                result.Add(new DiffLine(DiffKind.Removed, old[i], i + 1, null));
            }
            for (var j = start; j < newEnd; j++)
            {
                result.Add(new DiffLine(DiffKind.Added, @new[j], null, j + 1));
            }
            return;
        }
        // common[i, j]: length of the LCS of old[start+i..] and new[start+j..]; walked forwards it yields the diff in order.
        var common = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                common[i, j] = old[start + i] == @new[start + j]
                    ? common[i + 1, j + 1] + 1
                    : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }
        int a = 0, b = 0;
        while (a < n || b < m)
        {
            if (a < n && b < m && old[start + a] == @new[start + b])
            {
                result.Add(new DiffLine(DiffKind.Same, old[start + a], start + a + 1, start + b + 1));
                a++;
                b++;
            }
            // Removals before additions where both are as good: the usual reading order of a diff.
            else if (a < n && (b == m || common[a + 1, b] >= common[a, b + 1]))
            {
                result.Add(new DiffLine(DiffKind.Removed, old[start + a], start + a + 1, null));
                a++;
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, @new[start + b], null, start + b + 1));
                b++;
            }
        }
    }

    // A trailing newline ends the last line rather than starting an empty one; an empty text has no lines.
    private static string[] Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }
}
