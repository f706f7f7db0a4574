using Baton.Contracts.Agents;
using Baton.Core.Logs;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>Reads a run's stored lines after a line number, optionally only those a <see cref="LogLineFilter"/> keeps.</summary>
public sealed class LogReader(BatonDbContext db)
{
    private const int ChunksPerRead = 16;

    public async Task<List<LogBatchLine>> ReadAsync(long runId, long after, int limit, LogLineFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var lines = new List<LogBatchLine>();
        var cursor = after;
        while (lines.Count < limit)
        {
            // A chunk holds at most MaxBatchLines lines, so the one holding cursor + 1 starts no earlier than this:
            // the bound lets the primary key (run, first line) find it without walking the run's earlier chunks.
            var earliest = cursor + 1 - LogIngestion.MaxBatchLines;
            var chunks = await db.LogChunks.AsNoTracking()
                .Where(c => c.RunId == runId && c.FirstLine >= earliest && c.LastLine > cursor)
                .OrderBy(c => c.FirstLine).Take(ChunksPerRead).ToListAsync(cancellationToken);
            if (chunks.Count == 0)
            {
                break;
            }
            foreach (var line in chunks.SelectMany(LogLines.Read))
            {
                if (line.N > cursor && filter.Keeps(line))
                {
                    lines.Add(line);
                    if (lines.Count == limit)
                    {
                        return lines;
                    }
                }
            }
            cursor = chunks[^1].LastLine;
        }
        return lines;
    }
}

/// <summary>Which lines a reader keeps: of one step, one stream, a time range, holding every word of a query (<see cref="LogWords"/>).</summary>
public sealed record LogLineFilter(int? Step = null, LogSourceName? Stream = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null,
    IReadOnlyList<string>? Words = null)
{
    public static LogLineFilter All { get; } = new();

    public bool Keeps(LogBatchLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return (Step is null || line.Step == Step) && (Stream is null || line.Source == Stream)
            && (Since is null || line.Ts >= Since) && (Until is null || line.Ts < Until)
            && (Words is null || LogWords.HasAll(line.Text, Words));
    }
}
