namespace Baton.Core.Logs;

/// <summary>
/// How log search sees text: words are runs of letters and digits, compared without case, as the
/// full-text indexes tokenize them (SQLite FTS5 unicode61, PostgreSQL's 'simple' parser). A line
/// matches a query when it holds every word of it.
/// </summary>
public static class LogWords
{
    public const int MaxWords = 10;
    public const int MaxQueryLength = 200;

    public static IReadOnlyList<string> Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }

    public static bool HasAll(string text, IReadOnlyCollection<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
        {
            return true;
        }
        var present = new HashSet<string>(Of(text), StringComparer.Ordinal);
        return words.All(present.Contains);
    }
}
