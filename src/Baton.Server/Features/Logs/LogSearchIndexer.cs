using Baton.Persistence;
using Baton.Persistence.Logs;
using Baton.Persistence.Storage;
using Baton.Server.Configuration;
using Baton.Server.Infrastructure.Signals;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Logs;

/// <summary>
/// SQLite only: copies the words of newly stored log chunks into the FTS5 table a moment after
/// they are stored, in batches, instead of inside each log batch's transaction (ADR 0007): an
/// agent's log upload then costs one row, and a burst of uploads is indexed once it is over.
/// Searches see a line a quarter of a second after output pauses, at most about 5 seconds after
/// it was stored under continuous output.
/// PostgreSQL needs none of this: its index is an expression index, maintained on insert.
/// </summary>
internal sealed partial class LogSearchIndexer(
    IServiceScopeFactory scopes, RunSignals signals, WriteGate gate, IOptions<StorageOptions> storage,
    TimeProvider clock, ILogger<LogSearchIndexer> logger) : BackgroundService
{
    // Chunks per statement: few, so that an upload waiting for the write gate is not held up for long.
    private const int Batch = 8;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.Value.IsSqlite)
        {
            return;
        }
        try
        {
            long? indexedUpTo = null;
            while (!stoppingToken.IsCancellationRequested)
            {
                var stored = signals.LogsStored;
                var wait = Timeout.InfiniteTimeSpan;
                try
                {
                    indexedUpTo = await IndexAllAsync(indexedUpTo, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A locked or full database must not end the loop; nothing is lost, the rows wait for the next pass.
                    LogIndexFailed(exception);
                    indexedUpTo = null;
                    wait = TimeSpan.FromSeconds(5);
                }
                await SignalWait.ForAsync(stored, wait, clock, stoppingToken);
                await SettleAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; what is not indexed yet is indexed at the next start.
        }
    }

    /// <summary>
    /// Lets a burst of uploads end first: returns once no lines were stored for <see cref="Quiet"/>,
    /// or <see cref="MaxLag"/> after the first unindexed ones. Indexing competes with ingestion for the
    /// one SQLite writer and the CPU; in the lull it costs uploads nothing.
    /// </summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        var pendingSince = clock.GetUtcNow();
        while (clock.GetUtcNow() - pendingSince < MaxLag)
        {
            var more = signals.LogsStored;
            await SignalWait.ForAsync(more, Quiet, clock, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (!more.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Indexes every chunk stored after <paramref name="indexedUpTo"/> (read from the table when unknown); returns the new mark.</summary>
    private async Task<long> IndexAllAsync(long? indexedUpTo, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatonDbContext>();
        var mark = indexedUpTo ?? await db.IndexedUpToAsync(cancellationToken);
        while (true)
        {
            long next;
            using (await gate.EnterAsync(cancellationToken))
            {
                next = await db.IndexNewChunksAsync(mark, Batch, cancellationToken);
            }
            if (next == mark)
            {
                return mark;
            }
            mark = next;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Indexing log lines for search failed; trying again at the next upload or in 5 seconds")]
    private partial void LogIndexFailed(Exception exception);
}
