using System.Text;

namespace Baton.Agent.Processes;

/// <summary>
/// Splits a byte stream into lines as they arrive. Bytes are decoded as UTF-8 with replacement
/// characters, so binary garbage becomes visible text instead of an error; a line past the limit
/// is cut with a marker and the rest of it is dropped.
/// </summary>
public static class LineReader
{
    public const string CutMarker = " [line cut: longer than the limit]";

    public static async Task ReadAsync(Stream stream, int maxLineBytes, Action<string> onLine)
    {
        var buffer = new byte[16 * 1024];
        var line = new MemoryStream();
        var cut = false;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }
                Append(line, buffer.AsSpan(start, i - start), maxLineBytes, ref cut);
                onLine(Finish(line, ref cut));
                start = i + 1;
            }
            Append(line, buffer.AsSpan(start, read - start), maxLineBytes, ref cut);
        }
        if (line.Length > 0 || cut)
        {
            onLine(Finish(line, ref cut));
        }
    }

    private static void Append(MemoryStream line, ReadOnlySpan<byte> bytes, int maxLineBytes, ref bool cut)
    {
        var room = maxLineBytes - (int)line.Length;
        if (bytes.Length > room)
        {
            cut = true;
            bytes = bytes[..Math.Max(0, room)];
        }
        line.Write(bytes);
    }

    private static string Finish(MemoryStream line, ref bool cut)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }
        var text = Encoding.UTF8.GetString(bytes) + (cut ? CutMarker : "");
        line.SetLength(0);
        cut = false;
        return text;
    }
}
