using System.Text;
using System.Text.Json.Nodes;

namespace Baton.Server.Features.Logs;

/// <summary>
/// The slow path for a batch whose stored lines must differ from what the agent sent (a NUL replaced, a secret
/// masked): the lines' JSON is parsed, each text rewritten, and the JSON written again only when a text changed.
/// </summary>
public static class LogLineTexts
{
    /// <summary>The lines with <paramref name="rewrite"/> applied to each text, and how many UTF-8 bytes the texts grew
    /// (negative when they shrank); null when no text changed.</summary>
    public static (string Json, long ByteChange)? Rewrite(string linesJson, Func<string, string> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        var lines = JsonNode.Parse(linesJson)!.AsArray();
        var change = 0L;
        var changed = false;
        foreach (var line in lines)
        {
            var text = line!["text"]!.GetValue<string>();
            var rewritten = rewrite(text);
            if (!string.Equals(rewritten, text, StringComparison.Ordinal))
            {
                change += Encoding.UTF8.GetByteCount(rewritten) - Encoding.UTF8.GetByteCount(text);
                line["text"] = rewritten;
                changed = true;
            }
        }
        return changed ? (lines.ToJsonString(), change) : null;
    }
}
