using Baton.Agent.Client;
using Baton.Contracts.Agents;
using Polly;

namespace Baton.Agent.Hosting;

/// <summary>
/// Keeps one lease request outstanding for a running run, in a loop. The server renews at once
/// and holds the answer up to RenewSeconds, answering early with cancel=true when the run is
/// cancelled: so one loop gives both renewal every RenewSeconds and cancellation without delay.
/// The lease counts as lost only when the server says so (409). While the server cannot be
/// reached the run goes on and renewal is retried: a restarted server gives leases a grace
/// period, so the run survives the restart; and if the reaper did hand the run to someone else,
/// the epoch fences every write of this agent and its first answer is that 409.
/// The first request waits <see cref="FirstRequestDelay"/>: the claim granted a whole lease, so
/// nothing needs renewing yet, and a run that ends sooner (most trivial ones) costs no lease call;
/// a cancellation in that first moment reaches the agent when the delay ends.
/// </summary>
internal sealed class LeaseKeeper(AgentClient client, ClaimedRun run, TimeProvider clock, Action onLost) : IDisposable
{
    private readonly ResiliencePipeline<LeaseResult> _retry = Retries.WhileFailed<LeaseResult>(clock, answer => answer.Result == WriteResult.Failed);
    /// <summary>Short next to any lease (seconds) and to a person's reaction to a cancel button; long next to a trivial run.</summary>
    public static readonly TimeSpan FirstRequestDelay = TimeSpan.FromMilliseconds(250);
    private readonly CancellationTokenSource _cancelRequested = new();

    /// <summary>Fires when the server answered that the run was cancelled.</summary>
    public CancellationToken CancelRequested => _cancelRequested.Token;

    /// <summary>Renews until <paramref name="stop"/> fires or the lease is lost; never throws.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(FirstRequestDelay, clock, stop);
            while (!stop.IsCancellationRequested)
            {
                if (!await RenewOnceAsync(stop))
                {
                    onLost();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The session is over: the lease is no longer needed.
        }
    }

    public void Dispose() => _cancelRequested.Dispose();

    /// <summary>One renewal (retried until the server answers), then its pause; false when the lease is gone.</summary>
    private async Task<bool> RenewOnceAsync(CancellationToken stop)
    {
        var started = 0L;
        var answer = await _retry.ExecuteAsync(async token =>
        {
            started = clock.GetTimestamp();
            // Once the cancellation is known, holding the request open would only bring it back again at once.
            var wait = _cancelRequested.IsCancellationRequested ? 0 : run.RenewSeconds;
            return await client.RenewLeaseAsync(run.RunId, new LeaseRequest(run.Epoch, wait), token);
        }, stop);
        switch (answer.Result)
        {
            case WriteResult.StaleEpoch:
                return false;
            case WriteResult.Accepted:
                if (answer.Lease!.Cancel)
                {
                    await _cancelRequested.CancelAsync();
                }
                // An early answer without news (a server that does not hold the request, or a cancellation
                // already known) waits out the renewal interval instead of asking again at once.
                var pause = TimeSpan.FromSeconds(run.RenewSeconds) - clock.GetElapsedTime(started);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, clock, stop);
                }
                return true;
            default:
                // Not answered and no more retries: only when stop fired, and the loop ends on it.
                return true;
        }
    }
}
