using System.Threading.Channels;
using Baton.Agent.Execution;
using Baton.Agent.Hosting;
using Baton.Contracts.Agents;
using Polly;

namespace Baton.Agent.Logs;

/// <summary>
/// Ships one run's numbered log lines to the server: batches of up to <see cref="MaxBatchLines"/>
/// lines (and about <see cref="MaxBatchChars"/> characters), sent at least every
/// <see cref="FlushInterval"/> while output flows, spooled to disk first and sent in sequence
/// order, retried until acknowledged (backoff from 0.5 s to 5 s, with jitter). The disk copy is for crashes and restarts; the sender works
/// from an in-memory queue of the same batches, so a backlog never costs re-reading the spool.
/// A stale epoch stops shipping and raises <see cref="LeaseLost"/> so the agent can stop the run. A batch the
/// server keeps refusing (500, or a 4xx it will never accept) for <see cref="RefusalBudget"/> stops shipping
/// and raises <see cref="Refused"/>: the run then fails with the reason instead of hanging, renewed but stuck.
/// </summary>
public sealed class LogShipper : IAsyncDisposable
{
    public const int MaxBatchLines = 10_000;
    /// <summary>Keeps a batch of long lines well under the server's body limit.</summary>
    public const int MaxBatchChars = 1024 * 1024;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>A batch not taken is sent again after about this long, doubling with jitter up to <see cref="MaxRetryDelay"/>.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    /// <summary>Short of the claim's 30 s: a viewer waits for these lines, so a server that is back gets them within seconds.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    /// <summary>How long one batch may be refused before the run is given up: long enough for a database to restart.</summary>
    public static readonly TimeSpan RefusalBudget = TimeSpan.FromMinutes(5);

    private readonly Channel<LogLine> _lines = Channel.CreateUnbounded<LogLine>(new() { SingleReader = true });
    /// <summary>Batches kept in memory for the sender; later ones wait on disk only, so a backlog costs no memory.</summary>
    private const int BatchesInMemory = 8;

    // Spooled batches not yet acknowledged, oldest first: the sender's work list. A null batch is read from the spool when its turn comes.
    private readonly System.Collections.Concurrent.ConcurrentQueue<(long Seq, SpooledBatch? Batch)> _unsent = new();
    private int _inMemory;
    private readonly long _runId;
    private readonly long _epoch;
    private readonly ILogTransport _transport;
    private readonly LogSpool _spool;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _leaseLost = new();
    private readonly CancellationTokenSource _refused = new();
    private readonly TimeSpan _refusalBudget;
    // Sends one batch until it is taken, its epoch is stale, or it was refused for the whole budget.
    private readonly ResiliencePipeline<LogDelivery> _resend;
    // Since when the batch being sent has been refused (null: not refused); only the one sender loop touches it.
    private long? _refusedSince;
    // Released once per spooled batch (and once when collecting ends) to wake the sender.
    private readonly SemaphoreSlim _spooled = new(0);
    private readonly Task _loop;
    private volatile bool _collected;
    private long _nextSeq;

    /// <param name="refusalBudget">Default <see cref="RefusalBudget"/>; tests make it short.</param>
    public LogShipper(long runId, long epoch, ILogTransport transport, LogSpool spool, TimeProvider clock, TimeSpan? refusalBudget = null)
    {
        _refusalBudget = refusalBudget ?? RefusalBudget;
        _runId = runId;
        _epoch = epoch;
        _transport = transport;
        _spool = spool;
        _clock = clock;
        // Many agents coming back from one outage must not resend in step: exponential backoff with jitter, on the agent's clock.
        _resend = Retries.BackingOffWhile<LogDelivery>(clock, RetryDelay, MaxRetryDelay, delivery => delivery switch
        {
            LogDelivery.Failed => true,
            LogDelivery.Refused => _clock.GetElapsedTime(_refusedSince!.Value) < _refusalBudget,
            _ => false,
        });
        _loop = Task.WhenAll(Task.Run(CollectLoopAsync), Task.Run(SendLoopAsync));
    }

    /// <summary>Set when the server answered that this agent's lease on the run is gone.</summary>
    public CancellationToken LeaseLost => _leaseLost.Token;

    /// <summary>Set when the server refused a batch for the whole refusal budget; <see cref="RefusedReason"/> says which.</summary>
    public CancellationToken Refused => _refused.Token;

    public string? RefusedReason { get; private set; }

    /// <summary>Queues a line; never blocks the process reader.</summary>
    public void Add(LogLine line) => _lines.Writer.TryWrite(line);

