using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Baton.Server.Features.Logs;

/// <summary>A log search's cursor: the (run, line) position the next page continues after, opaque to clients.</summary>
public static class SearchCursor
{
    public static string Encode(LogPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{position.RunId}.{position.Line}")));
    }

    public static bool TryDecode(string cursor, out LogPosition position)
    {
        position = LogPosition.Start;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var run) && run > 0
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var line))
            {
                position = new LogPosition(run, line);
                return true;
            }
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
