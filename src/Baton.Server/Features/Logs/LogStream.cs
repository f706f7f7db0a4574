using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// <c>/api/runs/{id}/logs/stream?after=N</c>: backfill from storage, then live, then the end.
/// The stream only ever sends lines after the last one it sent, read from storage in order, so
/// a viewer that joins late or reconnects with its last line number sees no gap and no duplicate.
/// </summary>
internal static class LogStream
{
    private const int LinesPerMessage = 1000;

    public static Task<IResult> HandleAsync(HttpContext context, long id, long? after, BatonDbContext db, LogReader reader, RunSignals signals)
    {
        var cursor = Math.Max(after ?? 0, 0);
        return RunStreamSocket.ServeAsync(context, id, db, signals, async socket =>
        {
            var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Status, r.LogLines }).SingleAsync(socket.Closed);
            while (cursor < run.LogLines)
            {
                var lines = await reader.ReadAsync(id, cursor, LinesPerMessage, LogLineFilter.All, socket.Closed);
                if (lines.Count == 0)
                {
                    break;
                }
                await socket.SendAsync(new LogStreamMessage("lines", lines, null, null));
                cursor = lines[^1].N;
            }
            if (!RunStateMachine.IsFinal(run.Status))
            {
                return false;
            }
            await socket.SendAsync(new LogStreamMessage("end", null, run.Status, cursor));
            return true;
        });
    }
}

/// <summary>A message of the live log: <c>lines</c> (in order, after the last sent) or <c>end</c> (status, last line).</summary>
public sealed record LogStreamMessage(string Type, IReadOnlyList<LogBatchLine>? Lines, RunStatus? Status, long? LastLine);
