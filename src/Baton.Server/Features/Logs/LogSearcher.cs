using Baton.Contracts.Agents;
using Baton.Core.Keys;
using Baton.Core.Logs;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Logs;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// Searches every run's log: the full-text index names candidate chunks (newest run first), and
/// the lines that hold every word are picked from them, each with its run, step and line number.
/// Pages continue after a (run, line) position, so lines added meanwhile never shift a page:
/// newer runs come before the position, later lines of the same run after it.
/// </summary>
public sealed class LogSearcher(BatonDbContext db)
{
    private const int ChunksPerRead = 20;
    /// <summary>Past this many chunks without enough lines, the page ends early and its cursor continues from there.</summary>
    private const int MaxChunksPerPage = 400;

    public async Task<LogSearchPage> SearchAsync(IReadOnlyList<string> words, long? projectId, DateTimeOffset? since, LogPosition after, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(after);
        var hits = new List<(long RunId, LogBatchLine Line)>();
        var position = after;
        var read = 0;
        var exhausted = false;
        while (hits.Count < limit && read < MaxChunksPerPage)
        {
            var chunks = await db.SearchChunksAsync(new ChunkSearch(words, projectId, since, position.RunId, position.Line, ChunksPerRead), cancellationToken);
            read += chunks.Count;
            foreach (var chunk in chunks)
            {
                foreach (var line in LogLines.Read(new LogChunk(chunk.RunId, chunk.FirstLine, chunk.LastLine, 0, chunk.Lines)))
                {
                    if ((chunk.RunId < position.RunId || line.N > position.Line) && (since is null || line.Ts >= since) && LogWords.HasAll(line.Text, words))
                    {
                        hits.Add((chunk.RunId, line));
                        if (hits.Count == limit)
                        {
                            return await PageAsync(hits, new LogPosition(chunk.RunId, line.N), cancellationToken);
                        }
                    }
                }
                position = new LogPosition(chunk.RunId, chunk.LastLine);
            }
            if (chunks.Count < ChunksPerRead)
            {
                exhausted = true;
                break;
            }
        }
        return await PageAsync(hits, exhausted ? null : position, cancellationToken);
    }

    private async Task<LogSearchPage> PageAsync(List<(long RunId, LogBatchLine Line)> hits, LogPosition? next, CancellationToken cancellationToken)
    {
        var runIds = hits.Select(h => h.RunId).Distinct().ToList();
        var runs = await (
            from run in db.Runs.AsNoTracking()
            where runIds.Contains(run.Id)
            join project in db.Projects on run.ProjectId equals project.Id
            join workItem in db.WorkItems on run.WorkItemId equals workItem.Id
            select new { run.Id, Project = project.Key, WorkItem = workItem.Number, run.Number })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var steps = await db.RunSteps.AsNoTracking().Where(s => runIds.Contains(s.RunId)).Select(s => new { s.RunId, s.Index, s.Name })
            .ToDictionaryAsync(s => (s.RunId, s.Index), s => s.Name, cancellationToken);
        var items = hits.Select(h =>
        {
            var run = runs[h.RunId];
            return new LogSearchHit(h.RunId, run.Project, ItemKey.WorkItem(run.WorkItem), run.Number, h.Line.N, h.Line.Ts, h.Line.Step,
                h.Line.Step is { } index ? steps.GetValueOrDefault((h.RunId, index)) : null, h.Line.Source, h.Line.Text);
        }).ToList();
        return new LogSearchPage(items, next);
    }
}

/// <summary>Where a search continues: after line <see cref="Line"/> of run <see cref="RunId"/>, then in older runs.</summary>
public sealed record LogPosition(long RunId, long Line)
{
    public static LogPosition Start { get; } = new(long.MaxValue, 0);
}

public sealed record LogSearchHit(long RunId, string Project, string WorkItem, int RunNumber, long Line, DateTimeOffset Ts, int? Step, string? StepName,
    LogSourceName Stream, string Text);

public sealed record LogSearchPage(IReadOnlyList<LogSearchHit> Hits, LogPosition? Next);
