using System.Collections.Concurrent;

namespace Baton.Server.Infrastructure.Signals;

/// <summary>
/// Wakes whoever waits for something to happen, so nothing polls the database while idle:
/// claim long polls wait for "a run became claimable", lease polls and live streams wait for
/// "run N changed" (cancel flag, new log lines, step or status change), the reaper waits for
/// "a lease was granted". A waiter takes the current signal task before it looks at the
/// database, then awaits it; a pulse in between completes that task, so no wake-up is missed.
/// With PostgreSQL, <see cref="PostgresSignalBridge"/> carries pulses to the other replicas.
/// </summary>
public sealed class RunSignals
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _runs = new();
    // One current signal per topic that concerns every waiter alike (all but Run, which is per run), indexed by topic.
    private readonly TaskCompletionSource[] _broadcasts = [.. Enum.GetValues<SignalTopic>().Select(_ => NewSource())];

    /// <summary>A token was revoked (its id; 0: any may have been, while revocations could be missed). Raised on every replica.</summary>
    public event Action<long>? TokenRevoked;

    /// <summary>Set by the PostgreSQL bridge: forwards local pulses to other replicas.</summary>
    internal Action<SignalTopic, long>? Forward { get; set; }

    /// <summary>The claim long polls waiting for a run to become claimable, woken one at a time.</summary>
    public ClaimWakeups Claims { get; } = new();
    /// <summary>A run became claimable, for watchers (pages) rather than claimers, who wait in <see cref="Claims"/>.</summary>
    public Task Claimable => Current(SignalTopic.Claimable);
    public Task LeaseGranted => Current(SignalTopic.LeaseGranted);
    public Task RunChanged(long runId) => _runs.GetOrAdd(runId, _ => NewSource()).Task;
    /// <summary>Something the scheduler acts on happened: a run ended, a plan was made.</summary>
    public Task SchedulerWork => Current(SignalTopic.Scheduler);
    /// <summary>Log lines were stored on this replica (what the SQLite search indexer waits for).</summary>
    public Task LogsStored => Current(SignalTopic.LogsStored);

    /// <summary>A run became claimable: wakes one claim here (which passes it on if it cannot take it), and tells other replicas.</summary>
    public void PulseClaimable()
    {
        Claims.WakeOne();
        Broadcast(SignalTopic.Claimable);
        Forward?.Invoke(SignalTopic.Claimable, 0);
    }
    public void PulseLeaseGranted() => Pulse(SignalTopic.LeaseGranted, 0);
    public void PulseRun(long runId) => Pulse(SignalTopic.Run, runId);
    public void PulseScheduler() => Pulse(SignalTopic.Scheduler, 0);
    public void PulseTokenRevoked(long tokenId) => Pulse(SignalTopic.TokenRevoked, tokenId);
    // Only SQLite indexes logs after storing them, and SQLite has one server: no other replica to tell.
    public void PulseLogsStored() => PulseLocal(SignalTopic.LogsStored, 0);

    private void Pulse(SignalTopic topic, long runId)
    {
        PulseLocal(topic, runId);
        Forward?.Invoke(topic, runId);
    }

    /// <summary>Wakes this replica's waiters only (what the bridge calls for other replicas' pulses).</summary>
    internal void PulseLocal(SignalTopic topic, long runId)
    {
        if (topic == SignalTopic.TokenRevoked)
        {
            TokenRevoked?.Invoke(runId);
        }
        else if (topic == SignalTopic.Claimable)
        {
            // From another replica, which coalesces its pulses: how many runs it stands for is unknown.
            Claims.WakeAll();
            Broadcast(topic);
        }
        else if (topic != SignalTopic.Run)
        {
            Broadcast(topic);
        }
        else if (_runs.TryRemove(runId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>
    /// Wakes every waiter on this replica, whatever it waits for (after a gap in what other replicas told it: each looks at
    /// the database again).
    /// </summary>
    internal void PulseEverything()
    {
        foreach (var topic in Enum.GetValues<SignalTopic>().Where(t => t != SignalTopic.Run))
        {
            PulseLocal(topic, 0);
        }
        foreach (var runId in _runs.Keys)
        {
            PulseLocal(SignalTopic.Run, runId);
        }
    }

    private void Broadcast(SignalTopic topic) => Interlocked.Exchange(ref _broadcasts[(int)topic], NewSource()).TrySetResult();

    private Task Current(SignalTopic topic) => Volatile.Read(ref _broadcasts[(int)topic]).Task;

    // Continuations run elsewhere: a pulse from a request thread never runs a waiter's code inline.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public enum SignalTopic
{
    Claimable,
    LeaseGranted,
    Run,
    Scheduler,
    TokenRevoked,
    LogsStored,
}
