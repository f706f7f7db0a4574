using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Agents;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// Stores an agent's log batch as one chunk, exactly once and in order (DESIGN.md section 4,
/// step 5). The run row remembers the last batch sequence and line number stored for the
/// current epoch; one conditional UPDATE accepts only the next batch, continuing the numbering
/// without a gap, from the lease holder. A batch already stored is acknowledged again; one
/// that arrives before its predecessor is refused with 425 so the agent resends it later.
/// </summary>
public sealed class LogIngestion(BatonDbContext db, RunSignals signals, WriteGate gate, BatonMetrics metrics)
{
    /// <summary>Lines are cut by the agent at 64 KiB; a little room for the cut marker.</summary>
    public const int MaxLineBytes = (64 * 1024) + 64;
    public const int MaxBatchLines = 10_000;
    // RFC 8470: "do not process this yet"; retrying later is right.
    private const int TooEarly = 425;

    public async Task<Outcome<LogBatchReceipt>> StoreAsync(long runId, IncomingLogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var first = batch.FirstLine;
        var last = batch.LastLine;
        var bytes = batch.TextBytes;
        var chunk = new LogChunk(runId, first, last, bytes, batch.LinesJson);
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var accepted = await db.Runs
                .Where(r => r.Id == runId && r.LeaseEpoch == batch.Epoch && r.Status == RunStatus.Running
                            && r.LogSeq == batch.Seq - 1 && r.LogLines == first - 1)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.LogSeq, batch.Seq)
                    .SetProperty(r => r.LogLines, last)
                    .SetProperty(r => r.LogBytes, r => r.LogBytes + bytes), cancellationToken);
            if (accepted == 1)
            {
                db.LogChunks.Add(chunk);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                signals.PulseRun(runId);
                signals.PulseLogsStored();
                metrics.LogsStored(last - first + 1, bytes);
                return new LogBatchReceipt(batch.Seq, Duplicate: false, last);
            }
        }
        return await RefusedAsync(runId, batch, cancellationToken);
    }

    private async Task<Outcome<LogBatchReceipt>> RefusedAsync(long runId, IncomingLogBatch batch, CancellationToken cancellationToken)
    {
        var state = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.LeaseEpoch, r.Status, r.LogSeq, r.LogLines }).SingleOrDefaultAsync(cancellationToken);
        if (state is null || state.LeaseEpoch != batch.Epoch || state.Status != RunStatus.Running)
        {
            return await LeaseCommands.StaleAsync(db, runId, batch.Epoch, cancellationToken);
        }
        if (batch.Seq <= state.LogSeq)
        {
            return new LogBatchReceipt(batch.Seq, Duplicate: true, state.LogLines);
        }
        if (batch.Seq > state.LogSeq + 1)
        {
            return new Failure(TooEarly, "Too early",
                $"batch {batch.Seq} arrived before batch {state.LogSeq + 1}; send the earlier batches first");
        }
        return Failure.Unprocessable("lines[0].n",
            $"batch {batch.Seq} starts at line {batch.FirstLine}, but run {runId} continues at line {state.LogLines + 1} (numbering must be dense)");
    }
}
