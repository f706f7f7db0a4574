using System.Threading.Channels;
using Baton.Agent.Client;
using Baton.Agent.Execution;
using Baton.Contracts.Agents;
using Polly;

namespace Baton.Agent.Hosting;

/// <summary>
/// Delivers a run's step updates in the order they were produced, one call at a time, each retried
/// until the server takes it: a step's "running" never arrives after its end. A call carries the
/// latest state of every step that changed since the last one (a step that started and ended
/// meanwhile is sent once, ended), and the server stores them in one transaction. A new update waits
/// up to <see cref="Window"/> for more before it is sent, so quick steps that start and end within it
/// cost one call together, not one each. When the run is over, what was not sent yet is not sent at all: <see cref="FinishAsync"/>
/// hands it to the completion, which stores it with the run's end, so a short run costs no step
/// call. A 409 means the lease is gone: sending stops and <paramref name="onLost"/> is called. An update the
/// server keeps failing (a 500 that never clears) is retried only until the run is over; then it too goes with
/// the completion, so a step the server cannot store does not hold the run's end back.
/// </summary>
internal sealed class StepUpdateSender : IDisposable
{
    /// <summary>Short enough that a viewer sees a step start without noticing; long enough for a quick step to end first, and for the
    /// next quick steps to join the same call.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(25);
    // Cancelled when the run is over: nothing more is sent, what is queued goes with the completion.
    private readonly CancellationTokenSource _finishing = new();
    private readonly Channel<StepReport> _updates = Channel.CreateUnbounded<StepReport>(new() { SingleReader = true });
    private readonly AgentClient _client;
    private readonly ClaimedRun _run;
    private readonly TimeProvider _clock;
    private readonly Action _onLost;
    private readonly Task<IReadOnlyList<StepState>> _loop;
    private readonly ResiliencePipeline<WriteResult> _retry;

    /// <param name="stop">Ends sending at once (the lease was lost: nothing more may be sent).</param>
    public StepUpdateSender(AgentClient client, ClaimedRun run, TimeProvider clock, Action onLost, CancellationToken stop)
    {
        _client = client;
        _run = run;
        _clock = clock;
        _onLost = onLost;
        // Once the run is over a failed update is not retried: the completion carries it.
        _retry = Retries.WhileFailed<WriteResult>(clock, result => result == WriteResult.Failed && !_finishing.IsCancellationRequested);
        _loop = Task.Run(() => SendLoopAsync(stop), CancellationToken.None);
    }

    /// <summary>Queues an update; never blocks the executor.</summary>
    public void Add(StepReport report) => _updates.Writer.TryWrite(report);

    /// <summary>
    /// No more updates will come: waits for the one in flight, then returns the latest state of each step not yet delivered,
    /// for the completion to carry (empty when sending stopped because the lease was lost).
    /// </summary>
    public Task<IReadOnlyList<StepState>> FinishAsync()
    {
        _updates.Writer.TryComplete();
        _finishing.Cancel();
        return _loop;
    }

    /// <summary>Only once <see cref="FinishAsync"/> has returned: nothing sends any more.</summary>
    public void Dispose() => _finishing.Dispose();

    private async Task<IReadOnlyList<StepState>> SendLoopAsync(CancellationToken stop)
    {
        var latest = new SortedDictionary<int, StepReport>();
        try
        {
            while (await _updates.Reader.WaitToReadAsync(stop))
            {
                using (var window = CancellationTokenSource.CreateLinkedTokenSource(stop, _finishing.Token))
                {
                    await Task.Delay(Window, _clock, window.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                stop.ThrowIfCancellationRequested();
                Drain(latest);
                if (_finishing.IsCancellationRequested)
                {
                    break;
                }
                var delivery = await DeliverAsync(new StepsUpdate(_run.Epoch, States(latest)), stop);
                if (delivery == Delivery.Lost)
                {
                    _onLost();
                    return [];
                }
                if (delivery == Delivery.Delivered)
                {
                    latest.Clear();
                }
                if (_finishing.IsCancellationRequested)
                {
                    break;
                }
            }
            Drain(latest);
            return States(latest);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The lease is gone: what was not sent is no longer this agent's to send.
            return [];
        }
    }

    private static List<StepState> States(SortedDictionary<int, StepReport> latest) =>
        [.. latest.Values.Select(r => new StepState(r.Index, r.Status, r.Attempt, r.ExitCode, r.StartedAt, r.FinishedAt, r.SpanId))];

    private void Drain(SortedDictionary<int, StepReport> latest)
    {
        while (_updates.Reader.TryRead(out var queued))
        {
            latest[queued.Index] = queued;
        }
    }
    private enum Delivery
    {
        Delivered,
        Lost,
        /// <summary>Not delivered before the run ended: the completion carries it.</summary>
        Deferred,
    }

    /// <summary>Retries until delivered, the lease is lost, or the run is over (then the completion carries the update).</summary>
    private async Task<Delivery> DeliverAsync(StepsUpdate update, CancellationToken stop)
    {
        // The run's end cuts a retry's wait short, never a call in flight (FinishAsync awaits that one). An update whose
        // turn comes after the end is still tried once, as every update was before the end: hence no link then.
        using var retrying = CancellationTokenSource.CreateLinkedTokenSource(stop, _finishing.Token);
        var waits = _finishing.IsCancellationRequested ? stop : retrying.Token;
        try
        {
            var result = await _retry.ExecuteAsync(static async (state, _) =>
                await state.Client.UpdateStepsAsync(state.RunId, state.Update, state.Stop),
                (Client: _client, _run.RunId, Update: update, Stop: stop), waits);
            return result switch
            {
                WriteResult.Accepted => Delivery.Delivered,
                WriteResult.StaleEpoch => Delivery.Lost,
                _ => Delivery.Deferred,
            };
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The run ended during a retry's wait.
            return Delivery.Deferred;
        }
    }
}