    /// <summary>Sends what is queued and spooled, waiting at most <paramref name="timeout"/>; the rest stays on disk.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        _lines.Writer.TryComplete();
        var finished = await Task.WhenAny(_loop, Task.Delay(timeout, _clock)) == _loop;
        if (!finished)
        {
            await _stop.CancelAsync();
        }
        // Every spooled batch is queued until acknowledged, so an empty queue is an empty spool.
        return finished && _unsent.IsEmpty;
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _leaseLost.Dispose();
        _refused.Dispose();
        _spooled.Dispose();
    }

    /// <summary>Lines to batches on disk, continuously: an unreachable server never holds lines in memory.</summary>
    private async Task CollectLoopAsync()
    {
        var token = _stop.Token;
        try
        {
            // Batches left by an earlier process of this agent go first; numbering continues after them.
            var pending = await _spool.PendingAsync(token);
            foreach (var left in pending)
            {
                _unsent.Enqueue((left.Seq, null));
            }
            _nextSeq = pending.Count == 0 ? 1 : pending[^1].Seq + 1;
            while (await _lines.Reader.WaitToReadAsync(token))
            {
                Enqueue(await _spool.SaveAsync(new LogBatch(_epoch, _nextSeq++, await CollectAsync(token)), token));
                _spooled.Release();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: what was not spooled yet is dropped with the process, like its output.
        }
        finally
        {
            _collected = true;
            _spooled.Release();
        }
    }

    /// <summary>Spool to server, oldest first, until collecting has ended and the spool is empty.</summary>
    private async Task SendLoopAsync()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                await _spooled.WaitAsync(token);
                var done = _collected;
                if (!await SendPendingAsync(token) || done)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: unsent batches stay in the spool for the next attempt.
        }
    }

    private void Enqueue(SpooledBatch batch)
    {
        var keep = Interlocked.Increment(ref _inMemory) <= BatchesInMemory;
        if (!keep)
        {
            Interlocked.Decrement(ref _inMemory);
        }
        _unsent.Enqueue((batch.Seq, keep ? batch : null));
    }

    /// <summary>Takes lines until the batch is full or the flush interval since its first line has passed.</summary>
    private async Task<List<LogBatchLine>> CollectAsync(CancellationToken token)
    {
        var batch = new List<LogBatchLine>();
        var chars = 0;
        var started = _clock.GetTimestamp();
        while (batch.Count < MaxBatchLines && chars < MaxBatchChars)
        {
            if (_lines.Reader.TryRead(out var line))
            {
                batch.Add(ToWire(line));
                chars += line.Text.Length;
                continue;
            }
            var left = FlushInterval - _clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || _lines.Reader.Completion.IsCompleted)
            {
                break;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
            wait.CancelAfter(left);
            try
            {
                if (!await _lines.Reader.WaitToReadAsync(wait.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                break;
            }
        }
        return batch;
    }

    /// <summary>Sends spooled batches oldest first; false when the lease is lost.</summary>
    private async Task<bool> SendPendingAsync(CancellationToken token)
    {
        while (_unsent.TryPeek(out var next))
        {
            var batch = next.Batch ?? await _spool.LoadAsync(next.Seq, token);
            _refusedSince = null;
            var delivery = await _resend.ExecuteAsync(async cancellationToken =>
            {
                var answer = await _transport.SendAsync(_runId, batch, cancellationToken);
                _refusedSince = answer == LogDelivery.Refused ? _refusedSince ?? _clock.GetTimestamp() : null;
                return answer;
            }, token);
            if (delivery == LogDelivery.StaleEpoch)
            {
                await _leaseLost.CancelAsync();
                return false;
            }
            if (delivery != LogDelivery.Accepted)
            {
                RefusedReason = delivery == LogDelivery.TooLarge
                    ? $"the server refused log batch {batch.Seq} ({batch.Json.Length} bytes) as larger than it takes (its "
                      + "Runs:MaxLogBatchBytes is set below the agent's batches); the run stopped, and later lines are lost"
                    : $"the server refused log batch {batch.Seq} for {_refusalBudget.TotalSeconds:0} s (an error storing it, "
                      + "or a batch it will not take); the run stopped instead of waiting for it forever, and later lines are lost";
                await _refused.CancelAsync();
                return false;
            }
            _spool.Acknowledge(batch.Seq);
            _unsent.TryDequeue(out _);
            if (next.Batch is not null)
            {
                Interlocked.Decrement(ref _inMemory);
            }
        }
        return true;
    }

    private static LogBatchLine ToWire(LogLine line) => new(line.Number, line.At, line.Step, line.Source switch
    {
        LogSource.Stdout => LogSourceName.Stdout,
        LogSource.Stderr => LogSourceName.Stderr,
        _ => LogSourceName.System,
    }, line.Text);
}
