using System.Text;
using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Agents;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// Stores an agent's log batch as one chunk, exactly once and in order (DESIGN.md section 4,
/// step 5). The run row remembers the last batch sequence and line number stored for the
/// current epoch; one conditional UPDATE accepts only the next batch, continuing the numbering
/// without a gap, from the lease holder. A batch already stored is acknowledged again; one
/// that arrives before its predecessor is refused with 425 so the agent resends it later.
/// </summary>
public sealed class LogIngestion(BatonDbContext db, RunSignals signals, WriteGate gate)
{
    /// <summary>Lines are cut by the agent at 64 KiB; a little room for the cut marker.</summary>
    public const int MaxLineChars = (64 * 1024) + 64;
    public const int MaxBatchLines = 10_000;
    // RFC 8470: "do not process this yet"; retrying later is right.
    private const int TooEarly = 425;

    public async Task<Outcome<LogBatchReceipt>> StoreAsync(long runId, LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Check(batch) is { } invalid)
        {
            return invalid;
        }
        var first = batch.Lines[0].N;
        var last = batch.Lines[^1].N;
        var bytes = batch.Lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l.Text));
        var chunk = new LogChunk(runId, first, last, bytes, LogLines.Serialize(batch.Lines));
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
                return new LogBatchReceipt(batch.Seq, Duplicate: false, last);
            }
        }
        return await RefusedAsync(runId, batch, first, cancellationToken);
    }

    private async Task<Outcome<LogBatchReceipt>> RefusedAsync(long runId, LogBatch batch, long first, CancellationToken cancellationToken)
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
            $"batch {batch.Seq} starts at line {first}, but run {runId} continues at line {state.LogLines + 1} (numbering must be dense)");
    }

    private static Failure? Check(LogBatch batch)
    {
        var errors = new FieldErrors();
        if (batch.Seq < 1)
        {
            errors.Add("seq", "'seq' starts at 1 for each lease epoch");
        }
        if (batch.Lines is not { Count: > 0 })
        {
            errors.Add("lines", "a batch needs at least one line");
            return errors.ToFailure();
        }
        if (batch.Lines.Count > MaxBatchLines)
        {
            errors.Add("lines", $"at most {MaxBatchLines} lines per batch");
        }
        if (batch.Lines[0].N < 1)
        {
            errors.Add("lines[0].n", "line numbers start at 1");
        }
        for (var i = 0; i < batch.Lines.Count && !errors.Any; i++)
        {
            var line = batch.Lines[i];
            if (line.N != batch.Lines[0].N + i)
            {
                errors.Add($"lines[{i}].n", $"line numbers must be dense: expected {batch.Lines[0].N + i}, got {line.N}");
            }
            if (line.Text is null || line.Text.Length > MaxLineChars)
            {
                errors.Add($"lines[{i}].text", $"text is required and at most {MaxLineChars} characters (the agent cuts longer lines)");
            }
            if (line.Step is < 0)
            {
                errors.Add($"lines[{i}].step", "step is a zero-based step index");
            }
        }
        return errors.Any ? errors.ToFailure() : null;
    }
}
