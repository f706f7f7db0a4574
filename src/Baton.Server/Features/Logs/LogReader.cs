using Baton.Contracts.Agents;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>Reads a run's stored lines after a line number, optionally only one step or stream.</summary>
public sealed class LogReader(BatonDbContext db)
{
    private const int ChunksPerRead = 16;

    public async Task<List<LogBatchLine>> ReadAsync(long runId, long after, int limit, int? step, LogSourceName? stream,
        CancellationToken cancellationToken)
    {
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
                if (line.N > cursor && (step is null || line.Step == step) && (stream is null || line.Source == stream))
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
