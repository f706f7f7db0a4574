using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Logs;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Ui.Runs;

/// <summary>What one read of the log brought: new lines (in order, after the last ones), whether the log is complete, or why it failed.</summary>
public sealed record LogTailPass(IReadOnlyList<LogBatchLine> Lines, bool Ended, string? Error);

/// <summary>
/// Follows a run's stored log for a page, the way <see cref="LogStream"/> follows it for a WebSocket: it takes the run's change
/// signal, then reads every line after the last one it handed over, then waits for the signal (or a fallback interval, in case
/// a signal from another replica was missed). Lines come only from storage and only after the cursor, so none is lost or
/// repeated; it stops once the run is final and no stored line is left to read.
/// </summary>
public sealed class LogTail : IAsyncDisposable
{
    private const int LinesPerRead = 2000;
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _closed = new();
    private readonly UiScopes _scopes;
    private readonly RunSignals _signals;
    private readonly TimeProvider _clock;
    private readonly long _runId;
    private readonly Func<LogTailPass, Task> _deliver;
    private Task _loop = Task.CompletedTask;
    private long _cursor;
    private bool _failed;

    private LogTail(UiScopes scopes, RunSignals signals, TimeProvider clock, long runId, Func<LogTailPass, Task> deliver) =>
        (_scopes, _signals, _clock, _runId, _deliver) = (scopes, signals, clock, runId, deliver);

    public static LogTail Start(UiScopes scopes, RunSignals signals, TimeProvider clock, long runId, Func<LogTailPass, Task> deliver)
    {
        var tail = new LogTail(scopes, signals, clock, runId, deliver);
        tail._loop = tail.RunAsync();
        return tail;
    }

    private async Task RunAsync()
    {
        // Off the component's first render: the pane shows before the first read.
        await Task.Yield();
        var closed = _closed.Token;
        while (!closed.IsCancellationRequested)
        {
            var change = _signals.RunChanged(_runId);
            bool more;
            try
            {
                var (lines, ended) = await ReadAsync(closed);
                if (lines.Count > 0)
                {
                    _cursor = lines[^1].N;
                }
                // After a failed read, even an empty pass is news: the error it reported is over.
                if (lines.Count > 0 || ended || _failed)
                {
                    _failed = false;
                    await _deliver(new LogTailPass(lines, ended, null));
                }
                if (ended)
                {
                    return;
                }
                more = lines.Count == LinesPerRead;
            }
            catch (Exception failure)
            {
                // Closed (the page went away mid-read) is the end, not a failure to report.
                if (closed.IsCancellationRequested)
                {
                    return;
                }
                // The next pass reads from the same cursor: a failed read loses nothing.
                _failed = true;
                await _deliver(new LogTailPass([], false, $"Could not read the log: {failure.Message}"));
                more = false;
            }
            if (!more)
            {
                await SignalWait.ForAsync(change, Fallback, _clock, closed);
            }
        }
    }

    private Task<(List<LogBatchLine> Lines, bool Ended)> ReadAsync(CancellationToken cancellationToken) => _scopes.RunAsync(async services =>
    {
        var db = services.GetRequiredService<BatonDbContext>();
        // The status before the lines: a run final by then has stored all its lines, so a read that is not full finds the end.
        var status = await db.Runs.AsNoTracking().Where(r => r.Id == _runId).Select(r => r.Status).SingleAsync(cancellationToken);
        var lines = await services.GetRequiredService<LogReader>().ReadAsync(_runId, _cursor, LinesPerRead, LogLineFilter.All, cancellationToken);
        return (lines, RunStateMachine.IsFinal(status) && lines.Count < LinesPerRead);
    });

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed while delivering to a page that is going away.
        }
        _closed.Dispose();
    }
}
