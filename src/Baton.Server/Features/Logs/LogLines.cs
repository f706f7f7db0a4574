using System.Text;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Core.Runs;

namespace Baton.Server.Features.Logs;

/// <summary>The stored form of log lines: a chunk's JSON array of wire lines.</summary>
public static class LogLines
{
    public static string Serialize(IReadOnlyList<LogBatchLine> lines) => JsonSerializer.Serialize(lines, BatonJson.Options);

    public static IReadOnlyList<LogBatchLine> Read(LogChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return JsonSerializer.Deserialize<List<LogBatchLine>>(chunk.Lines, BatonJson.Options)!;
    }

    /// <summary>A one-line chunk written by Baton itself (e.g. why a run was requeued).</summary>
    public static LogChunk System(long runId, long number, string text, DateTimeOffset at) =>
        new(runId, number, number, Encoding.UTF8.GetByteCount(text),
            Serialize([new LogBatchLine(number, at, null, LogSourceName.System, text)]));
}
