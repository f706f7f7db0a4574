using System.Threading.Channels;
using Baton.Agent.Client;
using Baton.Agent.Execution;
using Baton.Contracts.Agents;

namespace Baton.Agent.Hosting;

/// <summary>
/// Delivers a run's step updates in the order they were produced, one at a time, each retried
/// until the server takes it: a step's "running" never arrives after its end. Updates that
/// queued up while one was in flight are coalesced, the latest state of each step winning (a
/// step that started and ended meanwhile is sent once, ended): short steps then cost one call
/// instead of two, and the server stores the same final states. A new update waits up to
/// <see cref="Window"/> for its step's end before it is sent (never longer than the run: finishing
/// sends at once), so a step that ends within it costs one call. A 409 means the lease is gone:
/// sending stops and <paramref name="onLost"/> is called.
/// </summary>
internal sealed class StepUpdateSender
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    /// <summary>Short enough that a viewer sees a step start without noticing; long enough for a quick step to end first.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(25);
    // Set when the run is over: queued updates go at once (the channel's own Completion waits until it is drained).
    private readonly TaskCompletionSource _finishing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<StepReport> _updates = Channel.CreateUnbounded<StepReport>(new() { SingleReader = true });
    private readonly AgentClient _client;
    private readonly ClaimedRun _run;
    private readonly TimeProvider _clock;
    private readonly Action _onLost;
    private readonly Task _loop;

    /// <param name="stop">Ends sending at once (the lease was lost: nothing more may be sent).</param>
    public StepUpdateSender(AgentClient client, ClaimedRun run, TimeProvider clock, Action onLost, CancellationToken stop)
    {
        _client = client;
        _run = run;
        _clock = clock;
        _onLost = onLost;
        _loop = Task.Run(() => SendLoopAsync(stop), CancellationToken.None);
    }

    /// <summary>Queues an update; never blocks the executor.</summary>
    public void Add(StepReport report) => _updates.Writer.TryWrite(report);

    /// <summary>No more updates will come; completes when every queued one was delivered (or sending stopped).</summary>
    public Task FinishAsync()
    {
        _updates.Writer.TryComplete();
        _finishing.TrySetResult();
        return _loop;
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            var latest = new SortedDictionary<int, StepReport>();
            while (await _updates.Reader.WaitToReadAsync(stop))
            {
                await Task.WhenAny(_finishing.Task, Task.Delay(Window, _clock, stop));
                stop.ThrowIfCancellationRequested();
                while (_updates.Reader.TryRead(out var queued))
                {
                    latest[queued.Index] = queued;
                }
                foreach (var report in latest.Values)
                {
                    var update = new StepUpdate(_run.Epoch, report.Status, report.Attempt, report.ExitCode, report.StartedAt, report.FinishedAt);
                    if (!await DeliverAsync(report.Index, update, stop))
                    {
                        _onLost();
                        return;
                    }
                }
                latest.Clear();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The lease is gone: what was not sent is no longer this agent's to send.
        }
    }

    /// <summary>Retries until delivered; false on a stale epoch.</summary>
    private async Task<bool> DeliverAsync(int index, StepUpdate update, CancellationToken stop)
    {
        while (true)
        {
            switch (await _client.UpdateStepAsync(_run.RunId, index, update, stop))
            {
                case WriteResult.Accepted:
                    return true;
                case WriteResult.StaleEpoch:
                    return false;
                default:
                    await Task.Delay(Jitter.Around(RetryDelay), _clock, stop);
                    break;
            }
        }
    }
}
