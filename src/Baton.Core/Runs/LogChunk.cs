namespace Baton.Core.Runs;

/// <summary>
/// A run's log is stored as chunks: one row per accepted batch holding lines
/// <see cref="FirstLine"/>..<see cref="LastLine"/> (dense) as compact JSON. One insert per
/// batch instead of one per line is what makes ingestion fast on both providers.
/// </summary>
public sealed class LogChunk
{
    private LogChunk() { }

    public LogChunk(long runId, long firstLine, long lastLine, long bytes, string lines)
    {
        RunId = runId;
        FirstLine = firstLine;
        LastLine = lastLine;
        Bytes = bytes;
        Lines = lines;
    }

    public long RunId { get; private set; }
    public long FirstLine { get; private set; }
    public long LastLine { get; private set; }
    public long Bytes { get; private set; }
    /// <summary>JSON array of the lines (the wire form: n, ts, step, stream, text).</summary>
    public string Lines { get; private set; } = "";
}
